//! Every command README.md shows runs as written: each ```sh block goes to bash with
//! the built `maaza` first on PATH, a config (`MAAZA_CONFIG`) for a real Mosquitto on a
//! free port and the real model, and `mosquitto_pub`/`mosquitto_sub` pointed at that
//! broker. A block that is only `maaza serve` starts the daemon the next blocks talk
//! to. Where README shows a ```json block right after, the output must contain it
//! (for results: the same status and output; figures vary). `scripts/quickstart.sh`
//! runs as a user runs it (its build is the one these tests were built by, so it only
//! checks it), on a free port; `scripts/test.sh` is the command running this test.

mod common;

use common::broker::{Broker, Probe};
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The fenced blocks of a Markdown text: (language, body).
fn blocks(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(lang)) => open = Some((lang.trim().to_string(), String::new())),
            (Some(_), Some(_)) => out.extend(open.take()),
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

/// The commands of a block, without comments and blank lines.
fn commands(body: &str) -> Vec<&str> {
    body.lines()
        .map(|l| l.split(" #").next().unwrap_or("").trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// `script` in bash, stopped after 300 s: a block that waits for a message that never
/// comes fails instead of hanging the suite.
fn bash(script: &str, dir: &Path) -> Command {
    let mut c = Command::new("timeout");
    c.args(["300", "bash", "-euo", "pipefail", "-c", script]);
    readers_env(c, dir)
}

/// What a reader's shell has: the built `maaza` and the broker shims first on PATH, the
/// test config in `MAAZA_CONFIG`, the repository as the working directory.
fn readers_env(mut c: Command, dir: &Path) -> Command {
    let bin = Path::new(env!("CARGO_BIN_EXE_maaza")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}:{}", dir.join("bin").display(), bin.display(), std::env::var("PATH").unwrap_or_default());
    c.env("PATH", path).env("MAAZA_CONFIG", dir.join("maaza.toml")).current_dir(common::root());
    c
}

/// Every JSON value in `text`, one after another.
fn json_values(text: &str) -> Vec<Value> {
    let mut values = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(['{', '[']) {
        let mut stream = serde_json::Deserializer::from_str(&rest[start..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(v)) => {
                values.push(v);
                rest = &rest[start + stream.byte_offset()..];
            }
            _ => rest = &rest[start + 1..],
        }
    }
    values
}

/// Whether `got` is what README shows: equal, or for a result, the same status and output.
fn shows(readme: &Value, got: &Value) -> bool {
    if readme.get("status").is_some() && readme.get("telemetry").is_some() {
        return readme["status"] == got["status"] && readme["output"] == got["output"];
    }
    readme == got
}

/// Kills the daemon a block started, also when an assertion fails.
struct Stop(Option<Child>);

impl Drop for Stop {
    fn drop(&mut self) {
        if let Some(c) = self.0.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

#[test]
fn every_readme_command_runs() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let broker = Broker::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("bin")).unwrap();
    for tool in ["mosquitto_pub", "mosquitto_sub"] {
        let shim = dir.path().join("bin").join(tool);
        std::fs::write(&shim, format!("#!/bin/sh\nexec /usr/bin/{tool} -h 127.0.0.1 -p {} \"$@\"\n", broker.port))
            .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let config = format!(
        "node_id = \"readme\"\nschemas_dir = \"{}\"\nstate_dir = \"{}\"\n\n[mqtt]\nhost = \"127.0.0.1\"\nport = {}\nheartbeat_s = 1\n\n\
         [[models]]\nname = \"smollm2-135m\"\npath = \"{}\"\nthreads = 2\n",
        common::root().join("schemas").display(),
        dir.path().join("state").display(),
        broker.port,
        common::model_path().display()
    );
    std::fs::write(dir.path().join("maaza.toml"), config).unwrap();

    let all = blocks(&readme);
    let mut daemon = Stop(None);
    let mut ran = 0;
    for (i, (lang, body)) in all.iter().enumerate() {
        if lang != "sh" {
            continue;
        }
        let cmds = commands(body);
        if cmds.iter().all(|c| c.starts_with("scripts/")) {
            assert_eq!(cmds, ["scripts/quickstart.sh", "scripts/test.sh"], "README's two commands changed");
            let port = common::broker::free_port().to_string();
            // A user's environment, not cargo's: cargo's variables would make the
            // script's `cargo build` rebuild crates whose build scripts watch them.
            let mut quickstart = Command::new("scripts/quickstart.sh");
            quickstart.current_dir(common::root()).env_clear().env("MAAZA_QUICKSTART_PORT", &port);
            for keep in ["PATH", "HOME", "USER", "LANG", "TMPDIR", "CARGO_HOME", "RUSTUP_HOME", "MAAZA_TEST_MODEL"] {
                if let Some(v) = std::env::var_os(keep) {
                    quickstart.env(keep, v);
                }
            }
            let out = quickstart.output().unwrap();
            let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            println!("$ scripts/quickstart.sh\n{stdout}{stderr}");
            assert!(out.status.success(), "scripts/quickstart.sh failed:\n{stdout}\n{stderr}");
            let answers = json_values(&stdout);
            let extracted = answers.iter().filter(|v| v["sensor_id"] == "greenhouse-3").count();
            assert_eq!(extracted, 2, "one extraction from the command line, one over MQTT:\n{stdout}");
            ran += 1;
            continue;
        }
        if cmds == ["maaza serve"] {
            let probe = Probe::connect(broker.port, "readme-probe", &["maaza/status/readme"]);
            // `exec` and no `timeout` in front, so that killing the child stops the daemon.
            let mut serve = Command::new("bash");
            serve.args(["-c", &format!("exec {}", cmds[0])]);
            let child = readers_env(serve, dir.path()).stdout(Stdio::null()).stderr(Stdio::inherit()).spawn().unwrap();
            daemon = Stop(Some(child));
            probe.expect("the daemon online", Duration::from_secs(60), |r| r.payload["state"] == "online");
            ran += 1;
            continue;
        }
        let started = Instant::now();
        let out = bash(body, dir.path()).output().unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        println!("$ {}\n{stdout}{stderr}({:.1} s)", cmds.join("\n$ "), started.elapsed().as_secs_f64());
        assert!(out.status.success(), "README block failed:\n{body}\nstdout: {stdout}\nstderr: {stderr}");
        if let Some((next_lang, shown)) = all.get(i + 1).filter(|(l, _)| l == "json") {
            let shown: Value = serde_json::from_str(shown).unwrap_or_else(|e| panic!("README {next_lang} block: {e}"));
            let outputs = json_values(&stdout);
            assert!(outputs.iter().any(|o| shows(&shown, o)), "README shows\n{shown}\nbut the block printed\n{stdout}");
        }
        ran += 1;
    }
    drop(daemon);
    assert!(ran >= 5, "only {ran} README blocks ran");
}

#[test]
fn blocks_and_commands_are_read_as_written() {
    let md = "text\n```sh\na # note\n# only a comment\n\nb\n```\n```json\n{}\n```\n";
    let b = blocks(md);
    assert_eq!(b.len(), 2);
    assert_eq!(commands(&b[0].1), ["a", "b"]);
    let v = json_values("x {\"a\": 1} y [2] {bad");
    assert_eq!(v, [serde_json::json!({"a": 1}), serde_json::json!([2])]);
}
