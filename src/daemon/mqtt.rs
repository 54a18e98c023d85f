//! The broker connection: MQTT 5 options from the config (persistent session,
//! manual acks, receive maximum as the in-flight limit, Last Will, credentials,
//! TLS) and the task that drives rumqttc's event loop, reconnecting with backoff.

use crate::config::MqttConfig;
use rumqttc::v5::mqttbytes::v5::{LastWill, Packet};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::{ConnectionError, Event, EventLoop, MqttOptions};
use rumqttc::{Outgoing, TlsConfiguration, Transport};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// How long the broker keeps our session (and queues jobs for it) while we are away: a week.
pub const SESSION_EXPIRY_S: u32 = 7 * 24 * 3600;

/// Why the connection could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SetupError(pub String);

/// What the connection task reports to the daemon.
#[derive(Debug)]
pub enum Link {
    Event(Box<Event>),
    /// The connection broke (or could not be made); the task retries by itself.
    Down(String),
}

/// Options for a session that survives restarts of both sides.
///
/// `receive_maximum` is what bounds the jobs the broker hands us before we acknowledge
/// them, so it is set to the queue capacity: a full queue means no more deliveries.
pub fn options(
    cfg: &MqttConfig,
    client_id: &str,
    receive_maximum: u16,
    max_packet_bytes: u32,
    will: Option<(String, String)>,
) -> Result<MqttOptions, SetupError> {
    let mut o = MqttOptions::new(client_id, cfg.host.clone(), cfg.port);
    o.set_keep_alive(Duration::from_secs(cfg.keep_alive_s.max(5)))
        .set_clean_start(false)
        .set_session_expiry_interval(Some(SESSION_EXPIRY_S))
        .set_manual_acks(true)
        .set_receive_maximum(Some(receive_maximum.max(1)))
        .set_max_packet_size(Some(max_packet_bytes))
        .set_request_channel_capacity(256)
        .set_network_options(low_latency());
    if let Some((topic, payload)) = will {
        o.set_last_will(LastWill::new(topic, payload, QoS::AtLeastOnce, true, None));
    }
    secure(cfg, &mut o)?;
    Ok(o)
}

/// Options for a short-lived client of the same broker (`maaza submit`, `maaza status`):
/// a clean session, with the daemon's credentials and TLS.
pub fn client_options(cfg: &MqttConfig, client_id: &str) -> Result<MqttOptions, SetupError> {
    let mut o = MqttOptions::new(client_id, cfg.host.clone(), cfg.port);
    o.set_keep_alive(Duration::from_secs(cfg.keep_alive_s.max(5)))
        .set_max_packet_size(Some(64 * 1024 * 1024))
        .set_network_options(low_latency());
    secure(cfg, &mut o)?;
    Ok(o)
}

/// Credentials and TLS from the config.
fn secure(cfg: &MqttConfig, o: &mut MqttOptions) -> Result<(), SetupError> {
    credentials(cfg, o)?;
    if let Some(ca) = &cfg.ca_file {
        o.set_transport(Transport::Tls(TlsConfiguration::Rustls(Arc::new(tls_config(cfg, ca)?))));
    } else if cfg.cert_file.is_some() || cfg.key_file.is_some() {
        return Err(SetupError("mqtt.cert_file and mqtt.key_file need mqtt.ca_file (TLS)".into()));
    }
    Ok(())
}

/// TCP_NODELAY: results and acks are small single packets; Nagle would hold each one
/// back until the previous one is acknowledged (40 ms with Linux's delayed ACKs).
pub fn low_latency() -> rumqttc::NetworkOptions {
    let mut n = rumqttc::NetworkOptions::new();
    n.set_tcp_nodelay(true);
    n
}

fn credentials(cfg: &MqttConfig, o: &mut MqttOptions) -> Result<(), SetupError> {
    let Some(user) = &cfg.username else {
        if cfg.password_file.is_some() {
            return Err(SetupError("mqtt.password_file is set but mqtt.username is not".into()));
        }
        return Ok(());
    };
    let password = match &cfg.password_file {
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| SetupError(format!("cannot read mqtt.password_file {}: {e}", p.display())))?
            .trim_end_matches(['\n', '\r'])
            .to_string(),
        None => String::new(),
    };
    o.set_credentials(user.clone(), password);
    Ok(())
}

fn tls_config(cfg: &MqttConfig, ca_file: &std::path::Path) -> Result<rustls::ClientConfig, SetupError> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let read_certs = |path: &std::path::Path| -> Result<Vec<CertificateDer<'static>>, SetupError> {
        let certs = CertificateDer::pem_file_iter(path)
            .and_then(|it| it.collect::<Result<Vec<_>, _>>())
            .map_err(|e| SetupError(format!("cannot read certificates from {}: {e}", path.display())))?;
        if certs.is_empty() {
            return Err(SetupError(format!("{} holds no PEM certificate", path.display())));
        }
        Ok(certs)
    };
    let mut roots = rustls::RootCertStore::empty();
    for cert in read_certs(ca_file)? {
        roots.add(cert).map_err(|e| SetupError(format!("bad CA certificate in {}: {e}", ca_file.display())))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| SetupError(format!("TLS setup: {e}")))?
        .with_root_certificates(roots);
    match (&cfg.cert_file, &cfg.key_file) {
        (Some(cert), Some(key)) => {
            let key = PrivateKeyDer::from_pem_file(key)
                .map_err(|e| SetupError(format!("cannot read the private key {}: {e}", key.display())))?;
            builder
                .with_client_auth_cert(read_certs(cert)?, key)
                .map_err(|e| SetupError(format!("client certificate: {e}")))
        }
        (None, None) => Ok(builder.with_no_client_auth()),
        _ => Err(SetupError("mqtt.cert_file and mqtt.key_file go together".into())),
    }
}

/// A connection error with what to check in the config, where the error names it.
pub fn explain(e: &ConnectionError) -> String {
    use rumqttc::v5::mqttbytes::v5::ConnectReturnCode as Code;
    let text = e.to_string();
    let hint = match e {
        ConnectionError::ConnectionRefused(Code::BadUserNamePassword | Code::NotAuthorized) => {
            "the broker refused the login: check mqtt.username and mqtt.password_file"
        }
        _ if text.contains("UnknownIssuer") => "the broker's certificate is not signed by the CA in mqtt.ca_file",
        _ if text.contains("certificate expired") || text.contains("Expired") => {
            "the broker's certificate has expired (or this machine's clock is wrong)"
        }
        _ if text.contains("not valid yet") || text.contains("NotValidYet") => {
            "the broker's certificate is not valid yet: is this machine's clock right?"
        }
        _ if text.contains("not valid for name") || text.contains("NotValidForName") => {
            "the broker's certificate is not issued for mqtt.host"
        }
        _ => return text,
    };
    format!("{text} ({hint})")
}

/// Backoff between reconnection attempts.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { first: Duration::from_millis(250), max: Duration::from_secs(15) }
    }
}

/// Drives the event loop until we disconnect with `leaving` set, or the daemon goes away.
/// Errors are reported as [`Link::Down`] and retried after a growing pause; a disconnect
/// without `leaving` is a deliberate reconnect.
pub async fn drive(mut eventloop: EventLoop, tx: UnboundedSender<Link>, backoff: Backoff, leaving: Arc<AtomicBool>) {
    let mut pause = backoff.first;
    loop {
        match eventloop.poll().await {
            Ok(event) => {
                if matches!(event, Event::Incoming(Packet::ConnAck(_))) {
                    pause = backoff.first;
                }
                let last = matches!(event, Event::Outgoing(Outgoing::Disconnect)) && leaving.load(Ordering::SeqCst);
                if tx.send(Link::Event(Box::new(event))).is_err() || last {
                    return;
                }
            }
            Err(ConnectionError::RequestsDone) => return,
            Err(e) => {
                if tx.send(Link::Down(explain(&e))).is_err() {
                    return;
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(backoff.max);
            }
        }
    }
}
