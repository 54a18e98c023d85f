//! What a node shows to the tools edge users already run, against a real Mosquitto and
//! the real daemon: Home Assistant's MQTT discovery (subscribed to as Home Assistant
//! subscribes, checked against docs/homeassistant-discovery.schema.json) and
//! `maaza status`.

mod common;

use common::broker::{daemon_config, Broker, Daemon, Probe, Received};
use serde_json::{json, Value};
use std::process::Stdio;
use std::time::Duration;

const S: Duration = Duration::from_secs(1);
const CONFIG_TOPIC: &str = "homeassistant/device/maaza_node-ha/config";

/// A fake board (47.5 °C CPU, a vcgencmd that reports throttling) so that every entity has a value.
fn board(dir: &std::path::Path) -> String {
    let sys = dir.join("sys");
    std::fs::create_dir_all(sys.join("class/thermal/thermal_zone0")).unwrap();
    std::fs::write(sys.join("class/thermal/thermal_zone0/type"), "cpu-thermal\n").unwrap();
    std::fs::write(sys.join("class/thermal/thermal_zone0/temp"), "47500\n").unwrap();
    let vcgencmd = dir.join("vcgencmd");
    std::fs::write(&vcgencmd, "#!/bin/sh\n[ \"$1\" = get_throttled ] && echo throttled=0x50005 || exit 1\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&vcgencmd, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!(
        "[telemetry]\nenergy_source = \"estimate\"\nsysfs_root = \"{}\"\nvcgencmd = \"{}\"\n\n\
         [homeassistant]\nenabled = true\n",
        sys.display(),
        vcgencmd.display()
    )
}

fn is_config(r: &Received) -> bool {
    r.topic == CONFIG_TOPIC && r.payload.is_object()
}

/// The status field a sensor's template reads: `value_json.a.b`, `(value_json.a | default({})).b`,
/// or `{% set r = value_json.a ... %}` and then `r.b`.
fn template_path(template: &str) -> Vec<String> {
    let top = regex::Regex::new(r"value_json\.([a-z_0-9]+)").unwrap();
    let inner = regex::Regex::new(r"(?:\)|\br)\.([a-z_0-9]+)").unwrap();
    let reads: Vec<&str> = top.captures_iter(template).map(|c| c.get(1).unwrap().as_str()).collect();
    // The figure itself: the last field the template reads (past the guards on `n` and `energy_source`).
    let first = *reads.iter().rfind(|f| **f != "energy_source").unwrap_or_else(|| panic!("reads nothing: {template}"));
    let mut path = vec![first.to_string()];
    if let Some(c) = inner.captures_iter(template).map(|c| c.get(1).unwrap().as_str()).filter(|f| *f != "n").last() {
        path.push(c.to_string());
    }
    path
}

#[test]
fn home_assistant_discovery_and_maaza_status() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let cfg = daemon_config(dir.path(), "node-ha", broker.port, "", &board(dir.path()));
    // Home Assistant subscribes to its discovery prefix and to the state topics.
    let mut ha = Probe::connect(broker.port, "probe-ha", &["homeassistant/#", "maaza/status/#"]);
    let mut daemon = Daemon::start(&cfg);

    let discovery = ha.expect("discovery config", 10 * S, is_config);
    let late = Probe::connect(broker.port, "probe-ha-late", &["homeassistant/device/+/config"]);
    let kept = late.expect("retained discovery", 5 * S, is_config);
    assert!(kept.retain, "discovery is retained, so Home Assistant finds it after its own restart");
    drop(late);
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("docs/homeassistant-discovery.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&doc).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&discovery.payload).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:?}\n{}", discovery.payload);
    let d = &discovery.payload;
    assert_eq!(d["state_topic"], "maaza/status/node-ha");
    assert_eq!(
        (d["dev"]["model"].as_str(), d["dev"]["sw_version"].as_str()),
        (Some("smollm2-135m"), Some(env!("CARGO_PKG_VERSION")))
    );
    let cmps = d["cmps"].as_object().unwrap();
    let kinds: Vec<(&str, Option<&str>, Option<&str>)> = cmps
        .values()
        .map(|c| (c["name"].as_str().unwrap(), c["unit_of_measurement"].as_str(), c["device_class"].as_str()))
        .collect();
    for want in [
        ("Jobs per minute", Some("jobs/min"), None),
        ("Latency p50", Some("ms"), Some("duration")),
        ("Generation speed", Some("tok/s"), None),
        ("Energy per job", Some("J"), None),
        ("Energy", Some("J"), Some("energy")),
        ("CPU temperature", Some("°C"), Some("temperature")),
        ("Memory (RSS)", Some("B"), Some("data_size")),
        ("Queue depth", Some("jobs"), None),
        ("Throttled", None, Some("problem")),
    ] {
        assert!(kinds.contains(&want), "missing {want:?} in {kinds:?}");
    }

    // A job, so that the recent figures exist; then every template's field is in the status.
    ha.job(&json!({"id": "ha-1", "schema": "sensor_reading", "input": "Temp 21.5C, humidity 40% at 10:32"}));
    let status = ha.expect("a status after the job", 60 * S, |r| {
        r.topic == "maaza/status/node-ha"
            && r.payload["jobs"]["ok"].as_u64() == Some(1)
            && r.payload["recent"]["n"] == 1
    });
    let s = &status.payload;
    for (id, c) in cmps {
        let path = template_path(c["value_template"].as_str().unwrap());
        let value = path.iter().fold(s, |v, k| &v[k.as_str()]);
        let ok = if c["p"] == "binary_sensor" { value.is_boolean() } else { value.is_number() };
        assert!(ok, "{id}: `{}` reads {path:?} = {value} from {s}", c["value_template"]);
    }
    assert_eq!(s["throttled"], true, "{s}");
    assert!(s["jobs_per_min"].as_u64().unwrap() >= 1 && s["recent"]["p50_ms"].as_f64().unwrap() > 0.0, "{s}");

    // Home Assistant restarts: the discovery was cleared, and comes back when HA says `online`.
    ha.publish_retained(CONFIG_TOPIC, "");
    ha.expect("the cleared config", 5 * S, |r| r.topic == CONFIG_TOPIC && r.payload == "");
    ha.publish("homeassistant/status", "online");
    let again = ha.expect("discovery again after HA's birth message", 10 * S, is_config);
    assert_eq!(again.payload, discovery.payload);
    daemon.wait_log("Home Assistant is online", 5 * S);

    // `maaza status`, as a table and as JSON.
    let status_cmd = |extra: &[&str]| {
        let mut c = common::maaza();
        c.args(["--config", cfg.to_str().unwrap(), "status"]).args(extra);
        c
    };
    let out = status_cmd(&[]).output().unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let row = table.lines().find(|l| l.starts_with("node-ha")).unwrap_or_else(|| panic!("{table}"));
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!((cells[1], cells[3], cells[4]), ("online", "smollm2-135m", "1"), "{table}");
    assert_eq!(&cells[cells.len() - 3..], ["47.5°C", "yes", "estimate"], "{table}");
    let out = status_cmd(&["--json"]).output().unwrap();
    let nodes: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(nodes[0]["node"], "node-ha");
    assert_eq!(nodes[0]["jobs"]["ok"], 1);

    // --watch redraws until stopped.
    let mut watch = status_cmd(&["--watch", "--json", "--interval", "0.3"]).stdout(Stdio::piped()).spawn().unwrap();
    let lines = std::io::BufRead::lines(std::io::BufReader::new(watch.stdout.take().unwrap()));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        lines.map_while(Result::ok).filter(|l| l.contains("node-ha")).try_for_each(|l| tx.send(l))
    });
    let frames = (0..3).filter_map(|_| rx.recv_timeout(30 * S).ok()).count();
    watch.kill().unwrap();
    let _ = watch.wait();
    assert_eq!(frames, 3, "--watch redraws");

    // Stopped: the table says offline, and Home Assistant sees the node unavailable.
    assert!(daemon.terminate(30 * S).success());
    ha.expect("offline status", 10 * S, |r| r.topic == "maaza/status/node-ha" && r.payload["state"] == "offline");
    let out = status_cmd(&[]).output().unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.lines().any(|l| l.starts_with("node-ha") && l.contains("offline (shutdown)")), "{table}");

    // No node on a broker: a clear error.
    let empty = Broker::start();
    let out =
        common::maaza().args(["status", "--host", "127.0.0.1", "--port", &empty.port.to_string()]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no maaza node has a status on maaza/status/+"), "{stderr}");
}
