//! `maaza bench` with the real model on 5 examples of every complexity: the report has
//! the contract's shape, and its numbers agree with the predictions file.

mod common;

use maaza::bench::metrics;
use serde_json::Value;
use std::collections::HashMap;

#[test]
fn a_five_example_bench_writes_a_report_that_agrees_with_its_predictions() {
    let dir = tempfile::tempdir().unwrap();
    let keep = ["ex-01", "ex-03", "ex-12", "ex-15", "ex-20"];
    let text = std::fs::read_to_string(common::root().join("tests/data/examples.jsonl")).unwrap();
    let mut lines = Vec::new();
    for line in text.lines() {
        let mut v: Value = serde_json::from_str(line).unwrap();
        if !keep.contains(&v["id"].as_str().unwrap()) {
            continue;
        }
        if v["id"] == "ex-12" {
            // No complexity: it comes from the schema's folder (schemas/medium/order.json).
            v.as_object_mut().unwrap().remove("complexity");
        }
        lines.push(v.to_string());
    }
    let dataset = dir.path().join("five.jsonl");
    std::fs::write(&dataset, lines.join("\n") + "\n").unwrap();
    let (report_path, predictions_path) = (dir.path().join("report.json"), dir.path().join("predictions.jsonl"));
    let out = common::maaza()
        .args(["bench", "--model"])
        .arg(common::model_path())
        .arg("--dataset")
        .arg(&dataset)
        .arg("--schemas")
        .arg(common::root().join("schemas"))
        .arg("--report")
        .arg(&report_path)
        .arg("--predictions")
        .arg(&predictions_path)
        .arg("--chart")
        .arg(dir.path().join("chart.svg"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // stderr is a pipe here, as in CI logs: plain progress lines instead of a bar, the last at the end.
    let progress = stderr.lines().rfind(|l| l.starts_with("bench: ")).unwrap_or_else(|| panic!("{stderr}"));
    assert!(progress.starts_with("bench: 5/5  JSONExact ") && progress.ends_with("ETA 0 s"), "{progress}");
    let table = String::from_utf8_lossy(&out.stdout);
    println!("{table}");
    for row in ["simple", "medium", "complex", "overall", "latency p50"] {
        assert!(table.contains(row), "table lacks {row}");
    }

    let svg = std::fs::read_to_string(dir.path().join("chart.svg")).unwrap();
    assert!(svg.contains("complex (n=1)") && svg.contains("Latency per example"), "chart lacks its parts");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    for key in [
        "model",
        "overall",
        "by_complexity",
        "latency_ms",
        "prompt_tokens_per_s",
        "gen_tokens_per_s",
        "peak_rss_bytes",
        "energy_j_per_job",
        "energy_source",
        "threads",
        "constrained",
    ] {
        assert!(report.get(key).is_some(), "report lacks {key}: {report}");
    }
    assert_eq!(report["model"]["params"].as_u64(), Some(134_515_008));
    assert_eq!(report["constrained"], true);
    assert_eq!(report["overall"]["n"], 5);
    let by = &report["by_complexity"];
    assert_eq!(
        (by["simple"]["n"].as_u64(), by["medium"]["n"].as_u64(), by["complex"]["n"].as_u64()),
        (Some(2), Some(2), Some(1))
    );
    let lat = &report["latency_ms"];
    assert!(lat["p50"].as_f64() <= lat["p95"].as_f64() && lat["mean"].as_f64().unwrap() > 0.0, "{lat}");
    assert!(report["gen_tokens_per_s"].as_f64().unwrap() > 0.0);

    // Recompute the overall figures from the predictions and the dataset.
    let expected: HashMap<String, Value> = lines
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| (v["id"].as_str().unwrap().to_string(), v["expected_output"].clone()))
        .collect();
    let preds: Vec<Value> =
        std::fs::read_to_string(&predictions_path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(preds.len(), 5);
    let (mut exact, mut f1, mut compliant, mut valid) = (0.0, 0.0, 0.0, 0.0);
    for p in &preds {
        let e = &expected[p["id"].as_str().unwrap()];
        let output = Some(&p["output"]).filter(|o| !o.is_string() || e.is_string());
        exact += f64::from(u8::from(metrics::json_exact(output, e)));
        f1 += metrics::field_f1(output, e);
        compliant += f64::from(u8::from(metrics::schema_compliance(output, e)));
        valid += f64::from(u8::from(p["valid"].as_bool().unwrap()));
    }
    let close = |k: &str, v: f64| {
        let got = report["overall"][k].as_f64().unwrap();
        assert!((got - v / 5.0).abs() < 1e-3, "{k}: report {got}, predictions {}", v / 5.0);
    };
    close("json_exact", exact);
    close("field_f1", f1);
    close("schema_compliance", compliant);
    close("schema_valid", valid);
}

/// `bench/` is exactly what `maaza bench gen` writes with its defaults, so anyone can
/// regenerate (or enlarge, with `--count`) the dataset the closing notes report on.
#[test]
fn the_committed_dataset_is_what_the_generator_writes() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::maaza().args(["bench", "gen", "--out"]).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for name in ["dev.jsonl", "heldout.jsonl"] {
        let fresh = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let committed = std::fs::read_to_string(common::root().join("bench").join(name)).unwrap();
        assert!(fresh == committed, "bench/{name} differs from `maaza bench gen`: regenerate it");
    }
}
