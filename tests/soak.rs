//! Soak: thousands of short jobs through one daemon, its resident memory sampled every
//! 500 results. Slow, so ignored by `cargo test`; `scripts/soak.sh` runs it
//! (`MAAZA_SOAK_JOBS`, default 5000).

mod common;

use common::broker::{daemon_config, Broker, Daemon, Probe};
use serde_json::json;
use std::collections::HashSet;
use std::time::{Duration, Instant};

#[test]
#[ignore = "slow: run with scripts/soak.sh"]
fn soak_rss_stays_flat_and_every_result_arrives() {
    let jobs: usize = std::env::var("MAAZA_SOAK_JOBS").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let cfg = daemon_config(dir.path(), "node-soak", broker.port, "", "");
    let mut probe = Probe::connect(broker.port, "probe-soak", &["maaza/results/#"]);
    let daemon = Daemon::start(&cfg);
    // Short inputs of three kinds: one the plan settles, one the model decodes, one rejected.
    let texts = [
        ("alert", "[CRITICAL] source=ups-rack4 message=Battery low".to_string()),
        ("alert", "Note: ups-rack4 reports a critical battery".to_string()),
        ("no_such_schema", "x".to_string()),
    ];
    let started = Instant::now();
    let mut samples = vec![(0usize, daemon.rss_bytes())];
    let mut seen = HashSet::new();
    let mut sent = 0;
    while seen.len() < jobs {
        // Keep about 200 jobs in flight: the broker holds them, the daemon takes its queue's worth.
        while sent < jobs && sent < seen.len() + 200 {
            let (schema, text) = &texts[if sent % 20 == 7 {
                1
            } else if sent % 50 == 3 {
                2
            } else {
                0
            }];
            probe.job(&json!({"id": format!("soak-{sent:05}"), "schema": schema, "input": text}));
            sent += 1;
        }
        let Some(r) = probe.next(Duration::from_secs(120)) else {
            panic!("no result for 120 s; {} of {jobs} answered", seen.len());
        };
        let new = r.topic.starts_with("maaza/results/") && seen.insert(r.payload["id"].as_str().unwrap().to_string());
        if new && seen.len() % 500 == 0 {
            samples.push((seen.len(), daemon.rss_bytes()));
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let mb = |b: u64| b as f64 / (1 << 20) as f64;
    let curve: Vec<String> = samples.iter().map(|(n, b)| format!("{n}:{:.1}", mb(*b))).collect();
    println!(
        "soak: {jobs} jobs in {secs:.0} s ({:.1} jobs/s), all answered; RSS MB by results: {}",
        jobs as f64 / secs,
        curve.join(" ")
    );
    // Flat after warm-up: the last sample within 20 MB of the one at 500 results.
    let (warm, last) = (samples[1.min(samples.len() - 1)].1, samples[samples.len() - 1].1);
    assert!(last <= warm + (20 << 20), "RSS grew from {:.1} MB to {:.1} MB", mb(warm), mb(last));
}
