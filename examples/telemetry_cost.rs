//! What telemetry costs per job: the time of `Meters::begin` + `Meters::finish` (energy
//! reading, temperature, throttle flag), for the source this machine has and for a fake
//! hwmon energy counter and thermal zone.
//!
//! ```sh
//! cargo run --release --example telemetry_cost
//! ```

use maaza::config::{EnergySource, TelemetryConfig};
use maaza::job::Telemetry;
use maaza::telemetry::Meters;
use std::time::Instant;

fn cost(label: &str, cfg: &TelemetryConfig) {
    let meters = Meters::open(cfg).expect("meters open");
    let n = 20_000;
    let start = Instant::now();
    let mut t = Telemetry::default();
    for _ in 0..n {
        let mark = meters.begin();
        meters.finish(mark, &mut t);
    }
    let us = start.elapsed().as_secs_f64() * 1e6 / n as f64;
    println!("{label:<40} {us:>7.2} µs per job  ({})", meters.describe());
}

fn main() {
    cost("this machine (auto)", &TelemetryConfig::default());
    let root = tempfile::tempdir().unwrap();
    let sys = root.path();
    std::fs::create_dir_all(sys.join("class/hwmon/hwmon0")).unwrap();
    std::fs::write(sys.join("class/hwmon/hwmon0/energy1_input"), "123456789\n").unwrap();
    std::fs::create_dir_all(sys.join("class/thermal/thermal_zone0")).unwrap();
    std::fs::write(sys.join("class/thermal/thermal_zone0/temp"), "45000\n").unwrap();
    let cfg = TelemetryConfig {
        energy_source: EnergySource::Hwmon,
        sysfs_root: sys.to_path_buf(),
        ..TelemetryConfig::default()
    };
    cost("hwmon energy counter + thermal zone", &cfg);
    cost("none", &TelemetryConfig { energy_source: EnergySource::None, ..TelemetryConfig::default() });
}
