//! The real `maaza` binary on bad and good input: one-line errors with stable
//! codes, exit code 2 for bad input, and JSON on stdout when all is well.

mod common;

use std::io::Write;
use std::process::{Output, Stdio};

fn model() -> String {
    common::model_path().display().to_string()
}

fn run(args: &[&str]) -> Output {
    common::maaza().current_dir(common::root()).args(args).output().unwrap()
}

fn assert_bad_input(out: &Output, code: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains(code), "expected `{code}` in: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty(), "no partial output on stdout: {}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn extract_prints_valid_json() {
    let out = run(&[
        "extract",
        "--model",
        &model(),
        "--schema",
        "gps_fix",
        "Tracker fix: lat 52.52, lon 13.405, 9 satellites",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lat"], serde_json::json!(52.52), "{v}");
}

#[test]
fn extract_json_reads_stdin_and_prints_the_full_result() {
    let mut child = common::maaza()
        .current_dir(common::root())
        .args(["extract", "--json", "--model", &model(), "--schema", "alert", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"[WARNING] source=fan-2 message=Fan speed low").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["schema"], "alert");
    // Every key is labelled or written (`[WARNING]`): the plan settles it, no token generated.
    assert_eq!(v["output"], serde_json::json!({"severity": "warning", "source": "fan-2", "message": "Fan speed low"}));
    assert_eq!(v["decided_by"], "plan");
    assert_eq!(v["telemetry"]["generated_tokens"].as_u64(), Some(0));
    assert!(v["telemetry"]["peak_rss_bytes"].as_u64().unwrap() > 0);
    // Whatever this machine has; here (no sensors) a labelled estimate.
    let source = v["telemetry"]["energy_source"].as_str().unwrap();
    assert!(["rapl", "hwmon", "pmic", "estimate"].contains(&source), "{source}");
    assert!(v["telemetry"]["energy_j"].as_f64().unwrap() >= 0.0);
}

#[test]
fn empty_text_is_rejected() {
    assert_bad_input(&run(&["extract", "--model", &model(), "--schema", "alert", "   "]), "empty_input");
}

#[test]
fn unknown_schema_is_rejected() {
    assert_bad_input(&run(&["extract", "--model", &model(), "--schema", "no_such_schema", "x"]), "unknown_schema");
}

#[test]
fn bad_schema_files_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let not_json = dir.path().join("broken.json");
    std::fs::write(&not_json, "{ not json").unwrap();
    assert_bad_input(
        &run(&["extract", "--model", &model(), "--schema", not_json.to_str().unwrap(), "x"]),
        "schema_invalid",
    );
    let not_schema = dir.path().join("bad.json");
    std::fs::write(&not_schema, r#"{"type": "thing"}"#).unwrap();
    assert_bad_input(
        &run(&["extract", "--model", &model(), "--schema", not_schema.to_str().unwrap(), "x"]),
        "schema_invalid",
    );
    let remote = dir.path().join("remote.json");
    std::fs::write(&remote, r#"{"type":"object","properties":{"a":{"$ref":"http://127.0.0.1:9/x.json"}}}"#).unwrap();
    assert_bad_input(
        &run(&["extract", "--model", &model(), "--schema", remote.to_str().unwrap(), "x"]),
        "schema_remote_ref",
    );
}

#[test]
fn missing_or_non_gguf_models_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.gguf");
    let out = run(&["extract", "--model", missing.to_str().unwrap(), "--schema", "alert", "x"]);
    assert_bad_input(&out, "model_unavailable");
    let fake = dir.path().join("fake.gguf");
    std::fs::write(&fake, b"this is not a model").unwrap();
    let out = run(&["extract", "--model", fake.to_str().unwrap(), "--schema", "alert", "x"]);
    assert_bad_input(&out, "not a GGUF file");
    assert_bad_input(&run(&["extract", "--model", "gpt-9000", "--schema", "alert", "x"]), "unknown_model");
}

#[test]
fn input_over_the_limit_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("maaza.toml");
    std::fs::write(&config, "[limits]\nmax_input_bytes = 16\n").unwrap();
    let out = run(&[
        "--config",
        config.to_str().unwrap(),
        "extract",
        "--model",
        &model(),
        "--schema",
        "alert",
        "this text is longer than sixteen bytes",
    ]);
    assert_bad_input(&out, "input_too_large");
}

#[test]
fn config_errors_name_the_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("maaza.toml");
    std::fs::write(&config, "[mqtt]\nprot = 1883\n").unwrap();
    let out = run(&["--config", config.to_str().unwrap(), "schemas", "list"]);
    assert_bad_input(&out, "prot");
    assert!(String::from_utf8_lossy(&out.stderr).contains(config.to_str().unwrap()));
}

#[test]
fn a_prompt_over_the_context_is_rejected() {
    // Labelled (`Note:`), so the model must read it: plain prose this simple is settled
    // by the prose plan without a prompt.
    let long = format!("Note: {}", "Temp 21.5C, humidity 40% at 10:32. ".repeat(40));
    let out = run(&["extract", "--model", &model(), "--context", "128", "--schema", "sensor_reading", &long]);
    assert_bad_input(&out, "context_overflow");
}

#[test]
fn schemas_list_shows_the_registry() {
    let out = run(&["schemas", "list"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().count() >= 24, "{text}");
    assert!(text.contains("invoice\t"), "{text}");
}

#[test]
fn log_format_json_writes_one_object_per_line_with_the_job_fields() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("maaza.toml");
    std::fs::write(&cfg, "log_format = \"json\"\n").unwrap();
    let out = common::maaza()
        .current_dir(common::root())
        .env("MAAZA_LOG", "info,llama-cpp-2=error")
        .args(["--config", cfg.to_str().unwrap(), "extract", "--model", &model(), "--schema", "alert"])
        .arg("[CRITICAL] source=ups-rack4 message=Battery low")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<serde_json::Value> =
        stderr.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect();
    let done = lines.iter().find(|l| l["message"] == "job done").unwrap_or_else(|| panic!("{stderr}"));
    assert_eq!((done["status"].as_str(), done["span"]["schema"].as_str()), (Some("ok"), Some("alert")), "{done}");
    assert!(done["span"]["job_id"].as_str().is_some_and(|id| !id.is_empty()), "{done}");
}

#[test]
fn a_schema_no_value_satisfies_is_rejected_and_a_slow_job_stops_at_its_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let own_ref = dir.path().join("own_ref.json");
    std::fs::write(&own_ref, r##"{"$ref": "#"}"##).unwrap();
    let out = run(&["extract", "--model", &model(), "--schema", own_ref.to_str().unwrap(), "hello"]);
    assert_bad_input(&out, "schema_invalid");

    // A 10 ms limit: the long input's prompt alone takes longer.
    let cfg = dir.path().join("maaza.toml");
    std::fs::write(&cfg, "[limits]\njob_timeout_s = 0.01\n").unwrap();
    let text = format!("Note: {}", "Temp 21.5C, humidity 40% at 10:32. ".repeat(40));
    let out =
        run(&["--config", cfg.to_str().unwrap(), "extract", "--model", &model(), "--schema", "sensor_reading", &text]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("deadline_exceeded"), "{stderr}");
}

#[test]
fn the_default_model_decodes_with_its_bundled_adapter_and_bare_without() {
    // The model where `maaza models fetch` puts it, in a folder of this test's own.
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(common::model_path(), dir.path().join("SmolLM2-135M-Instruct.Q4_1.gguf")).unwrap();
    let cfg = dir.path().join("maaza.toml");
    std::fs::write(&cfg, format!("model_dir = {:?}\n", dir.path())).unwrap();
    // A request: no label, so the model decides what the plan leaves open.
    let request = "Find the area of a triangle with a base of 10 units and height of 5 units.";
    let schema = dir.path().join("triangle.json");
    std::fs::write(
        &schema,
        r#"{"type": "object", "properties": {"base": {"type": "integer"}, "height": {"type": "integer"},
            "unit": {"type": "string", "description": "The unit of measure"}}, "required": ["base", "height"]}"#,
    )
    .unwrap();
    let extract = |extra: &[&str]| {
        let mut args = vec!["--config", cfg.to_str().unwrap(), "extract", "--json", "--threads", "2"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--schema", schema.to_str().unwrap(), request]);
        let out = run(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let own = extract(&[]);
    assert_eq!(own["decided_by"], "model", "{own}");
    assert_eq!(own["adapter"], "smollm2-135m-requests", "{own}");
    assert!(dir.path().join("smollm2-135m-requests.lora.gguf").is_file(), "the adapter is written beside the model");
    let bare = extract(&["--bare"]);
    assert_eq!(bare["decided_by"], "model", "{bare}");
    assert!(bare.get("adapter").is_none_or(|a| a.is_null()), "{bare}");
}
