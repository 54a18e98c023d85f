//! Figures about the process and the board that go into results and heartbeats:
//! memory, energy (one module per source), CPU temperature and Pi throttling.

pub mod energy;
pub mod memory;
pub mod system;
pub mod thermal;
pub mod throttle;

use crate::config::TelemetryConfig;
use crate::job::Telemetry;
use energy::EnergyMeter;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use throttle::Throttle;

/// How often `vcgencmd get_throttled` runs on a Pi (one process per sample).
const THROTTLE_EVERY: Duration = Duration::from_secs(5);

/// The board's meters, opened once per process.
pub struct Meters {
    energy: Box<dyn EnergyMeter>,
    temperature: Option<Mutex<Temperature>>,
    throttle: Arc<Mutex<Option<Throttle>>>,
}

/// Where the CPU temperature comes from.
enum Temperature {
    /// A hwmon sensor, through `sysinfo`.
    Sensor(system::CpuSensor),
    /// A thermal zone, for boards whose CPU has no hwmon sensor.
    Zone(PathBuf),
}

impl Temperature {
    /// The hwmon CPU sensor when sysfs is the real one, else (or failing that) a thermal zone.
    fn find(sysfs: &Path) -> Option<Temperature> {
        let sensor = if sysfs == Path::new("/sys") { system::CpuSensor::find() } else { None };
        sensor.map(Temperature::Sensor).or_else(|| thermal::cpu_zone(sysfs).map(Temperature::Zone))
    }

    fn read_c(&mut self) -> Option<f64> {
        match self {
            Temperature::Sensor(s) => s.read_c(),
            Temperature::Zone(z) => thermal::read_c(z),
        }
    }

    fn describe(&self) -> String {
        match self {
            Temperature::Sensor(s) => format!("temperature hwmon `{}`", s.label()),
            Temperature::Zone(z) => format!("temperature {}", z.display()),
        }
    }
}

/// A reading taken when a job starts.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    joules: Option<f64>,
}

/// Board figures for heartbeats.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct BoardReadings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_temp_c: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttle: Option<Throttle>,
    /// The Pi is slowed now (under-voltage, capped, throttled or at the soft limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttled: Option<bool>,
    pub mem_available_bytes: u64,
}

impl Meters {
    /// Opens the configured energy source and finds the temperature and throttle readers.
    pub fn open(cfg: &TelemetryConfig) -> Result<Meters, String> {
        let energy = energy::open(cfg)?;
        let temperature = Temperature::find(&cfg.sysfs_root).map(Mutex::new);
        let throttle = Arc::new(Mutex::new(throttle::read(&cfg.vcgencmd)));
        if throttle.lock().is_ok_and(|t| t.is_some()) {
            let weak = Arc::downgrade(&throttle);
            let command = cfg.vcgencmd.clone();
            let _ = std::thread::Builder::new().name("maaza-throttle".into()).spawn(move || loop {
                std::thread::sleep(THROTTLE_EVERY);
                let Some(slot) = weak.upgrade() else { return };
                let reading = throttle::read(&command);
                if let Ok(mut t) = slot.lock() {
                    *t = reading;
                };
            });
        }
        Ok(Meters { energy, temperature, throttle })
    }

    /// Meters that report nothing (`energy_source: none`).
    pub fn off() -> Meters {
        Meters { energy: Box::new(energy::NoMeter), temperature: None, throttle: Arc::new(Mutex::new(None)) }
    }

    /// The energy source's label.
    pub fn source(&self) -> &'static str {
        self.energy.source()
    }

    /// What is measured, for the startup log.
    pub fn describe(&self) -> String {
        let temp = self
            .temperature
            .as_ref()
            .and_then(|t| t.lock().ok().map(|t| t.describe()))
            .unwrap_or_else(|| "no temperature sensor".into());
        let throttle =
            if self.throttle.lock().is_ok_and(|t| t.is_some()) { "vcgencmd throttling" } else { "no throttle reading" };
        format!("energy: {}; {temp}; {throttle}", self.energy.describe())
    }

    /// Call when a job starts.
    pub fn begin(&self) -> Mark {
        Mark { joules: self.energy.joules() }
    }

    /// Fills the energy, temperature and throttling figures of a finished job.
    pub fn finish(&self, mark: Mark, t: &mut Telemetry) {
        t.energy_source = self.energy.source().to_string();
        t.energy_j = match (mark.joules, self.energy.joules()) {
            (Some(a), Some(b)) => Some(((b - a).max(0.0) * 1e4).round() / 1e4),
            _ => None,
        };
        t.cpu_temp_c = self.cpu_temp_c();
        t.throttled = self.throttle.lock().ok().and_then(|t| t.map(|t| t.slowed_now()));
    }

    /// Current board figures.
    pub fn board(&self) -> BoardReadings {
        let throttle = self.throttle.lock().ok().and_then(|t| *t);
        BoardReadings {
            cpu_temp_c: self.cpu_temp_c(),
            throttle,
            throttled: throttle.map(|t| t.slowed_now()),
            mem_available_bytes: system::available_memory(),
        }
    }

    fn cpu_temp_c(&self) -> Option<f64> {
        self.temperature.as_ref()?.lock().ok()?.read_c()
    }
}
