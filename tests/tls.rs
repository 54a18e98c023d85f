//! The broker link over TLS with client certificates and a password, against a real
//! Mosquitto on loopback whose CA and certificates the test generates (`rcgen`).
//! A job goes through `maaza serve` and `maaza submit` over TLS; a wrong CA, an
//! expired server certificate and a bad password each give a clear error and no
//! connection; TLS files that cannot be used stop the daemon before it loads a model.

mod common;

use common::broker::{free_port, Broker, Daemon};
use rcgen::{date_time_ymd, BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

const USER: &str = "maaza-node";
const PASSWORD: &str = "s3cret-Pa55";

/// A certificate authority: its PEM and the issuer that signs with it.
struct Ca {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl Ca {
    fn new(name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(rcgen::DnType::CommonName, name);
        let key = KeyPair::generate().unwrap();
        let pem = params.self_signed(&key).unwrap().pem();
        Ca { pem, issuer: Issuer::new(params, key) }
    }

    /// A leaf certificate for 127.0.0.1 and localhost, valid from `from` to `to` (years).
    fn leaf(&self, from: i32, to: i32) -> (String, String) {
        let mut params = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
        params.not_before = date_time_ymd(from, 1, 1);
        params.not_after = date_time_ymd(to, 1, 1);
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        (cert.pem(), key.serialize_pem())
    }
}

/// Everything on disk: the broker's config and the files each client may be given.
struct Setup {
    dir: tempfile::TempDir,
    /// The listener with a valid server certificate, and the one whose certificate expired.
    port: u16,
    expired_port: u16,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        // Mosquitto started as root drops to the `mosquitto` user, which must read these files.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let ca = Ca::new("maaza test CA");
        let other = Ca::new("someone else's CA");
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        };
        write("ca.pem", &ca.pem);
        write("other-ca.pem", &other.pem);
        let (server, server_key) = ca.leaf(2020, 2100);
        write("server.pem", &server);
        write("server.key", &server_key);
        let (expired, expired_key) = ca.leaf(2020, 2021);
        write("expired.pem", &expired);
        write("expired.key", &expired_key);
        let (client, client_key) = ca.leaf(2020, 2100);
        write("client.pem", &client);
        write("client.key", &client_key);
        write("password", &format!("{PASSWORD}\n"));
        write("wrong-password", "not-the-password\n");
        write("garbage.pem", "this is not a certificate\n");
        let passwd = dir.path().join("passwd");
        let made = Command::new("mosquitto_passwd").arg("-b").arg("-c").arg(&passwd).args([USER, PASSWORD]).status();
        assert!(made.expect("mosquitto_passwd is installed with mosquitto").success());
        std::fs::set_permissions(&passwd, std::fs::Permissions::from_mode(0o644)).unwrap();

        let (port, expired_port) = (free_port(), free_port());
        let d = dir.path().display();
        let listener = |port: u16, cert: &str| {
            format!(
                "listener {port} 127.0.0.1\ncafile {d}/ca.pem\ncertfile {d}/{cert}.pem\nkeyfile {d}/{cert}.key\n\
                 require_certificate true\n"
            )
        };
        let conf = format!(
            "per_listener_settings false\nallow_anonymous false\npassword_file {d}/passwd\n{}{}",
            listener(port, "server"),
            listener(expired_port, "expired")
        );
        write("mosquitto.conf", &conf);
        Setup { dir, port, expired_port }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A daemon config whose `[mqtt]` table reads `mqtt` (TOML lines).
    fn config(&self, name: &str, port: u16, mqtt: &str) -> PathBuf {
        let text = format!(
            "node_id = \"tls-node\"\nschemas_dir = \"{schemas}\"\nstate_dir = \"{state}\"\n\n\
             [mqtt]\nhost = \"127.0.0.1\"\nport = {port}\nheartbeat_s = 1\n{mqtt}\n\n\
             [[models]]\nname = \"smollm2-135m\"\npath = \"{model}\"\nthreads = 1\n",
            schemas = common::root().join("schemas").display(),
            state = self.path(&format!("state-{name}")).display(),
            model = common::model_path().display(),
        );
        let path = self.path(&format!("{name}.toml"));
        std::fs::write(&path, text).unwrap();
        path
    }

    /// `[mqtt]` lines: CA, client certificate and a login, each file by name.
    fn mqtt(&self, ca: &str, password: &str) -> String {
        format!(
            "ca_file = \"{}\"\ncert_file = \"{}\"\nkey_file = \"{}\"\nusername = \"{USER}\"\npassword_file = \"{}\"\n",
            self.path(ca).display(),
            self.path("client.pem").display(),
            self.path("client.key").display(),
            self.path(password).display()
        )
    }
}

fn submit(config: &Path, text: &str) -> Output {
    common::maaza()
        .arg("--config")
        .arg(config)
        .args(["submit", "--schema", "alert", "--timeout", "60"])
        .arg(text)
        .output()
        .unwrap()
}

/// `maaza submit` fails without a connection, and says why.
fn assert_refused(config: &Path, why: &str) {
    let out = submit(config, "[CRITICAL] source=ups-rack4 message=Battery low");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("cannot talk to the broker"), "{err}");
    assert!(err.contains(why), "expected `{why}` in: {err}");
}

#[test]
fn tls_with_client_certificates_and_a_password() {
    let setup = Setup::new();
    let _broker = Broker::start_with(&setup.path("mosquitto.conf"), &[setup.port, setup.expired_port]);

    // The daemon and `maaza submit` over TLS, with a client certificate and a login.
    let good = setup.config("good", setup.port, &setup.mqtt("ca.pem", "password"));
    let mut daemon = Daemon::start(&good);
    let out = submit(&good, "[CRITICAL] source=ups-rack4 message=Battery low");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let output: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(output["source"], "ups-rack4", "{output}");

    // What TLS and the broker refuse: each a clear error, no connection.
    let wrong_ca = setup.config("wrong-ca", setup.port, &setup.mqtt("other-ca.pem", "password"));
    assert_refused(&wrong_ca, "not signed by the CA in mqtt.ca_file");
    let expired = setup.config("expired", setup.expired_port, &setup.mqtt("ca.pem", "password"));
    assert_refused(&expired, "certificate has expired");
    let bad_password = setup.config("bad-password", setup.port, &setup.mqtt("ca.pem", "wrong-password"));
    assert_refused(&bad_password, "refused the login");
    let plain = setup.config(
        "plain",
        setup.port,
        &format!("username = \"{USER}\"\npassword_file = \"{}\"\n", setup.path("password").display()),
    );
    let out = submit(&plain, "x");
    assert_ne!(out.status.code(), Some(0), "plain MQTT must not reach a TLS listener");

    // A daemon with the wrong CA never becomes ready; it says why and keeps retrying.
    let waiting = Daemon::spawn(&wrong_ca, &[]);
    waiting.wait_log_all(&["cannot reach the broker", "UnknownIssuer"], Duration::from_secs(60));
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(waiting.count_log(" ready "), 0);
    drop(waiting);
    assert_eq!(daemon.terminate(Duration::from_secs(30)).code(), Some(0));
}

#[test]
fn unusable_tls_files_stop_the_daemon_before_the_model_loads() {
    let setup = Setup::new();
    let port = free_port();
    let cases = [
        (format!("ca_file = \"{}\"\n", setup.path("garbage.pem").display()), "holds no PEM certificate"),
        (format!("ca_file = \"{}\"\n", setup.path("missing.pem").display()), "cannot read certificates"),
        (
            format!(
                "ca_file = \"{}\"\ncert_file = \"{}\"\n",
                setup.path("ca.pem").display(),
                setup.path("client.pem").display()
            ),
            "go together",
        ),
        (format!("username = \"{USER}\"\npassword_file = \"{}\"\n", setup.path("missing").display()), "password_file"),
    ];
    for (i, (mqtt, why)) in cases.iter().enumerate() {
        let config = setup.config(&format!("bad-{i}"), port, mqtt);
        let out = common::maaza().arg("--config").arg(&config).arg("serve").output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{mqtt}: {err}");
        assert!(err.contains(why), "{mqtt}: expected `{why}` in: {err}");
        assert!(!err.contains("serving model"), "refused only after loading the model: {err}");
    }
}
