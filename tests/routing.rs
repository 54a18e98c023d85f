//! Several models and a LoRA adapter in one `maaza serve`, jobs routed by schema and by
//! tier: a real Mosquitto, the real binary, real SmolLM2-135M (loaded twice under two
//! names) and a real GGUF LoRA adapter that llama.cpp loads onto it. The memory budget
//! refuses a config that does not fit, before anything loads.

mod common;

use common::broker::{daemon_config, Broker, Daemon, Probe};
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

const S: Duration = Duration::from_secs(1);

/// Writes a LoRA adapter GGUF for SmolLM2-135M: rank 4 on layer 0's query projection,
/// B all zeros (so it changes no output; llama.cpp checks and applies it all the same).
fn write_lora(path: &Path) {
    fn string(b: &mut Vec<u8>, s: &str) {
        b.extend((s.len() as u64).to_le_bytes());
        b.extend(s.as_bytes());
    }
    let (rank, n_embd) = (4u64, 576u64);
    let mut b = b"GGUF".to_vec();
    b.extend(3u32.to_le_bytes());
    b.extend(2u64.to_le_bytes()); // tensors
    b.extend(4u64.to_le_bytes()); // metadata keys
    for (k, v) in [("general.architecture", "llama"), ("general.type", "adapter"), ("adapter.type", "lora")] {
        string(&mut b, k);
        b.extend(8u32.to_le_bytes());
        string(&mut b, v);
    }
    string(&mut b, "adapter.lora.alpha");
    b.extend(6u32.to_le_bytes());
    b.extend(8f32.to_le_bytes());
    let a_bytes = rank * n_embd * 4;
    for (name, dims, offset) in
        [("blk.0.attn_q.weight.lora_a", [n_embd, rank], 0u64), ("blk.0.attn_q.weight.lora_b", [rank, n_embd], a_bytes)]
    {
        string(&mut b, name);
        b.extend(2u32.to_le_bytes());
        for d in dims {
            b.extend(d.to_le_bytes());
        }
        b.extend(0u32.to_le_bytes()); // F32
        b.extend(offset.to_le_bytes());
    }
    while b.len() % 32 != 0 {
        b.push(0);
    }
    for i in 0..rank * n_embd {
        b.extend(((i % 7) as f32 * 0.01).to_le_bytes()); // A
    }
    b.extend(std::iter::repeat_n(0u8, (rank * n_embd * 4) as usize)); // B
    std::fs::write(path, b).unwrap();
}

fn result(probe: &Probe, id: &str) -> Value {
    let (got, _) = probe.results(&[id.to_string()], 120 * S);
    got.get(id).and_then(|r| r.first().cloned()).unwrap_or_else(|| panic!("{id}: no result"))
}

#[test]
fn two_models_and_an_adapter_routed_by_schema_and_tier() {
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    let lora = dir.path().join("edge.gguf");
    write_lora(&lora);
    let model = common::model_path();
    let tables = format!(
        "[[models]]\nname = \"smollm2-nested\"\npath = \"{model}\"\nthreads = 1\ncontext = 1024\n\n\
         [[routes]]\nschema = \"sensor_reading\"\nadapter = \"edge\"\n\n\
         [[routes]]\ntier = \"nested\"\nmodel = \"smollm2-nested\"\n\n\
         [limits]\nmemory_budget_mb = 2048\n",
        model = model.display()
    );
    let adapters = format!("default = true\nadapters = [{{ name = \"edge\", path = \"{}\" }}]", lora.display());
    let cfg = daemon_config(dir.path(), "node-route", broker.port, &adapters, &tables);
    let mut probe = Probe::connect(broker.port, "probe-route", &["maaza/results/#", "maaza/status/#"]);
    let daemon = Daemon::start(&cfg);
    daemon.wait_log_all(&["adapter loaded", "edge"], 5 * S);
    daemon.wait_log("models fit the memory budget", 5 * S);

    // The status lists both models, the adapter under the default one.
    let status = probe
        .expect("an online status", 30 * S, |r| r.topic == "maaza/status/node-route" && r.payload["state"] == "online");
    let models = status.payload["models"].as_array().unwrap();
    let names: Vec<&str> = models.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["smollm2-135m", "smollm2-nested"], "{}", status.payload);
    assert_eq!(models[0]["adapters"], json!(["edge"]));

    // A label the planner cannot lay out: the model decodes it (with the route's adapter).
    let flat = "Reading: Temp sensor greenhouse-7 reports 23.4 C and 61 % relative humidity.";
    // A schema route: the default model with the adapter.
    probe.job(&json!({"id": "r-schema", "schema": "sensor_reading", "input": flat}));
    let r = result(&probe, "r-schema");
    assert_eq!((r["model"].as_str(), r["adapter"].as_str()), (Some("smollm2-135m"), Some("edge")), "{r}");
    assert_eq!((r["status"].as_str(), r["decided_by"].as_str()), (Some("ok"), Some("model")), "{r}");
    // A tier route: a nested schema goes to the other model, bare.
    let nested = json!({"type": "object", "properties": {
        "site": {"type": "string"}, "reading": {"type": "object", "properties": {"temp_c": {"type": "number"}}}}});
    probe.job(&json!({"id": "r-tier", "schema": nested, "input": "Site: north field\nTemp C: 12.5"}));
    let r = result(&probe, "r-tier");
    assert_eq!(r["model"], "smollm2-nested", "{r}");
    assert!(r.get("adapter").is_none(), "{r}");
    // No route: the default model, bare; the job's own choice wins over routes.
    probe.job(&json!({"id": "r-default", "schema": "battery_status", "input": "Battery 87 %, charging."}));
    assert_eq!(result(&probe, "r-default")["model"], "smollm2-135m");
    probe.job(&json!({"id": "r-own", "schema": "sensor_reading", "input": flat, "model": "smollm2-nested"}));
    let r = result(&probe, "r-own");
    assert_eq!(r["model"], "smollm2-nested", "{r}");
    assert!(r.get("adapter").is_none(), "a route's adapter belongs to its model: {r}");
    // Unknown names are rejected with unknown_model, and the node keeps serving.
    for (id, extra) in [("r-bad-model", json!({"model": "gpt-9"})), ("r-bad-adapter", json!({"adapter": "legal"}))] {
        let mut job = json!({"id": id, "schema": "battery_status", "input": "Battery 87 %."});
        job.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        probe.job(&job);
        let r = result(&probe, id);
        assert_eq!(
            (r["status"].as_str(), r["errors"][0]["code"].as_str()),
            (Some("rejected"), Some("unknown_model")),
            "{r}"
        );
    }
    // A job may name the adapter itself; a result names it only where the model ran.
    probe.job(&json!({"id": "r-after", "schema": "sensor_reading", "input": flat, "adapter": "edge"}));
    let r = result(&probe, "r-after");
    assert_eq!((r["adapter"].as_str(), r["decided_by"].as_str()), (Some("edge"), Some("model")), "{r}");
    probe.job(&json!({"id": "r-planned", "schema": "sensor_reading", "adapter": "edge",
                      "input": "Sensor Id: greenhouse-7\nTemperature C: 23.4\nHumidity Pct: 61"}));
    let r = result(&probe, "r-planned");
    assert_eq!(r["decided_by"], "plan", "{r}");
    assert!(r.get("adapter").is_none(), "the planner settled it; no adapter was applied: {r}");
}

#[test]
fn a_config_over_the_memory_budget_is_refused_before_loading() {
    let dir = tempfile::tempdir().unwrap();
    let model = common::model_path();
    let tables = format!(
        "[[models]]\nname = \"second\"\npath = \"{}\"\ncontext = 4096\n\n[limits]\nmemory_budget_mb = 200\n",
        model.display()
    );
    // No broker: the refusal comes before any connection.
    let cfg = daemon_config(dir.path(), "node-budget", common::broker::free_port(), "", &tables);
    let out = common::maaza().arg("--config").arg(&cfg).arg("serve").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("memory_budget_mb is 200") && stderr.contains("second"), "{stderr}");
    assert!(!stderr.contains("model loaded"), "{stderr}");
}
