//! What this node says about itself on `<prefix>/status/<node_id>` (retained):
//! `online` at connect and in every heartbeat with node figures, `offline` as the
//! Last Will and at shutdown. The same figures feed the Prometheus endpoint.

use super::worker::ModelInfo;
use crate::job::{PrefixUse, Status, Telemetry};
use crate::telemetry::{memory, BoardReadings};
use serde::Serialize;
use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Jobs averaged in `recent`.
pub const RECENT_JOBS: usize = 50;

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

/// Sums over every job the model ran (replays cost nothing and are not counted).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub jobs: u64,
    pub prompt_tokens: u64,
    pub generated_tokens: u64,
    pub energy_j: f64,
    /// Jobs whose schema's prompt prefix was reused (still in the context, or restored
    /// from the prefix cache), and jobs that evaluated it.
    pub prefix_cache_hits: u64,
    pub prefix_cache_misses: u64,
}

impl Totals {
    /// Share of prefix lookups that hit, when there was any.
    pub fn prefix_cache_hit_rate(&self) -> Option<f64> {
        let n = self.prefix_cache_hits + self.prefix_cache_misses;
        (n > 0).then(|| (self.prefix_cache_hits as f64 / n as f64 * 1000.0).round() / 1000.0)
    }
}

/// Averages over the last [`RECENT_JOBS`] jobs the model ran.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Recent {
    pub n: usize,
    pub total_ms: f64,
    /// Median job time.
    pub p50_ms: f64,
    pub gen_tokens_per_s: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub energy_j: Option<f64>,
}

/// The span `jobs_per_min` counts over.
const MINUTE: Duration = Duration::from_secs(60);

/// Everything the daemon counts about its jobs.
#[derive(Debug, Clone, Default)]
pub struct NodeStats {
    pub jobs: JobCounts,
    pub totals: Totals,
    window: VecDeque<(f64, f64, Option<f64>)>,
    /// When each result of the last minute was counted.
    answered: VecDeque<Instant>,
}

impl NodeStats {
    /// Counts one published result; `telemetry` is that of a job the model ran.
    pub fn count(&mut self, status: Status, replayed: bool, telemetry: Option<&Telemetry>) {
        let now = Instant::now();
        self.prune(now);
        self.answered.push_back(now);
        if replayed {
            self.jobs.replayed += 1;
            return;
        }
        match status {
            Status::Ok => self.jobs.ok += 1,
            Status::InvalidOutput => self.jobs.invalid_output += 1,
            Status::Rejected => self.jobs.rejected += 1,
            Status::Failed => self.jobs.failed += 1,
        }
        // Jobs that were decoded or settled by the plan (no token generated) count; refused ones did no work.
        let worked = matches!(status, Status::Ok | Status::InvalidOutput);
        let Some(t) = telemetry.filter(|_| worked) else { return };
        self.totals.jobs += 1;
        self.totals.prompt_tokens += u64::from(t.prompt_tokens);
        self.totals.generated_tokens += u64::from(t.generated_tokens);
        self.totals.energy_j += t.energy_j.unwrap_or(0.0);
        match t.prefix_cache {
            Some(PrefixUse::Hit) => self.totals.prefix_cache_hits += 1,
            Some(PrefixUse::Miss) => self.totals.prefix_cache_misses += 1,
            None => {}
        }
        if self.window.len() == RECENT_JOBS {
            self.window.pop_front();
        }
        self.window.push_back((t.total_ms, t.gen_tokens_per_s, t.energy_j));
    }

    /// Results of every status, replays included, counted in the last minute.
    pub fn jobs_per_min(&mut self) -> usize {
        self.prune(Instant::now());
        self.answered.len()
    }

    fn prune(&mut self, now: Instant) {
        while self.answered.front().is_some_and(|t| now.duration_since(*t) > MINUTE) {
            self.answered.pop_front();
        }
    }

    /// Averages over the recent window.
    pub fn recent(&self) -> Recent {
        let n = self.window.len();
        if n == 0 {
            return Recent::default();
        }
        let avg = |f: fn(&(f64, f64, Option<f64>)) -> f64| self.window.iter().map(f).sum::<f64>() / n as f64;
        let energy = self.window.iter().map(|w| w.2).collect::<Option<Vec<f64>>>();
        let round = |x: f64| (x * 1000.0).round() / 1000.0;
        let mut times: Vec<f64> = self.window.iter().map(|w| w.0).collect();
        times.sort_by(f64::total_cmp);
        let p50 = if n % 2 == 1 { times[n / 2] } else { (times[n / 2 - 1] + times[n / 2]) / 2.0 };
        Recent {
            n,
            total_ms: round(avg(|w| w.0)),
            p50_ms: round(p50),
            gen_tokens_per_s: round(avg(|w| w.1)),
            energy_j: energy.map(|e| round(e.iter().sum::<f64>() / n as f64)),
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
    /// Results published in the last minute (every status, replays included).
    pub jobs_per_min: usize,
    pub totals: &'a Totals,
    /// `totals.prefix_cache_hits` over all prefix lookups; absent before the first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_cache_hit_rate: Option<f64>,
    pub recent: Recent,
    /// Jobs accepted and waiting for the model.
    pub queue_depth: usize,
    /// Capacity of that queue (`limits.queue_capacity`).
    pub queue_capacity: usize,
    pub models: &'a [ModelInfo],
    pub energy_source: &'a str,
    #[serde(flatten)]
    pub board: BoardReadings,
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
    pub energy_source: &'a str,
    pub board: BoardReadings,
}

/// The heartbeat for `view` and `stats`; `jobs_per_min` from [`NodeStats::jobs_per_min`].
pub fn heartbeat<'a>(view: &'a NodeView<'a>, stats: &'a NodeStats, jobs_per_min: usize) -> Heartbeat<'a> {
    let mem = memory::rss();
    Heartbeat {
        state: "online",
        node: view.node,
        version: env!("CARGO_PKG_VERSION"),
        ts: unix_now(),
        uptime_s: view.started.elapsed().as_secs(),
        jobs: &stats.jobs,
        jobs_per_min,
        totals: &stats.totals,
        prefix_cache_hit_rate: stats.totals.prefix_cache_hit_rate(),
        recent: stats.recent(),
        queue_depth: view.queue_depth,
        queue_capacity: view.queue_capacity,
        models: view.models,
        energy_source: view.energy_source,
        board: view.board.clone(),
        rss_bytes: mem.rss_bytes,
        peak_rss_bytes: mem.peak_rss_bytes,
    }
}

/// The `online` status message of a heartbeat, as JSON.
pub fn online(beat: &Heartbeat<'_>) -> String {
    serde_json::to_string(beat).unwrap_or_else(|_| offline(beat.node, "online"))
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

    fn telemetry(total_ms: f64, energy: Option<f64>) -> Telemetry {
        Telemetry {
            total_ms,
            prefix_cache: Some(if total_ms > 600.0 { PrefixUse::Miss } else { PrefixUse::Hit }),
            prompt_tokens: 100,
            generated_tokens: 40,
            gen_tokens_per_s: 80.0,
            energy_j: energy,
            ..Telemetry::default()
        }
    }

    #[test]
    fn online_carries_the_node_figures() {
        let models = [ModelInfo {
            name: "m".into(),
            file: "/m.gguf".into(),
            quant: Some("Q4_1".into()),
            params: 7,
            threads: 2,
            context: 2048,
            adapters: vec![],
        }];
        let mut stats = NodeStats::default();
        stats.count(Status::Ok, false, Some(&telemetry(500.0, Some(1.0))));
        stats.count(Status::Ok, true, None);
        stats.count(Status::Rejected, false, Some(&Telemetry::default()));
        stats.count(Status::InvalidOutput, false, Some(&telemetry(700.0, Some(2.0))));
        let board = BoardReadings {
            cpu_temp_c: Some(48.5),
            throttle: None,
            throttled: Some(false),
            mem_available_bytes: 1 << 30,
        };
        let view = NodeView {
            node: "pi",
            started: Instant::now(),
            models: &models,
            queue_depth: 3,
            queue_capacity: 64,
            energy_source: "estimate",
            board,
        };
        let per_min = stats.jobs_per_min();
        let v: serde_json::Value = serde_json::from_str(&online(&heartbeat(&view, &stats, per_min))).unwrap();
        assert_eq!(v["jobs_per_min"], 4, "every result of the last minute, replays and rejections too");
        assert_eq!(v["state"], "online");
        assert_eq!((v["jobs"]["ok"].as_u64(), v["jobs"]["replayed"].as_u64()), (Some(1), Some(1)));
        assert_eq!((v["jobs"]["rejected"].as_u64(), v["jobs"]["invalid_output"].as_u64()), (Some(1), Some(1)));
        assert_eq!(v["totals"]["jobs"], 2, "replays and rejections never ran the model");
        assert_eq!(v["totals"]["generated_tokens"], 80);
        assert_eq!(v["totals"]["energy_j"], 3.0);
        assert_eq!(
            (v["totals"]["prefix_cache_hits"].as_u64(), v["totals"]["prefix_cache_misses"].as_u64()),
            (Some(1), Some(1))
        );
        assert_eq!(v["prefix_cache_hit_rate"], 0.5);
        assert_eq!(v["recent"]["total_ms"], 600.0);
        assert_eq!(v["recent"]["p50_ms"], 600.0);
        assert_eq!(v["recent"]["energy_j"], 1.5);
        assert_eq!((v["energy_source"].as_str(), v["cpu_temp_c"].as_f64()), (Some("estimate"), Some(48.5)));
        assert_eq!(v["queue_depth"], 3);
        assert_eq!(v["models"][0]["quant"], "Q4_1");
        assert!(v["rss_bytes"].as_u64().unwrap() > 0 && v["mem_available_bytes"].as_u64().unwrap() > 0);
        let off: serde_json::Value = serde_json::from_str(&offline("pi", "lost")).unwrap();
        assert_eq!((off["state"].as_str(), off["reason"].as_str()), (Some("offline"), Some("lost")));
    }

    #[test]
    fn recent_keeps_the_last_jobs_only() {
        let mut stats = NodeStats::default();
        for i in 0..RECENT_JOBS + 10 {
            stats.count(Status::Ok, false, Some(&telemetry(i as f64, None)));
        }
        let r = stats.recent();
        assert_eq!(r.n, RECENT_JOBS);
        assert_eq!(r.total_ms, (10..RECENT_JOBS + 10).sum::<usize>() as f64 / RECENT_JOBS as f64);
        assert_eq!(r.p50_ms, 34.5, "the median of 10..=59");
        assert!(r.energy_j.is_none());
    }
}
