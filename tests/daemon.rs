//! `maaza serve` end to end: a real Mosquitto on a free loopback port, the real
//! binary, the real SmolLM2-135M model. Faults are real too: kill -9 of the daemon,
//! SIGTERM of the broker, SIGTERM of the daemon with a job in flight.

mod common;

use common::broker::{daemon_config, free_port, Broker, Daemon, Notifications, Probe, Received};
use maaza::job::SchemaRef;
use maaza::schema::SchemaRegistry;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

const S: Duration = Duration::from_secs(1);

fn example(schema: &str) -> common::Example {
    common::examples().into_iter().find(|e| e.schema_id == schema).unwrap()
}

fn job(id: &str, schema: &str, input: &str) -> Value {
    json!({"id": id, "schema": schema, "input": input})
}

/// A job that takes several seconds (~10 s on one thread): the invoice example, a complex schema.
fn long_job(id: &str) -> Value {
    json!({"id": id, "schema": "invoice", "input": example("invoice").prompt, "max_tokens": 600})
}

/// Publishes `n` jobs over the simple examples, ids `<prefix>-00`…, and waits for the broker to take them.
fn publish_simple_jobs(probe: &mut Probe, prefix: &str, n: usize) -> Vec<String> {
    let simple: Vec<_> = common::examples().into_iter().filter(|e| e.complexity == "simple").collect();
    let ids: Vec<String> = (0..n).map(|i| format!("{prefix}-{i:02}")).collect();
    for (i, id) in ids.iter().enumerate() {
        let ex = &simple[i % simple.len()];
        probe.job(&job(id, &ex.schema_id, &ex.prompt));
    }
    probe.flush(10 * S);
    ids
}

fn is_status(node: &str, state: &str) -> impl Fn(&Received) -> bool {
    let topic = format!("maaza/status/{node}");
    let state = state.to_string();
    move |r: &Received| r.topic == topic && r.payload["state"] == state.as_str()
}

fn assert_answered(results: &HashMap<String, Vec<Value>>, ids: &[String]) {
    let lost: Vec<&String> = ids.iter().filter(|id| !results.contains_key(*id)).collect();
    assert!(lost.is_empty(), "jobs lost: {lost:?}");
    for id in ids {
        let status = results[id][0]["status"].as_str().unwrap();
        assert!(status == "ok" || status == "invalid_output", "{id}: {status}: {}", results[id][0]);
    }
}

#[test]
fn round_trip_resubmission_reply_to_node_topic_and_submit() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    // A fake board: an INA-style power monitor at 3 W, a CPU at 47.5 °C, and a vcgencmd
    // that reports throttling; the real daemon reads them through its configurable roots.
    let sys = dir.path().join("sys");
    std::fs::create_dir_all(sys.join("class/hwmon/hwmon0")).unwrap();
    std::fs::write(sys.join("class/hwmon/hwmon0/power1_input"), "3000000\n").unwrap();
    std::fs::create_dir_all(sys.join("class/thermal/thermal_zone0")).unwrap();
    std::fs::write(sys.join("class/thermal/thermal_zone0/type"), "cpu-thermal\n").unwrap();
    std::fs::write(sys.join("class/thermal/thermal_zone0/temp"), "47500\n").unwrap();
    let vcgencmd = dir.path().join("vcgencmd");
    std::fs::write(&vcgencmd, "#!/bin/sh\n[ \"$1\" = get_throttled ] && echo throttled=0x50005 || exit 1\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&vcgencmd, std::fs::Permissions::from_mode(0o755)).unwrap();
    let metrics_port = common::broker::free_port();
    let telemetry = format!(
        "[telemetry]\nenergy_source = \"auto\"\nsysfs_root = \"{}\"\nvcgencmd = \"{}\"\nsample_ms = 50\n\
         prometheus = \"127.0.0.1:{metrics_port}\"\n",
        sys.display(),
        vcgencmd.display()
    );
    let cfg = daemon_config(dir.path(), "node-rt", broker.port, "", &telemetry);
    let mut probe = Probe::connect(broker.port, "probe-rt", &["maaza/results/#", "maaza/status/#"]);
    let mut daemon = Daemon::start(&cfg);

    let online = probe.expect("online status", 10 * S, is_status("node-rt", "online"));
    let late = Probe::connect(broker.port, "probe-rt-late", &["maaza/status/+"]);
    let retained = late.expect("retained status", 5 * S, is_status("node-rt", "online"));
    assert!(retained.retain, "status is retained for late subscribers");
    drop(late);
    assert_eq!(online.payload["models"][0]["name"], "smollm2-135m");
    assert_eq!(online.payload["queue_capacity"], 64);

    // A label the planner cannot lay out (`Note:`): the model decodes, so it has figures.
    let noted = format!("Note: {}", example("sensor_reading").prompt);
    probe.job(&job("rt-1", "sensor_reading", &noted));
    let (got, _) = probe.results(&["rt-1".into()], 60 * S);
    let first = got["rt-1"][0].clone();
    assert_eq!(first["status"], "ok", "{first}");
    let registry = SchemaRegistry::load(&common::root().join("schemas")).unwrap();
    let schema = registry.resolve(&SchemaRef::Id("sensor_reading".into())).unwrap();
    assert!(schema.violations(&first["output"]).is_empty(), "{first}");
    let t = &first["telemetry"];
    assert!(t["prompt_tokens"].as_u64().unwrap() > 0 && t["generated_tokens"].as_u64().unwrap() > 0, "{t}");
    assert!(t["total_ms"].as_f64().unwrap() >= t["generate_ms"].as_f64().unwrap(), "{t}");
    assert!(t["peak_rss_bytes"].as_u64().unwrap() > 50_000_000, "{t}");
    assert_eq!((first["node"].as_str(), first["model"].as_str()), (Some("node-rt"), Some("smollm2-135m")));
    // Energy from the fake power monitor: 3 W over the job's time, within sampling error.
    assert_eq!(t["energy_source"], "hwmon", "{t}");
    let (joules, secs) = (t["energy_j"].as_f64().unwrap(), t["total_ms"].as_f64().unwrap() / 1000.0);
    assert!(joules > 0.0 && (joules - 3.0 * secs).abs() < 3.0 * 0.3 + 0.2, "{joules} J in {secs} s at 3 W");
    assert_eq!((t["cpu_temp_c"].as_f64(), t["throttled"].as_bool()), (Some(47.5), Some(true)), "{t}");
    daemon.wait_log("telemetry: energy: hwmon power integrated over time", S);

    // The same id again: answered from the store, byte for byte, without the model.
    probe.job(&job("rt-1", "sensor_reading", &noted));
    let (again, _) = probe.results(&["rt-1".into()], 30 * S);
    assert_eq!(again["rt-1"][0], first);
    daemon.wait_log_all(&["answered from the result store", "rt-1"], 5 * S);
    assert_eq!(daemon.count_log("job started job_id=rt-1"), 1);

    // reply_to, and the per-node topic.
    let mut j = job("rt-2", "gps_fix", &example("gps_fix").prompt);
    j["reply_to"] = json!("maaza/results/app-inbox");
    probe.job(&j);
    let r = probe.expect("reply_to result", 60 * S, |r| r.payload["id"] == "rt-2");
    assert_eq!(r.topic, "maaza/results/app-inbox");
    probe.publish(
        "maaza/nodes/node-rt/jobs",
        serde_json::to_vec(&job("rt-3", "alert", &example("alert").prompt)).unwrap(),
    );
    let r = probe.expect("node-topic result", 60 * S, |r| r.payload["id"] == "rt-3");
    assert_eq!(r.topic, "maaza/results/rt-3");

    // MQTT 5 request/response: the result goes to the Response Topic with the job's
    // Correlation Data, and so does a rejection.
    probe.request(&job("rt-4", "alert", &example("alert").prompt), "maaza/results/rpc", b"corr-4");
    let r = probe.expect("response-topic result", 60 * S, |r| r.payload["id"] == "rt-4");
    assert_eq!((r.topic.as_str(), r.correlation.as_deref()), ("maaza/results/rpc", Some(&b"corr-4"[..])));
    assert_eq!(r.payload["status"], "ok", "{}", r.payload);
    probe.request(&json!({"id": "rt-5", "schema": "alert", "input": 5}), "maaza/results/rpc", b"corr-5");
    let r = probe.expect("response-topic rejection", 30 * S, |r| r.payload["id"] == "rt-5");
    assert_eq!((r.topic.as_str(), r.correlation.as_deref()), ("maaza/results/rpc", Some(&b"corr-5"[..])));
    assert_eq!(r.payload["status"], "rejected", "{}", r.payload);

    // `maaza submit`, the way a user tries the daemon by hand.
    let out = common::maaza()
        .arg("--config")
        .arg(&cfg)
        .args(["submit", "--schema", "battery_status", "--timeout", "60"])
        .arg(example("battery_status").prompt)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(output.get("charge_pct").is_some(), "{output}");

    // Heartbeats count what happened.
    let beat = probe.expect("heartbeat with counts", 10 * S, |r| {
        is_status("node-rt", "online")(r) && r.payload["jobs"]["ok"].as_u64() >= Some(4)
    });
    assert_eq!(beat.payload["jobs"]["replayed"], 1, "{}", beat.payload);
    let b = &beat.payload;
    assert_eq!((b["energy_source"].as_str(), b["cpu_temp_c"].as_f64()), (Some("hwmon"), Some(47.5)), "{b}");
    assert!(
        b["totals"]["energy_j"].as_f64().unwrap() > 0.0 && b["totals"]["generated_tokens"].as_u64() > Some(0),
        "{b}"
    );
    assert_eq!(b["throttle"]["under_voltage_occurred"], true, "{b}");
    assert!(b["recent"]["n"].as_u64() >= Some(4) && b["mem_available_bytes"].as_u64() > Some(0), "{b}");

    // The Prometheus endpoint serves the same figures.
    use std::io::{Read, Write};
    let mut http = std::net::TcpStream::connect(("127.0.0.1", metrics_port)).unwrap();
    http.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut page = String::new();
    http.read_to_string(&mut page).unwrap();
    assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
    assert!(page.contains("maaza_jobs_total{node=\"node-rt\",status=\"ok\"}"), "{page}");
    assert!(page.contains("maaza_energy_joules_total{node=\"node-rt\",source=\"hwmon\"}"), "{page}");
    assert!(page.contains("maaza_cpu_temp_celsius{node=\"node-rt\"} 47.5"), "{page}");
    assert!(page.contains("maaza_throttled{node=\"node-rt\"} 1"), "{page}");

    let status = daemon.terminate(30 * S);
    assert_eq!(status.code(), Some(0));
    let off = probe.expect("offline status", 10 * S, is_status("node-rt", "offline"));
    assert_eq!(off.payload["reason"], "shutdown");
    let late = Probe::connect(broker.port, "probe-rt-late2", &["maaza/status/+"]);
    let retained = late.expect("retained offline status", 5 * S, |r| r.topic == "maaza/status/node-rt");
    assert_eq!((retained.retain, retained.payload["state"].as_str()), (true, Some("offline")));
}

#[test]
fn fifty_jobs_through_a_small_queue_each_answered_once() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let cfg = daemon_config(dir.path(), "node-50", broker.port, "", "[limits]\nqueue_capacity = 4\n");
    let mut probe = Probe::connect(broker.port, "probe-50", &["maaza/results/#", "maaza/status/#"]);
    let _daemon = Daemon::start(&cfg);
    let ids = publish_simple_jobs(&mut probe, "bulk", 50);
    let (mut got, mut other) = probe.results(&ids, 300 * S);
    assert_answered(&got, &ids);
    // Anything answered twice would show up now.
    let drain_until = std::time::Instant::now() + 3 * S;
    while let Some(r) = probe.next(drain_until.saturating_duration_since(std::time::Instant::now())) {
        if r.topic.starts_with("maaza/results/") {
            got.entry(r.payload["id"].as_str().unwrap().to_string()).or_default().push(r.payload);
        } else {
            other.push(r);
        }
    }
    let twice: Vec<_> = got.iter().filter(|(_, v)| v.len() > 1).map(|(k, _)| k).collect();
    assert!(twice.is_empty(), "answered more than once: {twice:?}");
    assert_eq!(got.len(), 50);
    // Energy from whatever this machine has (here, without sensors: a labelled estimate).
    for r in got.values().map(|v| &v[0]) {
        assert_ne!(r["telemetry"]["energy_source"], "none", "{r}");
        assert!(r["telemetry"]["energy_j"].as_f64().unwrap() >= 0.0, "{r}");
    }
    let depths: Vec<u64> = other
        .iter()
        .filter(|r| is_status("node-50", "online")(r))
        .map(|r| r.payload["queue_depth"].as_u64().unwrap())
        .collect();
    assert!(!depths.is_empty());
    assert!(depths.iter().all(|d| *d <= 4), "queue grew past its capacity: {depths:?}");
    println!("queue depths seen in heartbeats: {depths:?}");
}

#[test]
fn every_rejection_is_answered_and_the_daemon_keeps_running() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let cfg =
        daemon_config(dir.path(), "node-rej", broker.port, "context = 512\n", "[limits]\nmax_input_bytes = 4096\n");
    let mut probe = Probe::connect(broker.port, "probe-rej", &["maaza/results/#", "maaza/errors"]);
    let _daemon = Daemon::start(&cfg);
    let text = "Node greenhouse-3 reports Temp 21.5C, humidity 40% at 10:32";
    // Labelled, so the model has to read it all (unlabelled prose this plain is settled
    // by the prose plan without the model, whatever its length).
    let long_text = format!("Note: {}", "Temp 21.5C humidity 40% at station greenhouse-3, all nominal. ".repeat(55)); // < 4096 bytes
    assert!(long_text.len() < 4096);

    // Payloads without a usable id: answered on maaza/errors.
    let unreadable: &[(&[u8], &str)] = &[
        (b"this is not json", "bad_json"),
        (b"[1, 2, 3]", "not_object"),
        (br#"{"schema": "sensor_reading", "input": "x"}"#, "missing_field"),
    ];
    for (payload, _) in unreadable {
        probe.publish("maaza/jobs", payload.to_vec());
    }
    let too_long_id = "x".repeat(129);
    probe.job(&job(&too_long_id, "sensor_reading", text));
    probe.job(&job("a+b", "sensor_reading", text));

    // Payloads with an id: answered on maaza/results/<id>, status rejected.
    let cases: Vec<(Value, &str)> = vec![
        (json!({"id": "r-no-input", "schema": "sensor_reading"}), "missing_field"),
        (json!({"id": "r-no-schema", "input": text}), "missing_field"),
        (json!({"id": "r-input-type", "schema": "sensor_reading", "input": 42}), "bad_field"),
        (json!({"id": "r-empty", "schema": "sensor_reading", "input": "   "}), "empty_input"),
        (job("r-too-large", "sensor_reading", &"x".repeat(5000)), "input_too_large"),
        (job("r-unknown-schema", "no_such_schema", text), "unknown_schema"),
        (json!({"id": "r-bad-inline", "schema": {"type": 12}, "input": text}), "schema_invalid"),
        (
            json!({"id": "r-remote-ref", "input": text,
                   "schema": {"type": "object", "properties": {"a": {"$ref": "https://example.com/a.json"}}}}),
            "schema_remote_ref",
        ),
        (json!({"id": "r-model", "schema": "sensor_reading", "input": text, "model": "gpt-9"}), "unknown_model"),
        (job("r-context", "sensor_reading", &long_text), "context_overflow"),
        (json!({"id": "r-reply-to", "schema": "sensor_reading", "input": text, "reply_to": "a/+/b"}), "bad_field"),
    ];
    for (j, _) in &cases {
        probe.job(j);
    }
    probe.job(&job("r-good-after", "sensor_reading", text));

    let mut ids: Vec<String> = cases.iter().map(|(j, _)| j["id"].as_str().unwrap().to_string()).collect();
    ids.push("r-good-after".into());
    let (got, other) = probe.results(&ids, 120 * S);
    for (j, code) in &cases {
        let id = j["id"].as_str().unwrap();
        let r = &got.get(id).unwrap_or_else(|| panic!("no result for {id}"))[0];
        assert_eq!(r["status"], "rejected", "{id}: {r}");
        assert_eq!(r["errors"][0]["code"], *code, "{id}: {r}");
        assert!(!r["errors"][0]["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(got["r-good-after"][0]["status"], "ok", "{}", got["r-good-after"][0]);

    let mut errors: Vec<Received> = other.into_iter().filter(|r| r.topic == "maaza/errors").collect();
    while errors.len() < 5 {
        match probe.next(10 * S) {
            Some(r) if r.topic == "maaza/errors" => errors.push(r),
            Some(_) => {}
            None => break,
        }
    }
    let mut codes: Vec<&str> = errors.iter().map(|r| r.payload["errors"][0]["code"].as_str().unwrap()).collect();
    codes.sort();
    assert_eq!(codes, ["bad_id", "bad_id", "bad_json", "missing_field", "not_object"]);
    assert!(errors.iter().all(|r| r.payload["status"] == "rejected"));
}

#[test]
fn kill_9_mid_job_then_restart_loses_nothing() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let cfg = daemon_config(dir.path(), "node-k9", broker.port, "", "");
    let mut probe = Probe::connect(broker.port, "probe-k9", &["maaza/results/#", "maaza/status/#"]);
    let mut daemon = Daemon::start(&cfg);
    probe.job(&long_job("k9-long"));
    probe.job(&job("k9-a", "sensor_reading", &example("sensor_reading").prompt));
    probe.job(&job("k9-b", "door_event", &example("door_event").prompt));
    probe.flush(10 * S);
    daemon.wait_log("job started job_id=k9-long", 30 * S);
    std::thread::sleep(Duration::from_millis(500));
    daemon.kill9();

    // The broker publishes the Last Will: the node is offline, and says it was lost.
    let off = probe.expect("Last Will", 10 * S, is_status("node-k9", "offline"));
    assert_eq!(off.payload["reason"], "lost");
    let early = std::iter::from_fn(|| probe.next(Duration::from_millis(200)))
        .filter(|r| r.topic.starts_with("maaza/results/"))
        .count();
    assert_eq!(early, 0, "a result was published before the kill; the test did not kill mid-job");

    let _daemon = Daemon::start(&cfg);
    let ids = ["k9-long", "k9-a", "k9-b"].map(String::from);
    let (got, _) = probe.results(&ids, 180 * S);
    assert_answered(&got, &ids);
    println!("kill -9 mid-job: {} of 3 jobs answered, 0 lost", got.len());
}

#[test]
fn broker_restart_mid_stream_every_job_still_answered() {
    let mut broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    // A small queue keeps most jobs on the broker's side, in our session, across its restart.
    let cfg = daemon_config(dir.path(), "node-br", broker.port, "", "[limits]\nqueue_capacity = 2\n");
    let mut probe = Probe::connect(broker.port, "probe-br", &["maaza/results/#"]);
    let daemon = Daemon::start(&cfg);
    let ids = publish_simple_jobs(&mut probe, "br", 16);
    let (before, _) = probe.results(&ids[..3], 60 * S);
    assert!(before.len() >= 3);

    broker.stop();
    std::thread::sleep(2 * S);
    broker.restart();

    let rest: Vec<String> = ids.iter().filter(|id| !before.contains_key(*id)).cloned().collect();
    let (mut got, _) = probe.results(&rest, 240 * S);
    for (k, v) in before {
        got.entry(k).or_default().extend(v);
    }
    assert_answered(&got, &ids);
    daemon.wait_log("lost the broker", S);
    assert!(daemon.count_log("connected to the broker") >= 2);
    assert!(daemon.count_log("session_present=true") >= 1, "the broker kept our session across its restart");
    let dups: usize = got.values().map(|v| v.len() - 1).sum();
    println!("broker restart: {} of {} jobs answered, 0 lost, {dups} duplicate results", got.len(), ids.len());
}

#[test]
fn sigterm_finishes_the_job_in_flight_and_talks_to_systemd() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let cfg = daemon_config(dir.path(), "node-term", broker.port, "", "");
    let notes = Notifications::listen(dir.path());
    let mut probe = Probe::connect(broker.port, "probe-term", &["maaza/results/#", "maaza/status/#"]);
    let sock_env = notes.path.to_str().unwrap();
    let mut daemon = Daemon::start_with(&cfg, &[("NOTIFY_SOCKET", sock_env), ("WATCHDOG_USEC", "1000000")]);
    assert_eq!(notes.wait_count("READY=1", 10 * S), 1, "{:?}", notes.all());

    probe.job(&long_job("term-long"));
    probe.job(&job("term-queued", "sensor_reading", &example("sensor_reading").prompt));
    probe.flush(10 * S);
    daemon.wait_log("job started job_id=term-long", 30 * S);
    std::thread::sleep(2 * S);
    let status = daemon.terminate(120 * S);
    assert_eq!(status.code(), Some(0), "a clean shutdown exits 0");

    let (got, other) = probe.results(&["term-long".into()], 10 * S);
    assert!(got.contains_key("term-long"), "the job in flight was answered before exit");
    assert!(!got.contains_key("term-queued"), "a job not started at SIGTERM is left for the restart");
    let off = other
        .into_iter()
        .find(|r| is_status("node-term", "offline")(r))
        .unwrap_or_else(|| probe.expect("offline status", 10 * S, is_status("node-term", "offline")));
    assert_eq!((off.payload["state"].as_str(), off.payload["reason"].as_str()), (Some("offline"), Some("shutdown")));
    assert!(notes.count("WATCHDOG=1") >= 2, "the watchdog was petted while the job ran: {:?}", notes.all());
    assert_eq!(notes.count("STOPPING=1"), 1, "{:?}", notes.all());

    // The job left in the queue is delivered again and answered after the restart.
    let _daemon = Daemon::start(&cfg);
    let (got, _) = probe.results(&["term-queued".into()], 60 * S);
    assert!(got.contains_key("term-queued"), "the queued job was lost");
}

/// A hostile payload, and what the daemon must answer: the rejection code for a job it
/// can read, `None` for one without a usable id (answered on `maaza/errors`), or any
/// status for a job that is valid but nasty.
struct Hostile {
    payload: Vec<u8>,
    id: Option<String>,
    code: Option<&'static str>,
}

/// `n` hostile payloads, the same for the same `n`: junk bytes, broken and deep JSON,
/// wrong types, oversized inputs, schema bombs.
fn hostile_payloads(n: usize) -> Vec<Hostile> {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let text = "[CRITICAL] source=ups-rack4 message=Battery low";
    let mut deep_all_of = json!({"type": "object", "properties": {"a": {"type": "string"}}});
    for _ in 0..40 {
        deep_all_of = json!({"allOf": [deep_all_of]});
    }
    let huge_enum = json!({"type": "object", "properties": {"e": {"enum": (0..20_000).map(|i| format!("v{i}")).collect::<Vec<_>>()}}});
    let ref_cycle = json!({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"});
    let mut out = Vec::new();
    for i in 0..n {
        let id = format!("h-{i:05}");
        let job = |schema: Value, input: Value| json!({"id": id, "schema": schema, "input": input});
        let readable = |payload: Value, code: &'static str| Hostile {
            payload: serde_json::to_vec(&payload).unwrap(),
            id: Some(id.clone()),
            code: Some(code),
        };
        let h = match i % 12 {
            0 => {
                let len = (next() % 512) as usize;
                let bytes: Vec<u8> = (0..len).map(|_| (next() % 256) as u8).collect();
                Hostile { payload: bytes, id: None, code: None }
            }
            1 => {
                let full = serde_json::to_vec(&job(json!("alert"), json!(text))).unwrap();
                let cut = 1 + (next() as usize % (full.len() - 1));
                Hostile { payload: full[..cut].to_vec(), id: None, code: None }
            }
            2 => Hostile {
                payload: format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes(),
                id: None,
                code: None,
            },
            3 => readable(job(json!("alert"), json!("x".repeat(70_000))), "input_too_large"),
            4 => readable(job(json!(["alert"]), json!(text)), "schema_invalid"),
            5 => readable(job(json!("alert"), json!({"text": text})), "bad_field"),
            6 => readable(job(deep_all_of.clone(), json!(text)), "schema_invalid"),
            7 => readable(job(huge_enum.clone(), json!(text)), "schema_invalid"),
            8 => readable(
                json!({"id": id, "schema": "alert", "input": text, "max_tokens": 4_000_000_000u64}),
                "bad_field",
            ),
            9 => readable(
                job(json!({"type": "object", "properties": {"a": {"$ref": "file:///etc/passwd"}}}), json!(text)),
                "schema_remote_ref",
            ),
            10 => readable(
                job(
                    json!({"type": "object", "properties": {"p": {"type": "string", "pattern": "(?<=a)b"}}}),
                    json!(text),
                ),
                "schema_invalid",
            ),
            _ => match i % 36 {
                11 => readable(job(ref_cycle.clone(), json!(text)), "schema_invalid"),
                23 => readable(job(json!({"$ref": "#"}), json!(text)), "schema_invalid"),
                _ => readable(json!({"id": id, "schema": "alert", "input": "\u{0}\u{202e}\u{feff}"}), "any"),
            },
        };
        out.push(h);
    }
    out
}

#[test]
fn hostile_payloads_are_answered_and_the_node_stays_up() {
    let n: usize = std::env::var("MAAZA_HOSTILE_PAYLOADS").ok().and_then(|v| v.parse().ok()).unwrap_or(600);
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let limits = "[limits]\njob_timeout_s = 20\n";
    let cfg = daemon_config(dir.path(), "node-hostile", broker.port, "", limits);
    let mut probe =
        Probe::connect(broker.port, "probe-hostile", &["maaza/results/#", "maaza/errors", "maaza/status/#"]);
    let daemon = Daemon::start(&cfg);
    let payloads = hostile_payloads(n);
    // Two regex bombs on a long input: linear-time patterns, bounded by the job's deadline.
    let bomb =
        json!({"type": "object", "properties": {"x": {"type": "string", "pattern": "(a+)+$"}}, "required": ["x"]});
    let mut bombs = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        probe.publish("maaza/jobs", p.payload.clone());
        if i % 300 == 150 {
            bombs.push(format!("bomb-{i}"));
            probe.job(&json!({"id": bombs.last(), "schema": bomb, "input": "a".repeat(3000)}));
        }
    }
    probe.job(&job("good-after", "alert", "[CRITICAL] source=ups-rack4 message=Battery low"));
    probe.flush(60 * S);

    let mut ids: Vec<String> = payloads.iter().filter_map(|p| p.id.clone()).collect();
    ids.push("good-after".into());
    ids.extend(bombs.iter().cloned());
    // Most readable jobs reach the worker (inline schemas are compiled there), one at a
    // time, and every 300th holds it until the job deadline: the wait grows with `n`.
    let (got, other) = probe.results(&ids, 600 * S + n as u32 * S / 4);
    let lost: Vec<&String> = ids.iter().filter(|id| !got.contains_key(*id)).collect();
    assert!(lost.is_empty(), "{} readable jobs got no answer: {:?}", lost.len(), &lost[..lost.len().min(10)]);
    let mut codes: HashMap<String, usize> = HashMap::new();
    for p in payloads.iter().filter(|p| p.id.is_some()) {
        let r = &got[p.id.as_ref().unwrap()][0];
        let code = r["errors"][0]["code"].as_str().unwrap_or("none").to_string();
        if p.code != Some("any") {
            assert_eq!(r["status"], "rejected", "{r}");
            assert_eq!(Some(code.as_str()), p.code, "{r}");
        }
        *codes.entry(format!("{}/{code}", r["status"].as_str().unwrap())).or_default() += 1;
    }
    assert_eq!(got["good-after"][0]["status"], "ok", "{}", got["good-after"][0]);
    let bomb_runs: Vec<String> = bombs
        .iter()
        .map(|b| {
            let r = &got[b][0];
            format!("{} in {:.1} s", r["status"], r["telemetry"]["total_ms"].as_f64().unwrap_or(0.0) / 1000.0)
        })
        .collect();
    let unreadable = payloads.iter().filter(|p| p.id.is_none()).count();
    let errors = other.iter().filter(|r| r.topic == "maaza/errors").count();
    let rss: Vec<u64> = other
        .iter()
        .filter(|r| is_status("node-hostile", "online")(r))
        .filter_map(|r| r.payload["peak_rss_bytes"].as_u64())
        .collect();
    assert!(!rss.is_empty(), "no heartbeat with figures came");
    let peak = rss.iter().max().copied().unwrap_or(0);
    assert!(peak < 400 << 20, "memory grew to {} MB", peak >> 20);
    assert_eq!(daemon.count_log("panicked"), 0);
    let mut codes: Vec<_> = codes.into_iter().collect();
    codes.sort();
    println!(
        "hostile payloads: {n} sent; {} readable jobs all answered ({codes:?}); {unreadable} unreadable, \
         {errors} answers on maaza/errors so far; regex bombs: {bomb_runs:?}; peak RSS in heartbeats {} MB; \
         the node answered a good job after",
        ids.len() - 1 - bombs.len(),
        peak >> 20
    );
}

#[test]
fn broker_unreachable_at_start_the_node_waits_not_ready_then_serves() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let cfg = daemon_config(dir.path(), "node-wait", port, "", "");
    let notes = Notifications::listen(dir.path());
    let daemon = Daemon::spawn(&cfg, &[("NOTIFY_SOCKET", notes.path.to_str().unwrap())]);
    daemon.wait_log("cannot reach the broker", 60 * S);
    std::thread::sleep(3 * S);
    assert_eq!(notes.count("READY=1"), 0, "READY=1 before the broker was reached: {:?}", notes.all());
    assert_eq!(daemon.count_log(" ready "), 0);

    // The broker comes up on that port: the backoff (at most 15 s) finds it.
    let broker = Broker::start_on(port);
    daemon.wait_log_all(&["daemon::node", " ready "], 60 * S);
    assert_eq!(notes.wait_count("READY=1", 10 * S), 1, "{:?}", notes.all());
    let mut probe = Probe::connect(broker.port, "probe-wait", &["maaza/results/#"]);
    probe.job(&job("wait-1", "alert", "[CRITICAL] source=ups-rack4 message=Battery low"));
    let (got, _) = probe.results(&["wait-1".into()], 60 * S);
    assert_eq!(got["wait-1"][0]["status"], "ok", "{}", got["wait-1"][0]);
}

#[test]
fn a_model_file_deleted_while_running_is_not_used_and_the_next_start_says_why() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.gguf");
    std::fs::copy(common::model_path(), &model).unwrap();
    let cfg = daemon_config(dir.path(), "node-gone", broker.port, "", "");
    let text = std::fs::read_to_string(&cfg).unwrap();
    let text = text.replace(&common::model_path().display().to_string(), &model.display().to_string());
    std::fs::write(&cfg, text).unwrap();
    let mut probe = Probe::connect(broker.port, "probe-gone", &["maaza/results/#"]);
    let mut daemon = Daemon::start(&cfg);
    let alert = "[CRITICAL] source=ups-rack4 message=Battery low";
    probe.job(&job("gone-1", "alert", alert));
    let (got, _) = probe.results(&["gone-1".into()], 60 * S);
    assert_eq!(got["gone-1"][0]["status"], "ok", "{}", got["gone-1"][0]);

    std::fs::remove_file(&model).unwrap();
    // Labelled so that the plan cannot settle it: this one needs the model.
    let noted = format!("Note: {}", example("sensor_reading").prompt);
    probe.job(&job("gone-2", "sensor_reading", &noted));
    daemon.wait_log("was deleted while the daemon ran", 30 * S);
    // The daemon stops by itself (exit 1: systemd restarts it) ...
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = daemon.try_wait() {
            break s;
        }
        assert!(start.elapsed() < 30 * S, "the daemon kept running on a deleted model");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(1));
    // ... and the next start reports the missing file (exit 2: systemd stops restarting).
    let out = common::maaza().arg("--config").arg(&cfg).arg("serve").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("model.gguf"), "{err}");
    // The job was neither run on the missing model nor answered: the broker kept it, and
    // a start with the file back runs it.
    assert!(probe.next(Duration::from_millis(500)).is_none_or(|r| r.payload["id"] != "gone-2"));
    std::fs::copy(common::model_path(), &model).unwrap();
    let _daemon = Daemon::start(&cfg);
    let (got, _) = probe.results(&["gone-2".into()], 60 * S);
    assert_eq!(got["gone-2"][0]["status"], "ok", "{}", got["gone-2"][0]);
}
