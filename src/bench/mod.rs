//! `maaza bench`: EdgeJSON-format datasets through the same pipeline as the daemon,
//! scored with the EdgeJSON metrics, with speed, memory and energy beside accuracy.
//! The dataset, report and predictions formats are DESIGN.md's "Bench contract".

pub mod chart;
pub mod gen;
pub mod metrics;
pub mod progress;

use crate::job::{JobResult, Status};
use crate::schema::CompiledSchema;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// One dataset line.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub id: String,
    pub schema_id: String,
    pub prompt: String,
    pub expected: Value,
    /// From the line, else the name of the schema file's parent folder.
    pub complexity: String,
}

/// Reads EdgeJSON JSONL: `id`, `schema_id`, `prompt`, `expected_output`, optional
/// `complexity`; other fields are ignored. `folder_of` gives a schema's folder name.
pub fn load_dataset(path: &Path, folder_of: impl Fn(&str) -> Option<String>) -> Result<Vec<Example>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read dataset {}: {e}", path.display()))?;
    let mut examples = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let at = || format!("{}:{}", path.display(), n + 1);
        let v: Value = serde_json::from_str(line).map_err(|e| format!("{}: not JSON: {e}", at()))?;
        let field = |k: &str| -> Result<String, String> {
            v.get(k).and_then(Value::as_str).map(str::to_string).ok_or_else(|| format!("{}: no string `{k}`", at()))
        };
        let schema_id = field("schema_id")?;
        let expected = v.get("expected_output").cloned().ok_or_else(|| format!("{}: no `expected_output`", at()))?;
        let complexity = match v.get("complexity").and_then(Value::as_str) {
            Some(c) => c.to_string(),
            None => folder_of(&schema_id).unwrap_or_else(|| "unknown".into()),
        };
        examples.push(Example { id: field("id")?, schema_id, prompt: field("prompt")?, expected, complexity });
    }
    if examples.is_empty() {
        return Err(format!("dataset {} has no examples", path.display()));
    }
    Ok(examples)
}

/// One example's outcome.
#[derive(Debug, Clone)]
pub struct Scored {
    pub complexity: String,
    pub json_exact: bool,
    pub field_f1: f64,
    pub schema_compliance: bool,
    pub schema_valid: bool,
    /// Valid with `format` asserted too (RFC 3339 date-times, e-mail addresses, ...).
    pub strict_valid: bool,
    /// Candidate recall: whether the plan the text is decoded under allows the
    /// expected output (see [`recall`]); `None` where there is none.
    pub recall: Option<bool>,
    /// The planner reads the text as laid out in labels (not as prose).
    pub structured: bool,
    /// The output stopped at the token limit.
    pub cut: bool,
    /// The predictions-file line.
    pub prediction: Value,
    pub result: JobResult,
}

/// Candidate recall of one example: whether `plan`, the plan its text is decoded
/// under, allows the expected output, a span only where the text writes its string
/// as whole words.
pub fn recall(plan: &maaza_extract::Plan, example: &Example) -> bool {
    plan.admits(&example.expected, &example.prompt)
}

/// Scores a pipeline result against its example, its schema (for strict `format`
/// validity; `None` when unknown) and the plan its text was decoded under (for
/// candidate recall; `None` when none was).
pub fn score(
    example: &Example,
    result: JobResult,
    schema: Option<&CompiledSchema>,
    plan: Option<&maaza_extract::Plan>,
) -> Scored {
    let parsed =
        result.output.clone().or_else(|| result.raw.as_deref().and_then(|r| serde_json::from_str(r.trim()).ok()));
    let valid = result.status == Status::Ok;
    let output = parsed.clone().unwrap_or_else(|| Value::String(result.raw.clone().unwrap_or_default()));
    Scored {
        complexity: example.complexity.clone(),
        json_exact: metrics::json_exact(parsed.as_ref(), &example.expected),
        field_f1: metrics::field_f1(parsed.as_ref(), &example.expected),
        schema_compliance: metrics::schema_compliance(parsed.as_ref(), &example.expected),
        schema_valid: valid,
        strict_valid: valid
            && schema.zip(result.output.as_ref()).is_some_and(|(s, o)| s.strict_violations(o).is_empty()),
        recall: plan.map(|p| recall(p, example)),
        structured: plan.is_some_and(maaza_extract::Plan::is_structured),
        cut: result.errors.iter().any(|e| e.code == crate::job::ErrorCode::Truncated),
        prediction: serde_json::json!({"id": example.id, "output": output, "valid": valid,
            "decided_by": result.decided_by}),
        result,
    }
}

/// Accuracy over a group of examples (fractions, 0–1).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Accuracy {
    pub n: usize,
    pub json_exact: f64,
    pub field_f1: f64,
    pub schema_compliance: f64,
    pub schema_valid: f64,
    /// Valid with `format` asserted, not only annotated.
    pub strict_format_valid: f64,
    /// Share of examples whose output the plan alone settled (no generation).
    pub decided_by_plan: f64,
    /// Candidate recall over the examples with a plan (the one their job is decoded
    /// under, structured or prose): the share whose expected output it allows; `None`
    /// when none had one.
    pub candidate_recall: Option<f64>,
    /// Share of examples the planner reads as structured (0 with planning off).
    pub structured: f64,
    /// Outputs cut at the token limit.
    pub cut: usize,
}

impl Accuracy {
    fn of<'a>(items: impl Iterator<Item = &'a Scored>) -> Accuracy {
        let items: Vec<&Scored> = items.collect();
        let n = items.len();
        if n == 0 {
            return Accuracy::default();
        }
        let frac = |f: &dyn Fn(&Scored) -> f64| round4(items.iter().map(|s| f(s)).sum::<f64>() / n as f64);
        Accuracy {
            n,
            json_exact: frac(&|s| f64::from(u8::from(s.json_exact))),
            field_f1: frac(&|s| s.field_f1),
            schema_compliance: frac(&|s| f64::from(u8::from(s.schema_compliance))),
            schema_valid: frac(&|s| f64::from(u8::from(s.schema_valid))),
            strict_format_valid: frac(&|s| f64::from(u8::from(s.strict_valid))),
            decided_by_plan: frac(&|s| f64::from(u8::from(s.result.decided_by == Some(crate::job::DecidedBy::Plan)))),
            candidate_recall: {
                let r: Vec<bool> = items.iter().filter_map(|s| s.recall).collect();
                (!r.is_empty()).then(|| round4(r.iter().filter(|x| **x).count() as f64 / r.len() as f64))
            },
            structured: frac(&|s| f64::from(u8::from(s.structured))),
            cut: items.iter().filter(|s| s.cut).count(),
        }
    }
}

/// The model a report is about.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ModelReport {
    pub name: String,
    pub file: String,
    pub quant: Option<String>,
    pub params: u64,
    /// The LoRA adapter applied to every example (`--adapter`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adapter: Option<String>,
}

/// Latency over all examples.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Latency {
    pub mean: f64,
    pub p50: f64,
    pub p95: f64,
}

/// The JSON report of DESIGN.md.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub model: ModelReport,
    pub overall: Accuracy,
    pub by_complexity: BTreeMap<String, Accuracy>,
    pub latency_ms: Latency,
    /// Prompt tokens evaluated (not served from the KV cache) per second of prompt time.
    pub prompt_tokens_per_s: f64,
    /// Generated tokens per second of generation time.
    pub gen_tokens_per_s: f64,
    pub peak_rss_bytes: u64,
    /// Mean energy per example; `null` when the source gave no figure.
    pub energy_j_per_job: Option<f64>,
    pub energy_source: String,
    pub threads: u32,
    pub constrained: bool,
}

/// Builds the report from every scored example.
pub fn report(model: ModelReport, threads: u32, constrained: bool, scored: &[Scored]) -> Report {
    let mut by_complexity = BTreeMap::new();
    for c in scored.iter().map(|s| s.complexity.clone()).collect::<std::collections::BTreeSet<_>>() {
        by_complexity.insert(c.clone(), Accuracy::of(scored.iter().filter(|s| s.complexity == c)));
    }
    let t: Vec<_> = scored.iter().map(|s| &s.result.telemetry).collect();
    let mut lat: Vec<f64> = t.iter().map(|t| t.total_ms).collect();
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| lat.get(((lat.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or(0.0);
    let sum = |f: &dyn Fn(&crate::job::Telemetry) -> f64| t.iter().map(|t| f(t)).sum::<f64>();
    let rate = |tokens: f64, ms: f64| if ms > 0.0 { round4(tokens / (ms / 1000.0)) } else { 0.0 };
    let energy: Option<Vec<f64>> = t.iter().map(|t| t.energy_j).collect();
    Report {
        model,
        overall: Accuracy::of(scored.iter()),
        by_complexity,
        latency_ms: Latency {
            mean: round4(if lat.is_empty() { 0.0 } else { lat.iter().sum::<f64>() / lat.len() as f64 }),
            p50: pct(0.5),
            p95: pct(0.95),
        },
        prompt_tokens_per_s: rate(
            sum(&|t| f64::from(t.prompt_tokens.saturating_sub(t.cached_prompt_tokens))),
            sum(&|t| t.prompt_ms),
        ),
        gen_tokens_per_s: rate(sum(&|t| f64::from(t.generated_tokens)), sum(&|t| t.generate_ms)),
        peak_rss_bytes: t.iter().map(|t| t.peak_rss_bytes).max().unwrap_or(0),
        energy_j_per_job: energy.filter(|e| !e.is_empty()).map(|e| round4(e.iter().sum::<f64>() / e.len() as f64)),
        energy_source: t.first().map_or("none".into(), |t| t.energy_source.clone()),
        threads,
        constrained,
    }
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// The table printed at the end of a run.
pub fn table(r: &Report) -> String {
    let mut out = String::new();
    let pc = |x: f64| format!("{:.1}%", x * 100.0);
    out.push_str(&format!(
        "{:<10} {:>5} {:>10} {:>9} {:>11} {:>13} {:>7} {:>11} {:>8} {:>7} {:>4}\n",
        "complexity",
        "n",
        "JSONExact",
        "Field F1",
        "compliance",
        "schema-valid",
        "strict",
        "structured",
        "recall",
        "plan",
        "cut"
    ));
    let order = ["simple", "medium", "complex"];
    let mut rows: Vec<(&str, &Accuracy)> =
        order.iter().filter_map(|c| r.by_complexity.get(*c).map(|a| (*c, a))).collect();
    rows.extend(r.by_complexity.iter().filter(|(c, _)| !order.contains(&c.as_str())).map(|(c, a)| (c.as_str(), a)));
    rows.push(("overall", &r.overall));
    for (name, a) in rows {
        out.push_str(&format!(
            "{:<10} {:>5} {:>10} {:>9.3} {:>11} {:>13} {:>7} {:>11} {:>8} {:>7} {:>4}\n",
            name,
            a.n,
            pc(a.json_exact),
            a.field_f1,
            pc(a.schema_compliance),
            pc(a.schema_valid),
            pc(a.strict_format_valid),
            pc(a.structured),
            a.candidate_recall.map_or("-".to_string(), pc),
            pc(a.decided_by_plan),
            a.cut,
        ));
    }
    let energy = r.energy_j_per_job.map_or("n/a".to_string(), |e| format!("{e:.2} J"));
    out.push_str(&format!(
        "latency p50 {:.0} ms, p95 {:.0} ms (mean {:.0}); prompt {:.0} tok/s, generation {:.1} tok/s; \
         peak RSS {:.0} MB; energy {energy}/job ({}); {} threads, {}\n",
        r.latency_ms.p50,
        r.latency_ms.p95,
        r.latency_ms.mean,
        r.prompt_tokens_per_s,
        r.gen_tokens_per_s,
        r.peak_rss_bytes as f64 / 1e6,
        r.energy_source,
        r.threads,
        if r.constrained { "constrained" } else { "unconstrained" },
    ));
    out
}

/// Several reports side by side (`maaza bench compare`): one row per report, labelled
/// by `labels` (usually the file names). Reads the report JSON loosely, so reports from
/// other versions still compare on the fields they share.
pub fn compare(labels: &[String], reports: &[Value]) -> String {
    let mut out = format!(
        "{:<24} {:<16} {:>5} {:>6} {:>10} {:>9} {:>11} {:>13} {:>8} {:>8} {:>9} {:>10}\n",
        "report",
        "model",
        "cons",
        "n",
        "JSONExact",
        "Field F1",
        "compliance",
        "schema-valid",
        "p50 ms",
        "p95 ms",
        "gen tok/s",
        "J/job"
    );
    let num = |v: &Value, path: &[&str]| v.pointer(&format!("/{}", path.join("/"))).and_then(Value::as_f64);
    let pc = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{:.1}%", x * 100.0));
    let fixed = |x: Option<f64>, d: usize| x.map_or("-".to_string(), |x| format!("{x:.d$}"));
    for (label, r) in labels.iter().zip(reports) {
        let model = r.pointer("/model/name").and_then(Value::as_str).unwrap_or("?");
        let constrained = match r.get("constrained").and_then(Value::as_bool) {
            Some(true) => "yes",
            Some(false) => "no",
            None => "?",
        };
        out.push_str(&format!(
            "{:<24} {:<16} {:>5} {:>6} {:>10} {:>9} {:>11} {:>13} {:>8} {:>8} {:>9} {:>10}\n",
            label,
            model,
            constrained,
            fixed(num(r, &["overall", "n"]), 0),
            pc(num(r, &["overall", "json_exact"])),
            fixed(num(r, &["overall", "field_f1"]), 3),
            pc(num(r, &["overall", "schema_compliance"])),
            pc(num(r, &["overall", "schema_valid"])),
            fixed(num(r, &["latency_ms", "p50"]), 0),
            fixed(num(r, &["latency_ms", "p95"]), 0),
            fixed(num(r, &["gen_tokens_per_s"]), 1),
            fixed(num(r, &["energy_j_per_job"]), 2),
        ));
    }
    out.push_str("JSONExact by complexity:\n");
    for (label, r) in labels.iter().zip(reports) {
        let parts: Vec<String> = ["simple", "medium", "complex"]
            .iter()
            .map(|c| format!("{c} {}", pc(num(r, &["by_complexity", c, "json_exact"]))))
            .collect();
        out.push_str(&format!("  {label:<22} {}\n", parts.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::{ErrorDetail, Telemetry};
    use serde_json::json;

    fn result(output: Option<Value>, raw: Option<&str>, status: Status, ms: f64) -> JobResult {
        JobResult {
            id: "x".into(),
            status,
            output,
            errors: Vec::<ErrorDetail>::new(),
            raw: raw.map(str::to_string),
            schema: "s".into(),
            model: "m".into(),
            adapter: None,
            node: "n".into(),
            decided_by: None,
            telemetry: Telemetry {
                total_ms: ms,
                prompt_ms: 100.0,
                prompt_tokens: 120,
                cached_prompt_tokens: 20,
                generate_ms: 500.0,
                generated_tokens: 50,
                peak_rss_bytes: 7,
                energy_j: Some(2.0),
                energy_source: "estimate".into(),
                ..Telemetry::default()
            },
        }
    }

    fn example(complexity: &str, expected: Value) -> Example {
        Example { id: "e".into(), schema_id: "s".into(), prompt: "p".into(), expected, complexity: complexity.into() }
    }

    #[test]
    fn recall_and_strict_formats_are_scored_per_example() {
        let schema = CompiledSchema::compile(
            "s",
            json!({"type": "object", "properties": {"a": {"type": "integer"}, "t": {"type": "string", "format": "date-time"}}}),
        )
        .unwrap();
        let mut e = example("simple", json!({"a": 1, "t": "2024-01-02T03:04:05"}));
        let planned = |e: &Example| Some(maaza_extract::plan(&schema.schema, &e.prompt));
        e.prompt = "A: 1\nT: 2024-01-02T03:04:05".into();
        let out = json!({"a": 1, "t": "2024-01-02T03:04:05"});
        let s = score(&e, result(Some(out), None, Status::Ok, 1.0), Some(&schema), planned(&e).as_ref());
        assert_eq!((s.recall, s.structured), (Some(true), true));
        assert!(s.schema_valid && !s.strict_valid, "no UTC offset: valid as an annotation only");
        e.prompt = "A: 2\nT: 2024-01-02T03:04:05".into();
        let s = score(&e, result(None, None, Status::InvalidOutput, 1.0), Some(&schema), planned(&e).as_ref());
        assert_eq!(s.recall, Some(false), "the plan does not allow a = 1");
        e.prompt = "one and then some".into();
        let s = score(&e, result(None, None, Status::InvalidOutput, 1.0), Some(&schema), None);
        assert_eq!((s.recall, s.structured), (None, false), "no plan decoded it");
        let model = ModelReport { name: "m".into(), file: "f".into(), quant: None, params: 1, adapter: None };
        let r = report(model, 1, true, &[s]);
        assert_eq!((r.overall.candidate_recall, r.overall.structured), (None, 0.0));
    }

    #[test]
    fn a_prose_plan_recalls_spans_only_where_the_text_writes_them() {
        let schema = json!({"type": "object", "required": ["city", "days"], "properties": {
            "city": {"type": "string"}, "days": {"type": "integer"}}});
        let mut e = example("simple", json!({"city": "Boston", "days": 3}));
        e.prompt = "Weather in Boston for the next 3 days, please.".into();
        let plan = maaza_extract::prose::plan(&schema, &e.prompt);
        assert!(recall(&plan, &e));
        e.expected = json!({"city": "Paris", "days": 3});
        assert!(!recall(&plan, &e), "Paris is not written");
        e.expected = json!({"city": "Bost", "days": 3});
        assert!(!recall(&plan, &e), "a span is whole words");
        e.expected = json!({"city": "Boston", "days": 4});
        assert!(!recall(&plan, &e), "4 is no candidate");
    }

    #[test]
    fn dataset_lines_fall_back_to_the_schema_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.jsonl");
        std::fs::write(
            &path,
            r#"{"id":"a","schema_id":"s1","prompt":"p","expected_output":{"x":1},"complexity":"simple","extra":5}
{"id":"b","schema_id":"s2","prompt":"p","expected_output":{}}
"#,
        )
        .unwrap();
        let ex = load_dataset(&path, |id| (id == "s2").then(|| "complex".to_string())).unwrap();
        assert_eq!((ex[0].complexity.as_str(), ex[1].complexity.as_str()), ("simple", "complex"));
        std::fs::write(&path, "{\"id\":\"a\"}\n").unwrap();
        assert!(load_dataset(&path, |_| None).unwrap_err().contains("d.jsonl:1"));
    }

    #[test]
    fn the_report_aggregates_by_complexity() {
        let e1 = example("simple", json!({"a": 1}));
        let e2 = example("complex", json!({"a": 1, "b": 2}));
        let scored = vec![
            score(&e1, result(Some(json!({"a": 1.0})), None, Status::Ok, 100.0), None, None),
            score(&e2, result(None, Some("{\"a\": 1, \"b\": \"x\"}"), Status::InvalidOutput, 300.0), None, None),
        ];
        assert_eq!(scored[1].prediction["output"], json!({"a": 1, "b": "x"}), "raw text that parses is scored");
        assert_eq!(scored[1].prediction["valid"], false);
        let model = ModelReport { name: "m".into(), file: "f".into(), quant: None, params: 1, adapter: None };
        let r = report(model, 2, true, &scored);
        assert_eq!(r.overall.n, 2);
        assert_eq!(r.overall.json_exact, 0.5);
        assert_eq!(r.overall.schema_valid, 0.5);
        assert_eq!(r.by_complexity["complex"].field_f1, 0.5);
        assert_eq!(r.by_complexity["complex"].schema_compliance, 0.0);
        assert_eq!((r.latency_ms.mean, r.latency_ms.p50, r.latency_ms.p95), (200.0, 300.0, 300.0));
        assert_eq!(r.prompt_tokens_per_s, 1000.0, "100 evaluated tokens per 100 ms");
        assert_eq!(r.gen_tokens_per_s, 100.0);
        assert_eq!(r.energy_j_per_job, Some(2.0));
        let v = serde_json::to_value(&r).unwrap();
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
            assert!(v.get(key).is_some(), "report lacks {key}");
        }
        assert!(table(&r).contains("overall"));
        let other = json!({"model": {"name": "old"}, "overall": {"json_exact": 0.25}, "constrained": false});
        let side = compare(&["a.json".into(), "b.json".into()], &[v, other]);
        assert!(side.contains("a.json") && side.contains("50.0%") && side.contains("25.0%"), "{side}");
        assert!(side.contains("complex 0.0%") && side.contains("b.json") && side.contains(" no "), "{side}");
    }
}
