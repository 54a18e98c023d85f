//! Energy per job. Every source is a meter of joules since it was opened; a job's
//! energy is the difference between two readings. Sources, one module each, are
//! detected in the order hwmon, pmic, rapl, estimate, unless the config names one.
//!
//! All of them read from a configurable sysfs root and `vcgencmd` path, so the tests
//! point them at fake trees and scripts.

pub mod counter;
pub mod estimate;
pub mod hwmon;
pub mod pmic;
pub mod rapl;
pub mod sampler;

use crate::config::{EnergySource, TelemetryConfig};

/// A meter of energy used since it was opened.
pub trait EnergyMeter: Send + Sync {
    /// `rapl`, `hwmon`, `pmic`, `estimate` or `none`, as results label it.
    fn source(&self) -> &'static str;
    /// Joules since the meter was opened; `None` when the reading failed this time.
    fn joules(&self) -> Option<f64>;
    /// One line for the log: what is measured and how.
    fn describe(&self) -> String;
}

/// The `none` source: energy is not reported.
pub struct NoMeter;

impl EnergyMeter for NoMeter {
    fn source(&self) -> &'static str {
        "none"
    }
    fn joules(&self) -> Option<f64> {
        None
    }
    fn describe(&self) -> String {
        "energy reporting is off (telemetry.energy_source = \"none\")".into()
    }
}

/// Opens the configured source, or the first available one for `auto`.
/// A source named explicitly that this board does not have is an error.
pub fn open(cfg: &TelemetryConfig) -> Result<Box<dyn EnergyMeter>, String> {
    let sysfs = &cfg.sysfs_root;
    let interval = std::time::Duration::from_millis(cfg.sample_ms.max(10));
    let missing = |what: &str| format!("telemetry.energy_source = \"{what}\", but {}", unavailable(what, cfg));
    match cfg.energy_source {
        EnergySource::None => Ok(Box::new(NoMeter)),
        EnergySource::Hwmon => hwmon::open(sysfs, interval).map(boxed).ok_or_else(|| missing("hwmon")),
        EnergySource::Pmic => pmic::open(&cfg.vcgencmd, interval).map(boxed).ok_or_else(|| missing("pmic")),
        EnergySource::Rapl => rapl::open(sysfs).map(boxed).ok_or_else(|| missing("rapl")),
        EnergySource::Estimate => estimate::open(cfg).map(boxed),
        EnergySource::Auto => {
            if let Some(m) = hwmon::open(sysfs, interval) {
                return Ok(Box::new(m));
            }
            if let Some(m) = pmic::open(&cfg.vcgencmd, interval) {
                return Ok(Box::new(m));
            }
            if let Some(m) = rapl::open(sysfs) {
                return Ok(Box::new(m));
            }
            estimate::open(cfg).map(boxed)
        }
    }
}

fn boxed<M: EnergyMeter + 'static>(m: M) -> Box<dyn EnergyMeter> {
    Box::new(m)
}

fn unavailable(what: &str, cfg: &TelemetryConfig) -> String {
    let sysfs = cfg.sysfs_root.display();
    match what {
        "hwmon" => {
            format!("no readable energy*_input, power*_input or curr*_input+in*_input under {sysfs}/class/hwmon")
        }
        "pmic" => format!("`{} pmic_read_adc` gave no rail readings (Raspberry Pi 5 only)", cfg.vcgencmd),
        _ => format!(
            "no readable {sysfs}/class/powercap/intel-rapl:N/energy_uj (Intel/AMD; root-only on recent kernels)"
        ),
    }
}
