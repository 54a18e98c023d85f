//! `maaza status`: the fleet at a glance. Every node keeps its status retained on
//! `<prefix>/status/<node>`, so subscribing to `<prefix>/status/+` hands over the
//! last word of every node at once; the table is drawn from those messages.

use super::Failure;
use crate::StatusArgs;
use maaza::config::Config;
use rumqttc::v5::mqttbytes::v5::Packet;
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::{AsyncClient, Event, EventLoop};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::time::Duration;

/// After the subscription, retained messages arrive back to back: this much quiet ends them.
const QUIET: Duration = Duration::from_millis(400);
/// Longest wait for the retained messages, however busy the fleet.
const RETAINED_CAP: Duration = Duration::from_secs(3);
/// Longest wait for the broker to take the subscription.
const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long [`collect`] listens.
#[derive(Clone, Copy)]
enum Listen {
    /// For the retained messages that follow the subscription: until a live one, a quiet
    /// spell or [`RETAINED_CAP`].
    Retained,
    /// For a fixed time (`--watch`).
    For(Duration),
}

/// `maaza status`.
pub fn run(config: &Config, args: StatusArgs) -> Result<u8, Failure> {
    let mqtt = args.broker.apply(&config.mqtt);
    let filter = format!("{}/status/+", mqtt.topic_prefix.trim_end_matches('/'));
    let client_id = format!("maaza-status-{}", std::process::id());
    let options =
        maaza::daemon::mqtt::client_options(&mqtt, &client_id).map_err(|e| Failure::bad_input(e.to_string()))?;
    let interval = Duration::try_from_secs_f64(args.interval).ok().filter(|d| !d.is_zero()).ok_or_else(|| {
        Failure::bad_input(format!("--interval must be a positive number of seconds, got {}", args.interval))
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::internal(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let (client, mut eventloop) = AsyncClient::new(options, 16);
        let broker = format!("{}:{}", mqtt.host, mqtt.port);
        let mut nodes = BTreeMap::new();
        tokio::time::timeout(SUBSCRIBE_TIMEOUT, subscribe(&client, &mut eventloop, &filter, &broker)).await.map_err(
            |_| Failure::internal(format!("the broker at {broker} did not take the subscription to {filter}")),
        )??;
        collect(&mut eventloop, &mut nodes, Listen::Retained, &broker).await?;
        if !args.watch {
            let _ = client.disconnect().await;
            if nodes.is_empty() {
                return Err(Failure::internal(format!("no maaza node has a status on {filter} at {broker}")));
            }
            show(&nodes, &args, false);
            return Ok(0);
        }
        // Until interrupted, or until stdout goes away (`| head`).
        while show(&nodes, &args, true) {
            collect(&mut eventloop, &mut nodes, Listen::For(interval), &broker).await?;
        }
        Ok(0)
    })
}

/// Connects and subscribes to `filter`.
async fn subscribe(client: &AsyncClient, eventloop: &mut EventLoop, filter: &str, broker: &str) -> Result<(), Failure> {
    loop {
        match poll(eventloop, broker).await? {
            Event::Incoming(Packet::ConnAck(_)) => {
                client.subscribe(filter, QoS::AtMostOnce).await.map_err(|e| Failure::internal(e.to_string()))?;
            }
            Event::Incoming(Packet::SubAck(ack)) => {
                use rumqttc::v5::mqttbytes::v5::SubscribeReasonCode;
                return match ack.return_codes.first() {
                    Some(SubscribeReasonCode::Success(_)) => Ok(()),
                    code => Err(Failure::internal(format!(
                        "the broker at {broker} refused the subscription to {filter}: {code:?} (check its access rules)"
                    ))),
                };
            }
            _ => {}
        }
    }
}

/// Takes status messages into `nodes` for as long as `listen` says.
async fn collect(
    eventloop: &mut EventLoop,
    nodes: &mut BTreeMap<String, Value>,
    listen: Listen,
    broker: &str,
) -> Result<(), Failure> {
    let now = tokio::time::Instant::now();
    let (cap, quiet) = match listen {
        Listen::Retained => (now + RETAINED_CAP, Some(QUIET)),
        Listen::For(span) => (now + span, None),
    };
    let mut until = quiet.map_or(cap, |q| (now + q).min(cap));
    while let Ok(event) = tokio::time::timeout_at(until, poll(eventloop, broker)).await {
        if let Event::Incoming(Packet::Publish(p)) = event? {
            let node = String::from_utf8_lossy(&p.topic).rsplit('/').next().unwrap_or_default().to_string();
            if p.payload.is_empty() {
                nodes.remove(&node);
            } else if let Ok(status) = serde_json::from_slice::<Value>(&p.payload) {
                nodes.insert(node, status);
            }
            if let Some(q) = quiet {
                // A live heartbeat: the retained ones are all in.
                if !p.retain {
                    break;
                }
                until = (tokio::time::Instant::now() + q).min(cap);
            }
        }
    }
    Ok(())
}

async fn poll(eventloop: &mut EventLoop, broker: &str) -> Result<Event, Failure> {
    eventloop.poll().await.map_err(|e| Failure::internal(format!("cannot talk to the broker at {broker}: {e}")))
}

/// Prints the nodes; false when stdout is gone.
fn show(nodes: &BTreeMap<String, Value>, args: &StatusArgs, watching: bool) -> bool {
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        let all: Vec<&Value> = nodes.values().collect();
        let text = if watching { serde_json::to_string(&all) } else { serde_json::to_string_pretty(&all) };
        writeln!(out, "{}", text.unwrap_or_default())
    } else {
        let clear = if watching && std::io::stdout().is_terminal() { "\x1b[2J\x1b[H" } else { "" };
        write!(out, "{clear}{}", table(nodes.values()))
    };
    written.and_then(|()| out.flush()).is_ok()
}

/// The fleet table, one row per status message.
pub fn table<'a>(nodes: impl Iterator<Item = &'a Value>) -> String {
    const HEAD: [&str; 12] =
        ["NODE", "STATE", "UPTIME", "MODEL", "OK", "FAILED", "QUEUE", "P50", "TOK/S", "TEMP", "THROTTLED", "ENERGY"];
    let mut rows: Vec<[String; 12]> = vec![HEAD.map(String::from)];
    rows.extend(nodes.map(row));
    let widths: Vec<usize> =
        (0..HEAD.len()).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for r in &rows {
        let cells: Vec<String> = r.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
    }
    out
}

fn row(s: &Value) -> [String; 12] {
    let dash = || "-".to_string();
    let num = |v: &Value| v.as_f64();
    let node = s["node"].as_str().unwrap_or("?").to_string();
    let state = s["state"].as_str().unwrap_or("?");
    if state != "online" {
        let state = match s["reason"].as_str() {
            Some(r) => format!("{state} ({r})"),
            None => state.to_string(),
        };
        let mut r = [(); 12].map(|_| dash());
        (r[0], r[1]) = (node, state);
        return r;
    }
    let jobs = &s["jobs"];
    let count = |k: &str| jobs[k].as_u64().unwrap_or(0);
    let models: Vec<&str> = s["models"].as_array().into_iter().flatten().filter_map(|m| m["name"].as_str()).collect();
    let recent = &s["recent"];
    let ran = recent["n"].as_u64().unwrap_or(0) > 0;
    [
        node,
        state.to_string(),
        s["uptime_s"].as_u64().map_or_else(dash, duration),
        if models.is_empty() { dash() } else { models.join(",") },
        count("ok").to_string(),
        (count("invalid_output") + count("rejected") + count("failed")).to_string(),
        match (s["queue_depth"].as_u64(), s["queue_capacity"].as_u64()) {
            (Some(d), Some(c)) => format!("{d}/{c}"),
            _ => dash(),
        },
        num(&recent["p50_ms"]).filter(|_| ran).map_or_else(dash, millis),
        num(&recent["gen_tokens_per_s"]).filter(|_| ran).map_or_else(dash, |t| format!("{t:.1}")),
        num(&s["cpu_temp_c"]).map_or_else(dash, |t| format!("{t:.1}°C")),
        s["throttled"].as_bool().map_or_else(dash, |t| if t { "yes" } else { "no" }.to_string()),
        s["energy_source"].as_str().map_or_else(dash, str::to_string),
    ]
}

/// `3d4h`, `2h05m`, `4m12s`, `9s`.
fn duration(s: u64) -> String {
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        3600..=86_399 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d{}h", s / 86_400, s % 86_400 / 3600),
    }
}

/// `412ms`, `1.6s`.
fn millis(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{ms:.0}ms")
    } else {
        format!("{:.1}s", ms / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_row_per_node_with_its_figures() {
        let online = json!({
            "state": "online", "node": "pi-kitchen", "uptime_s": 7500,
            "jobs": {"ok": 40, "invalid_output": 1, "rejected": 2, "failed": 0, "replayed": 3},
            "recent": {"n": 43, "total_ms": 900.0, "p50_ms": 412.0, "gen_tokens_per_s": 58.14},
            "queue_depth": 1, "queue_capacity": 64, "models": [{"name": "smollm2-135m"}],
            "cpu_temp_c": 48.5, "throttled": false, "energy_source": "pmic"
        });
        let offline = json!({"state": "offline", "node": "pi-shed", "reason": "lost"});
        let t = table([&online, &offline].into_iter());
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("NODE") && lines[0].ends_with("ENERGY"), "{t}");
        let cells: Vec<&str> = lines[1].split_whitespace().collect();
        assert_eq!(
            cells,
            [
                "pi-kitchen",
                "online",
                "2h05m",
                "smollm2-135m",
                "40",
                "3",
                "1/64",
                "412ms",
                "58.1",
                "48.5°C",
                "no",
                "pmic"
            ]
        );
        assert!(lines[2].starts_with("pi-shed") && lines[2].contains("offline (lost)"), "{t}");
        assert_eq!(lines[0].find("STATE"), lines[2].find("offline"), "columns line up");
    }

    #[test]
    fn durations_and_latencies_read_at_a_glance() {
        assert_eq!([duration(9), duration(252), duration(90_000)], ["9s", "4m12s", "1d1h"]);
        assert_eq!([millis(412.4), millis(1640.0)], ["412ms", "1.6s"]);
    }
}
