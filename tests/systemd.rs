//! The shipped unit and service config are valid: `systemd-analyze verify` accepts the
//! unit without a single warning, and the config parses with the daemon's own parser.

mod common;

use std::process::Command;

#[test]
fn the_unit_passes_systemd_analyze_verify() {
    let unit = std::fs::read_to_string(common::root().join("systemd/maaza.service")).unwrap();
    for needed in ["Type=notify", "WatchdogSec=", "Restart=on-failure", "StateDirectory=maaza", "MemoryMax="] {
        assert!(unit.contains(needed), "the unit lacks {needed}");
    }
    // verify checks that ExecStart exists: point it at the binary under test.
    let unit = unit.replace("ExecStart=/usr/bin/maaza", &format!("ExecStart={}", env!("CARGO_BIN_EXE_maaza")));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("maaza.service");
    std::fs::write(&path, unit).unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .expect("systemd-analyze is installed (package `systemd`; scripts/deps.sh installs it)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.trim().is_empty(), "systemd-analyze verify: {stderr}");
}

#[test]
fn the_service_config_parses() {
    let path = common::root().join("systemd/maaza.toml");
    let config = maaza::config::Config::load(&path).unwrap();
    assert_eq!(config.model_dir, std::path::PathBuf::from("/var/lib/maaza/models"));
    assert_eq!(config.mqtt.topic_prefix, "maaza");
}
