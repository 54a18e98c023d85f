//! Real parts for daemon tests: a Mosquitto broker on a free loopback port, the
//! `maaza serve` process, and an MQTT probe client that publishes jobs and collects
//! everything the daemon publishes.

use rumqttc::v5::mqttbytes::v5::{Filter, Packet};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::{Client, Event, MqttOptions};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for_close(port: u16, timeout: Duration) {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("port {port} did not close");
}

/// A Mosquitto process with persistence in its own temp dir (so sessions and queued
/// messages survive a restart, as with Debian's packaged config), or on a config of
/// the caller's ([`Broker::start_with`]).
pub struct Broker {
    pub port: u16,
    /// Every port it listens on, `port` first.
    ports: Vec<u16>,
    conf: PathBuf,
    log: PathBuf,
    /// The temp dir of a broker this module configured, removed with it.
    _dir: Option<tempfile::TempDir>,
    child: Option<Child>,
}

impl Broker {
    pub fn start() -> Broker {
        Broker::start_on(free_port())
    }

    /// A broker on `port` (one a daemon may already be trying to reach).
    pub fn start_on(port: u16) -> Broker {
        let dir = tempfile::tempdir().unwrap();
        // Mosquitto started as root drops to the `mosquitto` user, which must be able to
        // write its persistence file here, or sessions silently vanish at a restart.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let conf = format!(
            "listener {port} 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location {}/\n\
             max_queued_messages 10000\n",
            dir.path().display()
        );
        let path = dir.path().join("mosquitto.conf");
        std::fs::write(&path, conf).unwrap();
        let mut b = Broker::new(&path, &[port]);
        b._dir = Some(dir);
        b.restart();
        b
    }

    /// A broker on the config file `conf` (TLS listeners, logins), up once every port
    /// in `ports` takes connections; its log goes beside the config.
    pub fn start_with(conf: &Path, ports: &[u16]) -> Broker {
        let mut b = Broker::new(conf, ports);
        b.restart();
        b
    }

    fn new(conf: &Path, ports: &[u16]) -> Broker {
        assert!(!ports.is_empty(), "a broker listens somewhere");
        Broker {
            port: ports[0],
            ports: ports.to_vec(),
            conf: conf.to_path_buf(),
            log: conf.with_file_name("mosquitto.log"),
            _dir: None,
            child: None,
        }
    }

    /// Starts it again on the same ports with the same persistence file.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "broker already running");
        let log = std::fs::File::create(&self.log).unwrap();
        let child = Command::new("mosquitto")
            .arg("-c")
            .arg(&self.conf)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("mosquitto is installed (scripts/deps.sh installs it)");
        self.child = Some(child);
        let start = Instant::now();
        while self.ports.iter().any(|p| std::net::TcpStream::connect(("127.0.0.1", *p)).is_err()) {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            assert!(start.elapsed() < Duration::from_secs(10), "the broker did not start on {:?}:\n{log}", self.ports);
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGTERM, as systemd stops it: the broker saves its state and exits.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            signal(&c, libc::SIGTERM);
            let _ = c.wait();
            wait_for_close(self.port, Duration::from_secs(10));
        }
    }
}

impl Drop for Broker {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn signal(child: &Child, sig: i32) {
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: kill(2) with a pid we spawned; no memory is shared.
    let rc = unsafe { libc::kill(pid, sig) };
    assert_eq!(rc, 0, "kill({pid}, {sig}) failed");
}

/// A systemd notify socket (`NOTIFY_SOCKET`) that keeps every message the daemon sends.
pub struct Notifications {
    pub path: PathBuf,
    notes: Arc<Mutex<Vec<String>>>,
}

impl Notifications {
    pub fn listen(dir: &Path) -> Notifications {
        let path = dir.join("notify.sock");
        let sock = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        let notes = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = Arc::clone(&notes);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                if let Ok(n) = sock.recv(&mut buf) {
                    sink.lock().unwrap().push(String::from_utf8_lossy(&buf[..n]).trim().to_string());
                }
            }
        });
        Notifications { path, notes }
    }

    /// Every message so far.
    pub fn all(&self) -> Vec<String> {
        self.notes.lock().unwrap().clone()
    }

    /// How many messages were exactly `note`.
    pub fn count(&self, note: &str) -> usize {
        self.notes.lock().unwrap().iter().filter(|n| *n == note).count()
    }

    /// Waits up to `limit` for at least one message `note` (the node logs before its
    /// datagram arrives), then says how many there are.
    pub fn wait_count(&self, note: &str, limit: Duration) -> usize {
        let start = std::time::Instant::now();
        while self.count(note) == 0 && start.elapsed() < limit {
            std::thread::sleep(Duration::from_millis(50));
        }
        self.count(note)
    }
}

/// Writes a daemon config into `dir`: `model` adds keys to the `[[models]]` entry,
/// `tables` adds whole tables (e.g. `[limits]`) at the end.
pub fn daemon_config(dir: &Path, node: &str, port: u16, model: &str, tables: &str) -> PathBuf {
    let text = format!(
        "node_id = \"{node}\"\nschemas_dir = \"{schemas}\"\nstate_dir = \"{state}\"\n\n\
         [mqtt]\nport = {port}\nheartbeat_s = 1\n\n\
         [[models]]\nname = \"smollm2-135m\"\npath = \"{model}\"\nthreads = 1\n{model_extra}\n\n{extra_top}\n",
        schemas = super::root().join("schemas").display(),
        state = dir.join("state").display(),
        model = super::model_path().display(),
        extra_top = tables,
        model_extra = model,
    );
    let path = dir.join("maaza.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// A running `maaza serve`, with its log lines kept for assertions.
pub struct Daemon {
    child: Option<Child>,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Daemon {
    /// Starts the daemon and waits until it is subscribed (its node logs `ready`).
    pub fn start(config: &Path) -> Daemon {
        Daemon::start_with(config, &[])
    }

    pub fn start_with(config: &Path, env: &[(&str, &str)]) -> Daemon {
        let d = Daemon::spawn(config, env);
        // The node logs `ready` once the broker acknowledged its subscriptions.
        d.wait_log_all(&["daemon::node", " ready "], Duration::from_secs(60));
        d
    }

    /// Starts the daemon without waiting for it to be ready.
    pub fn spawn(config: &Path, env: &[(&str, &str)]) -> Daemon {
        let mut cmd = super::maaza();
        cmd.arg("--config").arg(config).arg("serve").env("MAAZA_LOG", "info,llama-cpp-2=error,rumqttc=warn");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                println!("[daemon] {line}");
                sink.lock().unwrap().push(line);
            }
        });
        Daemon { child: Some(child), lines }
    }

    /// Waits for a log line containing every one of `parts`.
    pub fn wait_log_all(&self, parts: &[&str], timeout: Duration) {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.lines.lock().unwrap().iter().any(|l| parts.iter().all(|p| l.contains(p))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("daemon never logged {parts:?}; log:\n{}", self.lines.lock().unwrap().join("\n"));
    }

    pub fn wait_log(&self, part: &str, timeout: Duration) {
        self.wait_log_all(&[part], timeout);
    }

    /// Number of log lines containing `part`.
    pub fn count_log(&self, part: &str) -> usize {
        self.lines.lock().unwrap().iter().filter(|l| l.contains(part)).count()
    }

    /// kill -9: no shutdown code runs.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().unwrap();
            let _ = c.wait();
        }
    }

    /// The process's resident memory now, from /proc (kB in, bytes out).
    pub fn rss_bytes(&self) -> u64 {
        let pid = self.child.as_ref().expect("daemon running").id();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
        let kb = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).unwrap_or("0 kB");
        kb.trim().trim_end_matches("kB").trim().parse::<u64>().unwrap_or(0) * 1024
    }

    /// The exit status, once the daemon has exited by itself.
    pub fn try_wait(&mut self) -> Option<ExitStatus> {
        let status = self.child.as_mut()?.try_wait().unwrap()?;
        self.child = None;
        Some(status)
    }

    /// SIGTERM and wait for the exit.
    pub fn terminate(&mut self, timeout: Duration) -> ExitStatus {
        let mut c = self.child.take().expect("daemon running");
        signal(&c, libc::SIGTERM);
        let start = Instant::now();
        loop {
            if let Some(status) = c.try_wait().unwrap() {
                return status;
            }
            if start.elapsed() > timeout {
                let _ = c.kill();
                panic!("daemon did not exit within {timeout:?} after SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A message the probe received.
#[derive(Debug, Clone)]
pub struct Received {
    pub topic: String,
    pub retain: bool,
    pub payload: Value,
    /// MQTT 5 Correlation Data, when the message carries some.
    pub correlation: Option<Vec<u8>>,
}

/// An MQTT client for tests: persistent session, resubscribes after reconnects.
pub struct Probe {
    client: Client,
    rx: mpsc::Receiver<Received>,
    acked: Arc<AtomicUsize>,
    published: usize,
}

impl Probe {
    /// Connects as `id`, subscribes to `filters` and waits for the subscription.
    pub fn connect(port: u16, id: &str, filters: &[&str]) -> Probe {
        let mut o = MqttOptions::new(id, "127.0.0.1", port);
        o.set_clean_start(false)
            .set_session_expiry_interval(Some(3600))
            .set_max_packet_size(Some(16 * 1024 * 1024))
            .set_keep_alive(Duration::from_secs(5));
        let (client, mut connection) = Client::new(o, 1024);
        let (tx, rx) = mpsc::channel();
        let (sub_tx, sub_rx) = mpsc::channel();
        let acked = Arc::new(AtomicUsize::new(0));
        let acked_in = Arc::clone(&acked);
        let resub = client.clone();
        let filters: Vec<String> = filters.iter().map(|f| f.to_string()).collect();
        std::thread::spawn(move || {
            for event in connection.iter() {
                match event {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => {
                        let fs = filters.iter().map(|f| Filter::new(f.clone(), QoS::AtLeastOnce));
                        let _ = resub.subscribe_many(fs);
                    }
                    Ok(Event::Incoming(Packet::SubAck(_))) => {
                        let _ = sub_tx.send(());
                    }
                    Ok(Event::Incoming(Packet::PubAck(_))) => {
                        acked_in.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(Event::Incoming(Packet::Publish(p))) => {
                        let payload = serde_json::from_slice(&p.payload)
                            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&p.payload).into_owned()));
                        let r = Received {
                            topic: String::from_utf8_lossy(&p.topic).into_owned(),
                            retain: p.retain,
                            payload,
                            correlation: p.properties.and_then(|p| p.correlation_data).map(|c| c.to_vec()),
                        };
                        if tx.send(r).is_err() {
                            return;
                        }
                    }
                    Ok(_) => {}
                    Err(_) => std::thread::sleep(Duration::from_millis(100)),
                }
            }
        });
        sub_rx.recv_timeout(Duration::from_secs(10)).expect("probe subscribed");
        Probe { client, rx, acked, published: 0 }
    }

    /// Publishes raw bytes with QoS 1.
    pub fn publish(&mut self, topic: &str, payload: impl Into<Vec<u8>>) {
        self.client.publish(topic, QoS::AtLeastOnce, false, payload.into()).unwrap();
        self.published += 1;
    }

    /// Publishes a job the MQTT 5 way: a Response Topic and Correlation Data, QoS 1.
    pub fn request(&mut self, job: &Value, response_topic: &str, correlation: &[u8]) {
        let props = rumqttc::v5::mqttbytes::v5::PublishProperties {
            response_topic: Some(response_topic.to_string()),
            correlation_data: Some(correlation.to_vec().into()),
            ..Default::default()
        };
        let payload = serde_json::to_vec(job).unwrap();
        self.client.publish_with_properties("maaza/jobs", QoS::AtLeastOnce, false, payload, props).unwrap();
        self.published += 1;
    }

    /// Publishes raw bytes with QoS 1, retained (an empty payload clears the topic).
    pub fn publish_retained(&mut self, topic: &str, payload: impl Into<Vec<u8>>) {
        self.client.publish(topic, QoS::AtLeastOnce, true, payload.into()).unwrap();
        self.published += 1;
    }

    /// Publishes a job object to `maaza/jobs`.
    pub fn job(&mut self, job: &Value) {
        self.publish("maaza/jobs", serde_json::to_vec(job).unwrap());
    }

    /// Waits until the broker has acknowledged everything published so far.
    pub fn flush(&self, timeout: Duration) {
        let start = Instant::now();
        while self.acked.load(Ordering::SeqCst) < self.published {
            assert!(start.elapsed() < timeout, "broker did not acknowledge the published jobs");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The next message, if one comes within `timeout`.
    pub fn next(&self, timeout: Duration) -> Option<Received> {
        self.rx.recv_timeout(timeout).ok()
    }

    /// Waits for a message matching `pred`, skipping others; panics on timeout.
    pub fn expect(&self, what: &str, timeout: Duration, pred: impl Fn(&Received) -> bool) -> Received {
        let start = Instant::now();
        while let Some(left) = timeout.checked_sub(start.elapsed()) {
            match self.rx.recv_timeout(left) {
                Ok(r) if pred(&r) => return r,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        panic!("no {what} within {timeout:?}");
    }

    /// Adds results (messages on `maaza/results/+`) to `got`, by id, until `enough` ids
    /// are in, `timeout` passes, or no result came for `quiet`.
    pub fn collect(
        &self,
        got: &mut std::collections::HashMap<String, Vec<Value>>,
        enough: usize,
        timeout: Duration,
        quiet: Duration,
    ) {
        let (start, mut heard) = (Instant::now(), Instant::now());
        while got.len() < enough && heard.elapsed() < quiet {
            let Some(left) = timeout.checked_sub(start.elapsed()) else { return };
            if let Some(r) = self.next(left.min(Duration::from_millis(200))) {
                if r.topic.starts_with("maaza/results/") {
                    got.entry(r.payload["id"].as_str().unwrap_or_default().to_string()).or_default().push(r.payload);
                    heard = Instant::now();
                }
            }
        }
    }

    /// Collects results (messages on `maaza/results/+`) until `ids` all answered or the timeout;
    /// returns how many times each id was answered, and every other message seen.
    pub fn results(
        &self,
        ids: &[String],
        timeout: Duration,
    ) -> (std::collections::HashMap<String, Vec<Value>>, Vec<Received>) {
        let mut got: std::collections::HashMap<String, Vec<Value>> = std::collections::HashMap::new();
        let mut other = Vec::new();
        let start = Instant::now();
        while ids.iter().any(|id| !got.contains_key(id)) {
            let Some(left) = timeout.checked_sub(start.elapsed()) else { break };
            match self.rx.recv_timeout(left) {
                Ok(r) if r.topic.starts_with("maaza/results/") => {
                    let id = r.payload["id"].as_str().unwrap_or_default().to_string();
                    got.entry(id).or_default().push(r.payload);
                }
                Ok(r) => other.push(r),
                Err(_) => break,
            }
        }
        (got, other)
    }
}
