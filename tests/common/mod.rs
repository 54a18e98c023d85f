//! Shared test helpers: where the real model and the shipped data are.
#![allow(dead_code)]

pub mod broker;

use std::path::PathBuf;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real SmolLM2-135M-Instruct Q4_1 GGUF: `MAAZA_TEST_MODEL`, else the default
/// model directory. Fails with instructions when it is not there.
pub fn model_path() -> PathBuf {
    let path = std::env::var_os("MAAZA_TEST_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| maaza::config::default_model_dir().join("SmolLM2-135M-Instruct.Q4_1.gguf"));
    assert!(
        path.is_file(),
        "the test model is missing at {}: run `cargo run --release -- models fetch` (or scripts/setup.sh), \
         or point MAAZA_TEST_MODEL at SmolLM2-135M-Instruct.Q4_1.gguf",
        path.display()
    );
    path
}

/// The `maaza` binary built for these tests, blind to the developer's user manifest
/// (`~/.config/maaza/models.toml`, which `maaza models add` writes).
pub fn maaza() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_maaza"));
    cmd.env("XDG_CONFIG_HOME", std::env::temp_dir().join("maaza-tests-no-user-config"));
    cmd
}

/// One EdgeJSON example of `tests/data/examples.jsonl`.
pub struct Example {
    pub id: String,
    pub schema_id: String,
    pub complexity: String,
    pub prompt: String,
    pub expected: serde_json::Value,
}

/// The hand-written examples, one or more per shipped schema.
pub fn examples() -> Vec<Example> {
    let text = std::fs::read_to_string(root().join("tests/data/examples.jsonl")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            Example {
                id: v["id"].as_str().unwrap().into(),
                schema_id: v["schema_id"].as_str().unwrap().into(),
                complexity: v["complexity"].as_str().unwrap().into(),
                prompt: v["prompt"].as_str().unwrap().into(),
                expected: v["expected_output"].clone(),
            }
        })
        .collect()
}
