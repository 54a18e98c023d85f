//! Faults in a row, with the figures each prints: jobs submitted, answered, lost and
//! answered more than once. kill -9 of the daemon mid-job ten times in a row, and the
//! broker restarted five times while results flow.

mod common;

use common::broker::{daemon_config, Broker, Daemon, Probe};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const S: Duration = Duration::from_secs(1);

/// Jobs that run the model for seconds (the invoice example, a complex schema).
fn long_job(id: &str) -> Value {
    let ex = common::examples().into_iter().find(|e| e.schema_id == "invoice").unwrap();
    json!({"id": id, "schema": "invoice", "input": format!("Note: {}", ex.prompt), "max_tokens": 600})
}

fn report(fault: &str, ids: &[String], got: &HashMap<String, Vec<Value>>) {
    let lost: Vec<&String> = ids.iter().filter(|id| !got.contains_key(*id)).collect();
    let duplicates: usize = got.values().map(|v| v.len() - 1).sum();
    let mut statuses: HashMap<&str, usize> = HashMap::new();
    for r in got.values() {
        *statuses.entry(r[0]["status"].as_str().unwrap_or("?")).or_default() += 1;
    }
    println!(
        "{fault}: {} submitted, {} answered, {} lost, {duplicates} answered more than once; statuses {statuses:?}",
        ids.len(),
        got.len(),
        lost.len()
    );
    assert!(lost.is_empty(), "{fault}: jobs lost: {lost:?}");
}

#[test]
fn kill_9_mid_job_ten_times_in_a_row() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let cfg = daemon_config(dir.path(), "node-k10", broker.port, "", "");
    let mut probe = Probe::connect(broker.port, "probe-k10", &["maaza/results/#"]);
    // The daemon's session must exist before the jobs are published, or the broker has
    // nobody to keep them for.
    let mut daemon = Daemon::start(&cfg);
    let ids: Vec<String> = (0..10).map(|i| format!("k10-{i}")).collect();
    for id in &ids {
        probe.job(&long_job(id));
    }
    probe.flush(10 * S);
    let mut got: HashMap<String, Vec<Value>> = HashMap::new();
    let mut kills = 0;
    while kills < 10 && got.len() < ids.len() {
        if kills > 0 {
            daemon = Daemon::start(&cfg);
        }
        // Mid-job: a model job has started and had a moment to run.
        let started = Instant::now();
        while daemon.count_log("job started") == 0 {
            assert!(started.elapsed() < 60 * S, "no job started within 60 s after restart {kills}");
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(700));
        daemon.kill9();
        kills += 1;
        probe.collect(&mut got, usize::MAX, 2 * S, S);
    }
    let _daemon = Daemon::start(&cfg);
    probe.collect(&mut got, usize::MAX, 300 * S, 60 * S);
    probe.collect(&mut got, usize::MAX, 3 * S, 3 * S);
    report(&format!("kill -9 mid-job x{kills}"), &ids, &got);
    // A job that was running at two deaths is answered `failed` rather than run a third time.
    for r in got.values().map(|v| &v[0]) {
        let s = r["status"].as_str().unwrap();
        assert!(matches!(s, "ok" | "invalid_output" | "failed"), "{r}");
        if s == "failed" {
            assert!(r["errors"][0]["message"].as_str().unwrap().contains("died 2 times"), "{r}");
        }
    }
}

#[test]
fn broker_restarted_five_times_mid_stream() {
    let mut broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    // A small queue keeps most jobs on the broker's side, in our session, across its restarts.
    let cfg = daemon_config(dir.path(), "node-b5", broker.port, "", "[limits]\nqueue_capacity = 2\n");
    let mut probe = Probe::connect(broker.port, "probe-b5", &["maaza/results/#"]);
    let daemon = Daemon::start(&cfg);
    let simple: Vec<_> = common::examples().into_iter().filter(|e| e.complexity == "simple").collect();
    let ids: Vec<String> = (0..40).map(|i| format!("b5-{i:02}")).collect();
    for (i, id) in ids.iter().enumerate() {
        let ex = &simple[i % simple.len()];
        // Labelled with a `Note:` the planner cannot lay out, so the model runs each one.
        probe.job(&json!({"id": id, "schema": ex.schema_id, "input": format!("Note: {}", ex.prompt)}));
    }
    probe.flush(10 * S);
    let mut got: HashMap<String, Vec<Value>> = HashMap::new();
    for round in 1..=5 {
        let before = got.len();
        let start = Instant::now();
        while got.len() < before + 3 && start.elapsed() < 120 * S {
            probe.collect(&mut got, usize::MAX, S, S);
        }
        println!("broker restart {round}: {} of {} answered before it", got.len(), ids.len());
        broker.stop();
        std::thread::sleep(Duration::from_millis(500));
        broker.restart();
    }
    probe.collect(&mut got, usize::MAX, 600 * S, 90 * S);
    probe.collect(&mut got, usize::MAX, 3 * S, 3 * S);
    report("broker restart x5", &ids, &got);
    assert!(daemon.count_log("connected to the broker") >= 6);
}
