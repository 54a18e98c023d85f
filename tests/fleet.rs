//! A fleet: three `maaza serve` nodes with distinct node ids in one shared-subscription
//! group on one real Mosquitto, 300 jobs, and one node killed with -9 mid-run and
//! brought back as systemd would. Every job is answered, and the figures (the split
//! across nodes, duplicates, what the broker held for the killed node) are printed.

mod common;

use common::broker::{daemon_config, Broker, Daemon, Probe};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

const S: Duration = Duration::from_secs(1);
const JOBS: usize = 300;

fn node_config(dir: &std::path::Path, node: &str, port: u16) -> std::path::PathBuf {
    let sub = dir.join(node);
    std::fs::create_dir_all(&sub).unwrap();
    // A small in-flight window: the broker hands each node at most 4 unacknowledged jobs.
    daemon_config(&sub, node, port, "", "[limits]\nqueue_capacity = 4\n")
}

#[test]
fn three_nodes_share_300_jobs_and_a_killed_node_loses_none() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let nodes = ["fleet-a", "fleet-b", "fleet-c"];
    let configs: Vec<_> = nodes.iter().map(|n| node_config(dir.path(), n, broker.port)).collect();
    let mut probe = Probe::connect(broker.port, "probe-fleet", &["maaza/results/#"]);
    let mut daemons: Vec<Daemon> = configs.iter().map(|c| Daemon::start(c)).collect();

    let simple: Vec<_> = common::examples().into_iter().filter(|e| e.complexity == "simple").collect();
    let ids: Vec<String> = (0..JOBS).map(|i| format!("fleet-{i:03}")).collect();
    for (i, id) in ids.iter().enumerate() {
        let ex = &simple[i % simple.len()];
        probe.job(&json!({"id": id, "schema": ex.schema_id, "input": ex.prompt}));
    }
    probe.flush(30 * S);

    // A third of the way in, kill -9 the second node.
    let mut got: HashMap<String, Vec<Value>> = HashMap::new();
    probe.collect(&mut got, JOBS / 3, 300 * S, 120 * S);
    assert!(got.len() >= JOBS / 3, "only {} of {JOBS} answered before the kill", got.len());
    daemons[1].kill9();
    let killed_at = got.len();

    // The survivors go on; whatever the broker keeps for the dead node's session waits.
    probe.collect(&mut got, JOBS, 600 * S, 20 * S);
    let held: Vec<String> = ids.iter().filter(|id| !got.contains_key(*id)).cloned().collect();

    // systemd restarts the node: same node id, same persistent session.
    daemons[1] = Daemon::start(&configs[1]);
    probe.collect(&mut got, JOBS, 300 * S, 120 * S);
    let lost: Vec<&String> = ids.iter().filter(|id| !got.contains_key(*id)).collect();
    assert!(lost.is_empty(), "jobs lost: {lost:?}");

    // Anything answered twice shows up now.
    probe.collect(&mut got, usize::MAX, 3 * S, 3 * S);
    let mut by_node: BTreeMap<String, usize> = BTreeMap::new();
    for results in got.values() {
        *by_node.entry(results[0]["node"].as_str().unwrap_or("?").to_string()).or_default() += 1;
        let statuses: Vec<&str> = results.iter().map(|r| r["status"].as_str().unwrap_or("?")).collect();
        assert!(statuses.iter().all(|s| *s == "ok" || *s == "invalid_output"), "{statuses:?}");
    }
    let duplicates: usize = got.values().map(|v| v.len() - 1).sum();
    assert_eq!(got.len(), JOBS, "after dedupe by id, one result per job");
    println!(
        "fleet: {JOBS} jobs, 3 nodes, fleet-b killed after {killed_at} results; answered {} (0 lost), \
         {duplicates} duplicate results (clients dedupe by id); held for the killed node until its \
         restart: {} {:?}; first answer by node: {by_node:?}",
        got.len(),
        held.len(),
        held
    );
}
