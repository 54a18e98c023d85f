//! Figures about the process and the board that go into results and heartbeats:
//! memory, energy (one module per source), CPU temperature and Pi throttling.

pub mod energy;
pub mod memory;
pub mod thermal;
pub mod throttle;

use crate::config::TelemetryConfig;
use crate::job::Telemetry;
use energy::EnergyMeter;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use throttle::Throttle;

/// How often `vcgencmd get_throttled` runs on a Pi (one process per sample).
const THROTTLE_EVERY: Duration = Duration::from_secs(5);

/// The board's meters, opened once per process.
pub struct Meters {
    energy: Box<dyn EnergyMeter>,
    zone: Option<PathBuf>,
    throttle: Arc<Mutex<Option<Throttle>>>,
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
    pub mem_available_bytes: u64,
}

impl Meters {
    /// Opens the configured energy source and finds the temperature and throttle readers.
    pub fn open(cfg: &TelemetryConfig) -> Result<Meters, String> {
        let energy = energy::open(cfg)?;
        let zone = thermal::cpu_zone(&cfg.sysfs_root);
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
        Ok(Meters { energy, zone, throttle })
    }

    /// Meters that report nothing (`energy_source: none`).
    pub fn off() -> Meters {
        Meters { energy: Box::new(energy::NoMeter), zone: None, throttle: Arc::new(Mutex::new(None)) }
    }

    /// The energy source's label.
    pub fn source(&self) -> &'static str {
        self.energy.source()
    }

    /// What is measured, for the startup log.
    pub fn describe(&self) -> String {
        let temp = self.zone.as_ref().map_or("no thermal zone".to_string(), |z| format!("temperature {}", z.display()));
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
        t.cpu_temp_c = self.zone.as_ref().and_then(|z| thermal::read_c(z));
        t.throttled = self.throttle.lock().ok().and_then(|t| t.map(|t| t.slowed_now()));
    }

    /// Current board figures.
    pub fn board(&self) -> BoardReadings {
        BoardReadings {
            cpu_temp_c: self.zone.as_ref().and_then(|z| thermal::read_c(z)),
            throttle: self.throttle.lock().ok().and_then(|t| *t),
            mem_available_bytes: memory::available(),
        }
    }
}
