//! Daemon benchmark: starts a private Mosquitto and `maaza serve`, sends jobs one at a
//! time and prints the end-to-end latency through the broker next to the daemon's own
//! pipeline time (the difference is what MQTT, queueing and the result store cost), and
//! the process RSS after 10 jobs and after the last one.
//!
//! ```sh
//! cargo build --release && cargo run --release --example daemon_bench -- 500
//! ```
//! Needs `mosquitto` on PATH and the default model fetched (`maaza models fetch`).

use rumqttc::v5::mqttbytes::v5::Packet;
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::{Client, Event, MqttOptions};
use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let jobs: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(100);
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = root.join("target/release/maaza");
    assert!(bin.is_file(), "build first: cargo build --release");
    let work = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    std::fs::write(work.path().join("m.conf"), format!("listener {port} 127.0.0.1\nallow_anonymous true\n")).unwrap();
    let mut broker =
        Command::new("mosquitto").arg("-c").arg(work.path().join("m.conf")).stderr(Stdio::null()).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let config = work.path().join("maaza.toml");
    std::fs::write(
        &config,
        format!(
            "node_id = \"bench\"\nschemas_dir = \"{}\"\nstate_dir = \"{}\"\n[mqtt]\nport = {port}\nheartbeat_s = 5\n",
            root.join("schemas").display(),
            work.path().join("state").display()
        ),
    )
    .unwrap();
    let mut daemon =
        Command::new(&bin).arg("--config").arg(&config).arg("serve").env("MAAZA_LOG", "warn").spawn().unwrap();

    let inputs: Vec<(String, String)> = std::fs::read_to_string(root.join("tests/data/examples.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["complexity"] == "simple")
        .map(|v| (v["schema_id"].as_str().unwrap().to_string(), v["prompt"].as_str().unwrap().to_string()))
        .collect();

    let mut options = MqttOptions::new("bench-probe", "127.0.0.1", port);
    options.set_network_options(maaza::daemon::mqtt::low_latency());
    let (client, mut connection) = Client::new(options, 64);
    client.subscribe("maaza/results/#", QoS::AtLeastOnce).unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<(Instant, Value)>();
    std::thread::spawn(move || {
        for event in connection.iter() {
            if let Ok(Event::Incoming(Packet::Publish(p))) = event {
                let _ = tx.send((Instant::now(), serde_json::from_slice(&p.payload).unwrap_or_default()));
            }
        }
    });
    wait_ready(&bin, &config);

    let (mut e2e, mut pipeline, mut rss) = (Vec::new(), Vec::new(), Vec::new());
    let started = Instant::now();
    for i in 0..jobs {
        let (schema, input) = &inputs[i % inputs.len()];
        let id = format!("bench-{i}");
        let sent = Instant::now();
        let job = json!({"id": id, "schema": schema, "input": input});
        client.publish("maaza/jobs", QoS::AtLeastOnce, false, serde_json::to_vec(&job).unwrap()).unwrap();
        let (at, result) = loop {
            let (at, r) = rx.recv_timeout(Duration::from_secs(120)).expect("a result within 120 s");
            if r["id"] == id.as_str() {
                break (at, r);
            }
        };
        e2e.push((at - sent).as_secs_f64() * 1000.0);
        pipeline.push(result["telemetry"]["total_ms"].as_f64().unwrap_or(0.0));
        rss.push(result["telemetry"]["rss_bytes"].as_u64().unwrap_or(0));
        if (i + 1) % 50 == 0 {
            eprintln!("{} jobs, {:.0} s", i + 1, started.elapsed().as_secs_f64());
        }
    }
    let overhead: Vec<f64> = e2e.iter().zip(&pipeline).map(|(a, b)| a - b).collect();
    println!("jobs: {jobs} (simple schemas, one at a time, default threads)");
    println!("end to end through the broker: p50 {:.1} ms, p95 {:.1} ms", pct(&e2e, 0.5), pct(&e2e, 0.95));
    println!("daemon pipeline (total_ms):   p50 {:.1} ms, p95 {:.1} ms", pct(&pipeline, 0.5), pct(&pipeline, 0.95));
    println!("overhead (MQTT, queue, store): p50 {:.2} ms, p95 {:.2} ms", pct(&overhead, 0.5), pct(&overhead, 0.95));
    let mb = |b: u64| b as f64 / 1e6;
    println!("RSS after 10 jobs: {:.1} MB; after {jobs}: {:.1} MB", mb(rss[9.min(jobs - 1)]), mb(rss[jobs - 1]));

    let (schema, input) = &inputs[0];
    let t = Instant::now();
    let out = Command::new(&bin).args(["extract", "--json", "--schema", schema, input]).output().unwrap();
    let wall = t.elapsed().as_secs_f64() * 1000.0;
    let r: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    println!(
        "maaza extract, same job: {wall:.0} ms wall (process start and model load included), pipeline {:.1} ms",
        r["telemetry"]["total_ms"].as_f64().unwrap_or(0.0)
    );
    // SAFETY: kill(2) on the daemon we spawned.
    unsafe { libc::kill(daemon.id() as i32, libc::SIGTERM) };
    let _ = daemon.wait();
    let _ = broker.kill();
    let _ = broker.wait();
}

fn wait_ready(bin: &std::path::Path, config: &std::path::Path) {
    for _ in 0..120 {
        let status = Command::new(bin)
            .arg("--config")
            .arg(config)
            .args(["submit", "--schema", "alert", "--timeout", "5", "[INFO] source=bench message=warm up"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        if status.code().is_some_and(|c| c != 1) {
            return;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    panic!("the daemon did not answer");
}

fn pct(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s[((s.len() - 1) as f64 * p).round() as usize]
}
