//! What this node says about itself on `<prefix>/status/<node_id>` (retained):
//! `online` at connect and in every heartbeat with node figures, `offline` as the
//! Last Will and at shutdown.

use super::worker::ModelInfo;
use crate::job::Status;
use crate::telemetry::memory;
use serde::Serialize;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Counters kept by the daemon since it started.
#[derive(Debug, Clone, Default, Serialize)]
pub struct JobCounts {
    pub ok: u64,
    pub invalid_output: u64,
    pub rejected: u64,
    pub failed: u64,
    /// Answered again from the result store (redeliveries and resubmissions).
    pub replayed: u64,
}

impl JobCounts {
    /// Counts one published result.
    pub fn count(&mut self, status: Status, replayed: bool) {
        if replayed {
            self.replayed += 1;
            return;
        }
        match status {
            Status::Ok => self.ok += 1,
            Status::InvalidOutput => self.invalid_output += 1,
            Status::Rejected => self.rejected += 1,
            Status::Failed => self.failed += 1,
        }
    }
}

/// The node's figures at one moment.
#[derive(Debug, Clone, Serialize)]
pub struct Heartbeat<'a> {
    pub state: &'static str,
    pub node: &'a str,
    pub version: &'static str,
    /// Unix time in seconds.
    pub ts: u64,
    pub uptime_s: u64,
    pub jobs: &'a JobCounts,
    /// Jobs accepted and waiting for the model.
    pub queue_depth: usize,
    /// Capacity of that queue (`limits.queue_capacity`).
    pub queue_capacity: usize,
    pub models: &'a [ModelInfo],
    pub rss_bytes: u64,
    pub peak_rss_bytes: u64,
}

/// Inputs of a heartbeat besides the counters.
pub struct NodeView<'a> {
    pub node: &'a str,
    pub started: Instant,
    pub models: &'a [ModelInfo],
    pub queue_depth: usize,
    pub queue_capacity: usize,
}

/// The `online` status with current figures.
pub fn online(view: &NodeView<'_>, jobs: &JobCounts) -> String {
    let mem = memory::rss();
    let beat = Heartbeat {
        state: "online",
        node: view.node,
        version: env!("CARGO_PKG_VERSION"),
        ts: unix_now(),
        uptime_s: view.started.elapsed().as_secs(),
        jobs,
        queue_depth: view.queue_depth,
        queue_capacity: view.queue_capacity,
        models: view.models,
        rss_bytes: mem.rss_bytes,
        peak_rss_bytes: mem.peak_rss_bytes,
    };
    serde_json::to_string(&beat).unwrap_or_else(|_| offline(view.node, "online"))
}

/// The `offline` status; `reason` is `lost` for the Last Will, `shutdown` for a clean stop.
pub fn offline(node: &str, reason: &str) -> String {
    serde_json::json!({"state": "offline", "node": node, "reason": reason, "ts": unix_now()}).to_string()
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn online_carries_the_node_figures() {
        let models = [ModelInfo {
            name: "m".into(),
            file: "/m.gguf".into(),
            quant: Some("Q4_1".into()),
            params: 7,
            threads: 2,
            context: 2048,
        }];
        let mut jobs = JobCounts::default();
        jobs.count(Status::Ok, false);
        jobs.count(Status::Ok, true);
        jobs.count(Status::Rejected, false);
        let view =
            NodeView { node: "pi", started: Instant::now(), models: &models, queue_depth: 3, queue_capacity: 64 };
        let v: serde_json::Value = serde_json::from_str(&online(&view, &jobs)).unwrap();
        assert_eq!(v["state"], "online");
        assert_eq!(v["jobs"]["ok"], 1);
        assert_eq!(v["jobs"]["replayed"], 1);
        assert_eq!(v["jobs"]["rejected"], 1);
        assert_eq!(v["queue_depth"], 3);
        assert_eq!(v["models"][0]["quant"], "Q4_1");
        assert!(v["rss_bytes"].as_u64().unwrap() > 0);
        let off: serde_json::Value = serde_json::from_str(&offline("pi", "lost")).unwrap();
        assert_eq!((off["state"].as_str(), off["reason"].as_str()), (Some("offline"), Some("lost")));
    }
}
