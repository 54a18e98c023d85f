//! Home Assistant MQTT discovery (`[homeassistant] enabled = true`): one retained,
//! device-based discovery message on `<prefix>/device/maaza_<node>/config` that
//! describes this node as a device with sensors. Every sensor reads the node's existing
//! retained status (`<maaza prefix>/status/<node>`) through a `value_template`, and the
//! same topic's `state` gives the device's availability, Last Will included; so there is
//! no second stream. Home Assistant announces `online` on `<prefix>/status` when it
//! starts, and the daemon publishes the discovery again then.

use super::topics::Topics;
use super::worker::ModelInfo;
use serde_json::{json, Map, Value};

/// One entity of the device.
struct Entity {
    /// Key in `cmps` and the end of `unique_id`.
    id: &'static str,
    platform: &'static str,
    name: &'static str,
    template: &'static str,
    unit: Option<&'static str>,
    device_class: Option<&'static str>,
    state_class: Option<&'static str>,
    icon: Option<&'static str>,
}

const fn sensor(id: &'static str, name: &'static str, template: &'static str, unit: &'static str) -> Entity {
    Entity {
        id,
        platform: "sensor",
        name,
        template,
        unit: Some(unit),
        device_class: None,
        state_class: Some("measurement"),
        icon: None,
    }
}

/// A figure of `recent`, unknown until the node has run a job (its figures are zeros then).
macro_rules! recent {
    ($field:literal) => {
        concat!(
            "{% set r = value_json.recent | default({}) %}{{ r.",
            $field,
            " if r.n | default(0) > 0 and r.",
            $field,
            " is defined else none }}"
        )
    };
}

/// What the device shows, in this order. Templates render `none` (unknown) where the
/// status has no such figure: the `offline` status, a board without the sensor, no
/// energy source; availability says offline meanwhile.
const ENTITIES: [Entity; 9] = [
    Entity {
        icon: Some("mdi:briefcase-clock"),
        ..sensor("jobs_per_min", "Jobs per minute", "{{ value_json.jobs_per_min | default(none) }}", "jobs/min")
    },
    Entity { device_class: Some("duration"), ..sensor("p50_latency", "Latency p50", recent!("p50_ms"), "ms") },
    Entity {
        icon: Some("mdi:speedometer"),
        ..sensor("tokens_per_s", "Generation speed", recent!("gen_tokens_per_s"), "tok/s")
    },
    Entity { icon: Some("mdi:lightning-bolt"), ..sensor("energy_per_job", "Energy per job", recent!("energy_j"), "J") },
    Entity {
        device_class: Some("energy"),
        state_class: Some("total_increasing"),
        ..sensor(
            "energy_total",
            "Energy",
            "{{ none if value_json.energy_source | default('none') == 'none' \
             else (value_json.totals | default({})).energy_j | default(none) }}",
            "J",
        )
    },
    Entity {
        device_class: Some("temperature"),
        ..sensor("cpu_temperature", "CPU temperature", "{{ value_json.cpu_temp_c | default(none) }}", "°C")
    },
    Entity {
        device_class: Some("data_size"),
        ..sensor("rss", "Memory (RSS)", "{{ value_json.rss_bytes | default(none) }}", "B")
    },
    Entity {
        icon: Some("mdi:tray-full"),
        ..sensor("queue_depth", "Queue depth", "{{ value_json.queue_depth | default(none) }}", "jobs")
    },
    Entity {
        id: "throttled",
        platform: "binary_sensor",
        name: "Throttled",
        template: "{{ none if value_json.throttled is not defined else ('ON' if value_json.throttled else 'OFF') }}",
        unit: None,
        device_class: Some("problem"),
        state_class: None,
        icon: None,
    },
];

/// The discovery message of one node, and the topic Home Assistant announces itself on.
#[derive(Debug, Clone)]
pub struct Discovery {
    /// `<prefix>/device/maaza_<node>/config`.
    pub topic: String,
    pub payload: String,
    /// `<prefix>/status`, where Home Assistant publishes `online` when it (re)starts.
    pub birth_topic: String,
}

/// The payload Home Assistant sends on [`Discovery::birth_topic`] when it is up.
pub const BIRTH_ONLINE: &[u8] = b"online";

impl Discovery {
    /// The discovery of node `node` under Home Assistant's `prefix`; its state is `topics.status()`.
    pub fn new(prefix: &str, node: &str, topics: &Topics, models: &[ModelInfo]) -> Discovery {
        let prefix = prefix.trim_end_matches('/');
        let device_id = format!("maaza_{}", object_id(node));
        let model = models.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ");
        let mut components = Map::new();
        for e in &ENTITIES {
            let mut c = Map::new();
            c.insert("p".into(), e.platform.into());
            c.insert("name".into(), e.name.into());
            c.insert("unique_id".into(), format!("{device_id}_{}", e.id).into());
            c.insert("value_template".into(), e.template.into());
            let optional = [
                ("unit_of_measurement", e.unit),
                ("device_class", e.device_class),
                ("state_class", e.state_class),
                ("icon", e.icon),
            ];
            for (key, value) in optional {
                if let Some(v) = value {
                    c.insert(key.into(), v.into());
                }
            }
            if e.platform == "binary_sensor" {
                c.insert("payload_on".into(), "ON".into());
                c.insert("payload_off".into(), "OFF".into());
            }
            components.insert(e.id.into(), Value::Object(c));
        }
        let payload = json!({
            "dev": {
                "identifiers": [device_id],
                "name": format!("maaza {node}"),
                "manufacturer": "maaza",
                "model": model,
                "sw_version": env!("CARGO_PKG_VERSION"),
            },
            "o": {
                "name": "maaza",
                "sw": env!("CARGO_PKG_VERSION"),
                "url": env!("CARGO_PKG_REPOSITORY"),
            },
            "cmps": components,
            "state_topic": topics.status(),
            "availability_topic": topics.status(),
            "availability_template": "{{ value_json.state }}",
            "payload_available": "online",
            "payload_not_available": "offline",
            "qos": 1,
        });
        Discovery {
            topic: format!("{prefix}/device/{device_id}/config"),
            payload: payload.to_string(),
            birth_topic: format!("{prefix}/status"),
        }
    }
}

/// A node id as Home Assistant's object ids want it: `[a-zA-Z0-9_-]`, the rest as `_`.
fn object_id(node: &str) -> String {
    node.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discovery(node: &str) -> (Discovery, Value) {
        let models = [ModelInfo {
            name: "smollm2-135m".into(),
            file: "/m.gguf".into(),
            quant: None,
            params: 1,
            threads: 1,
            context: 2048,
            adapters: vec![],
        }];
        let d = Discovery::new("homeassistant/", node, &Topics::new("maaza", node, "workers"), &models);
        let v = serde_json::from_str(&d.payload).unwrap();
        (d, v)
    }

    #[test]
    fn one_device_with_every_entity_on_the_status_topic() {
        let (d, v) = discovery("pi.kitchen");
        assert_eq!(d.topic, "homeassistant/device/maaza_pi_kitchen/config");
        assert_eq!(d.birth_topic, "homeassistant/status");
        assert_eq!(v["state_topic"], "maaza/status/pi.kitchen");
        assert_eq!(v["dev"]["identifiers"][0], "maaza_pi_kitchen");
        assert_eq!(v["dev"]["model"], "smollm2-135m");
        let cmps = v["cmps"].as_object().unwrap();
        assert_eq!(cmps.len(), ENTITIES.len());
        assert_eq!(cmps["energy_total"]["state_class"], "total_increasing");
        assert_eq!(cmps["throttled"]["p"], "binary_sensor");
        let ids: std::collections::HashSet<&str> = cmps.values().map(|c| c["unique_id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), cmps.len(), "unique ids are unique");
    }
}
