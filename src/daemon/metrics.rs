//! Optional Prometheus text endpoint (`telemetry.prometheus = "127.0.0.1:9464"`): the
//! heartbeat's figures as gauges and counters at `/metrics`. A few lines of HTTP/1.1
//! over tokio, no web framework: one request per connection, then close.

use super::status::Heartbeat;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The latest rendered page, updated by the dispatcher.
pub type Page = Arc<Mutex<String>>;

/// Renders a heartbeat in the Prometheus text format (version 0.0.4).
pub fn render(hb: &Heartbeat<'_>) -> String {
    let mut out = String::new();
    let mut metric = |name: &str, kind: &str, help: &str, samples: &[(String, f64)]| {
        let _ = writeln!(out, "# HELP maaza_{name} {help}\n# TYPE maaza_{name} {kind}");
        for (labels, value) in samples {
            let _ = writeln!(out, "maaza_{name}{labels} {value}");
        }
    };
    let node = format!("node=\"{}\"", escape(hb.node));
    let plain = |v: f64| vec![(format!("{{{node}}}"), v)];
    let j = hb.jobs;
    let by_status: Vec<(String, f64)> = [
        ("ok", j.ok),
        ("invalid_output", j.invalid_output),
        ("rejected", j.rejected),
        ("failed", j.failed),
        ("replayed", j.replayed),
    ]
    .iter()
    .map(|(s, n)| (format!("{{{node},status=\"{s}\"}}"), *n as f64))
    .collect();
    metric("jobs_total", "counter", "Results published, by status (replayed: answered from the store).", &by_status);
    metric(
        "prompt_tokens_total",
        "counter",
        "Prompt tokens of jobs the model ran.",
        &plain(hb.totals.prompt_tokens as f64),
    );
    metric("generated_tokens_total", "counter", "Generated tokens.", &plain(hb.totals.generated_tokens as f64));
    let source = format!("{{{node},source=\"{}\"}}", escape(hb.energy_source));
    metric(
        "energy_joules_total",
        "counter",
        "Energy of jobs the model ran; see the source label.",
        &[(source, hb.totals.energy_j)],
    );
    let lookups = [("hit", hb.totals.prefix_cache_hits), ("miss", hb.totals.prefix_cache_misses)]
        .iter()
        .map(|(r, n)| (format!("{{{node},result=\"{r}\"}}"), *n as f64))
        .collect::<Vec<_>>();
    metric(
        "prefix_cache_lookups_total",
        "counter",
        "Jobs the model ran, by whether the schema's prompt prefix was reused (hit) or evaluated (miss).",
        &lookups,
    );
    metric("recent_job_ms", "gauge", "Mean job time over the recent window.", &plain(hb.recent.total_ms));
    metric(
        "recent_gen_tokens_per_second",
        "gauge",
        "Mean generation speed over the recent window.",
        &plain(hb.recent.gen_tokens_per_s),
    );
    metric("queue_depth", "gauge", "Jobs waiting for the model.", &plain(hb.queue_depth as f64));
    metric("queue_capacity", "gauge", "Capacity of the job queue.", &plain(hb.queue_capacity as f64));
    metric("rss_bytes", "gauge", "Resident memory of the daemon.", &plain(hb.rss_bytes as f64));
    metric("peak_rss_bytes", "gauge", "Peak resident memory of the daemon.", &plain(hb.peak_rss_bytes as f64));
    metric("mem_available_bytes", "gauge", "MemAvailable of the system.", &plain(hb.board.mem_available_bytes as f64));
    metric("uptime_seconds", "gauge", "Seconds since the daemon started.", &plain(hb.uptime_s as f64));
    if let Some(c) = hb.board.cpu_temp_c {
        metric("cpu_temp_celsius", "gauge", "CPU temperature.", &plain(c));
    }
    if let Some(t) = hb.board.throttle {
        metric(
            "throttled",
            "gauge",
            "1 while the Pi is under-volted, capped or throttled.",
            &plain(f64::from(u8::from(t.slowed_now()))),
        );
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Binds `addr` now (so a bad address fails at startup), then serves `page` forever.
pub async fn bind(addr: &str, page: Page) -> std::io::Result<tokio::task::JoinHandle<()>> {
    let listener = TcpListener::bind(addr).await?;
    tracing::info!(addr, "Prometheus metrics at /metrics");
    Ok(tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                // Out of file descriptors or similar: do not spin.
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            };
            let page = Arc::clone(&page);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut len = 0;
                let read = tokio::time::timeout(Duration::from_secs(2), async {
                    while len < buf.len() {
                        let n = socket.read(&mut buf[len..]).await.unwrap_or(0);
                        if n == 0 {
                            break;
                        }
                        len += n;
                        if buf[..len].windows(4).any(|w| w == b"\r\n\r\n") {
                            break;
                        }
                    }
                })
                .await;
                if read.is_err() {
                    return;
                }
                let request = String::from_utf8_lossy(&buf[..len]);
                let path = request.split_whitespace().nth(1).unwrap_or("");
                let (status, body) = if path == "/metrics" || path == "/" {
                    ("200 OK", page.lock().map(|p| p.clone()).unwrap_or_default())
                } else {
                    ("404 Not Found", "only /metrics here\n".to_string())
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(body.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    }))
}
