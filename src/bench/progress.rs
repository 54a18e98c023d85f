//! Progress of a bench run where no terminal draws a bar (CI logs, `nohup`, systemd):
//! a plain line every [`EVERY_EXAMPLES`] examples or [`EVERY`] seconds, and at the end.

use std::time::{Duration, Instant};

/// Examples between two lines.
pub const EVERY_EXAMPLES: usize = 10;
/// Longest silence between two lines.
pub const EVERY: Duration = Duration::from_secs(30);

/// Running figures of a bench.
#[derive(Debug)]
pub struct Progress {
    total: usize,
    exact: usize,
    latencies_ms: Vec<f64>,
    started: Instant,
    last_line: Instant,
}

impl Progress {
    pub fn new(total: usize, now: Instant) -> Progress {
        Progress { total, exact: 0, latencies_ms: Vec::with_capacity(total), started: now, last_line: now }
    }

    /// Counts one scored example; returns the line to print when one is due.
    pub fn tick(&mut self, json_exact: bool, total_ms: f64, now: Instant) -> Option<String> {
        self.exact += usize::from(json_exact);
        self.latencies_ms.push(total_ms);
        let n = self.latencies_ms.len();
        let due = n % EVERY_EXAMPLES == 0 || n == self.total || now.duration_since(self.last_line) >= EVERY;
        if !due {
            return None;
        }
        self.last_line = now;
        Some(self.line(now))
    }

    fn line(&self, now: Instant) -> String {
        let n = self.latencies_ms.len();
        let mut sorted = self.latencies_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let p50 = sorted.get(n.saturating_sub(1) / 2).copied().unwrap_or(0.0);
        let elapsed = now.duration_since(self.started).as_secs_f64();
        let eta = elapsed / n.max(1) as f64 * self.total.saturating_sub(n) as f64;
        format!(
            "bench: {n}/{}  JSONExact {:.1}%  p50 {p50:.0} ms  ETA {eta:.0} s",
            self.total,
            100.0 * self.exact as f64 / n.max(1) as f64
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_every_ten_examples_every_thirty_seconds_and_at_the_end() {
        let t0 = Instant::now();
        let mut p = Progress::new(23, t0);
        let mut lines = Vec::new();
        for i in 0..23u32 {
            // One slow example after the 12th: 31 s without a line.
            let at = t0 + Duration::from_secs(u64::from(i) + if i >= 12 { 31 } else { 0 });
            if let Some(l) = p.tick(i % 2 == 0, f64::from(100 * (i + 1)), at) {
                lines.push((i + 1, l));
            }
        }
        let at: Vec<u32> = lines.iter().map(|(n, _)| *n).collect();
        assert_eq!(at, [10, 13, 20, 23]);
        assert_eq!(lines[0].1, "bench: 10/23  JSONExact 50.0%  p50 500 ms  ETA 12 s");
        assert!(lines[3].1.starts_with("bench: 23/23  JSONExact 52.2%") && lines[3].1.ends_with("ETA 0 s"));
    }
}
