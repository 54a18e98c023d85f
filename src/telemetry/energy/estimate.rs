//! `estimate`: a model of the board, not a measurement: idle watts over the wall time
//! plus watts per busy core over this process's CPU time. Presets per board (the
//! figures are typical published wall-power numbers, ±30%), overridable in config.

use super::EnergyMeter;
use crate::config::TelemetryConfig;
use std::path::Path;
use std::time::Instant;

/// A board's power model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Board {
    pub name: &'static str,
    /// Whole-board watts when idle.
    pub idle_w: f64,
    /// Watts added per fully busy core.
    pub core_w: f64,
}

/// Known boards: `pi4`, `pi5`, `pi-zero-2w`, and `generic` for everything else.
pub const BOARDS: [Board; 4] = [
    Board { name: "pi4", idle_w: 2.7, core_w: 0.9 },
    Board { name: "pi5", idle_w: 2.7, core_w: 1.2 },
    Board { name: "pi-zero-2w", idle_w: 0.6, core_w: 0.6 },
    Board { name: "generic", idle_w: 5.0, core_w: 5.0 },
];

/// The preset for `name`, or for the board's device-tree model when `name` is `auto`.
pub fn board(name: &str, sysfs: &Path) -> Result<Board, String> {
    let name = if name == "auto" { detect(sysfs) } else { name };
    BOARDS.iter().copied().find(|b| b.name == name).ok_or_else(|| {
        let known: Vec<&str> = BOARDS.iter().map(|b| b.name).collect();
        format!("telemetry.board = \"{name}\" is not one of auto, {}", known.join(", "))
    })
}

/// Reads `<sysfs>/firmware/devicetree/base/model` ("Raspberry Pi 5 Model B Rev 1.0").
fn detect(sysfs: &Path) -> &'static str {
    let model = std::fs::read_to_string(sysfs.join("firmware/devicetree/base/model")).unwrap_or_default();
    if model.contains("Raspberry Pi 5") {
        "pi5"
    } else if model.contains("Raspberry Pi 4") {
        "pi4"
    } else if model.contains("Raspberry Pi Zero 2") {
        "pi-zero-2w"
    } else {
        "generic"
    }
}

/// CPU time of this process (all threads), in seconds.
pub fn cpu_seconds() -> Option<f64> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a full rusage into the pointer on success.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    if rc != 0 {
        return None;
    }
    // SAFETY: rc == 0, so the struct is initialised.
    let u = unsafe { usage.assume_init() };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Some(secs(u.ru_utime) + secs(u.ru_stime))
}

/// The estimate meter.
pub struct Estimate {
    board: Board,
    opened: Instant,
    cpu_at_open: f64,
}

/// The model for the configured (or detected) board, with config overrides.
pub fn open(cfg: &TelemetryConfig) -> Result<Estimate, String> {
    let mut b = board(&cfg.board, &cfg.sysfs_root)?;
    if let Some(w) = cfg.idle_w {
        b.idle_w = w;
    }
    if let Some(w) = cfg.busy_core_w {
        b.core_w = w;
    }
    Ok(Estimate { board: b, opened: Instant::now(), cpu_at_open: cpu_seconds().unwrap_or(0.0) })
}

impl EnergyMeter for Estimate {
    fn source(&self) -> &'static str {
        "estimate"
    }

    fn joules(&self) -> Option<f64> {
        let cpu = cpu_seconds()? - self.cpu_at_open;
        Some(self.board.idle_w * self.opened.elapsed().as_secs_f64() + self.board.core_w * cpu)
    }

    fn describe(&self) -> String {
        format!(
            "estimate, not measured: board `{}`, {} W idle + {} W per busy core (set telemetry.board, idle_w, busy_core_w)",
            self.board.name, self.board.idle_w, self.board.core_w
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boards_come_from_the_device_tree() {
        let root = tempfile::tempdir().unwrap();
        assert_eq!(board("auto", root.path()).unwrap().name, "generic");
        let dt = root.path().join("firmware/devicetree/base");
        std::fs::create_dir_all(&dt).unwrap();
        std::fs::write(dt.join("model"), "Raspberry Pi 5 Model B Rev 1.0\0").unwrap();
        assert_eq!(board("auto", root.path()).unwrap().name, "pi5");
        std::fs::write(dt.join("model"), "Raspberry Pi Zero 2 W Rev 1.0\0").unwrap();
        assert_eq!(board("auto", root.path()).unwrap().name, "pi-zero-2w");
        assert_eq!(board("pi4", root.path()).unwrap().core_w, 0.9);
        assert!(board("pi3", root.path()).unwrap_err().contains("pi-zero-2w"));
    }

    #[test]
    fn busy_cpu_costs_more_than_idle() {
        let cfg = TelemetryConfig { board: "pi4".into(), ..TelemetryConfig::default() };
        let m = open(&cfg).unwrap();
        let t = Instant::now();
        let mut x = 0u64;
        while t.elapsed().as_millis() < 200 {
            x = x.wrapping_mul(31).wrapping_add(7);
        }
        std::hint::black_box(x);
        let j = m.joules().unwrap();
        // ≥ 0.2 s × 2.7 W idle + ~0.2 s × 0.9 W busy
        assert!((0.6..1.2).contains(&j), "{j}");
    }
}
