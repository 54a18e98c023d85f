//! `rapl`: Intel/AMD package energy counters, `<sysfs>/class/powercap/intel-rapl:N/energy_uj`.
//! Only top-level packages are summed (their subzones are part of them); each counter
//! wraps at its `max_energy_range_uj`.

use super::counter::Counter;
use super::EnergyMeter;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

struct Zone {
    energy: PathBuf,
    counter: Mutex<Counter>,
}

/// The RAPL meter.
pub struct Rapl {
    zones: Vec<Zone>,
}

fn read_u64(path: &Path) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// The packages whose counter can be read now, or `None`.
pub fn open(sysfs: &Path) -> Option<Rapl> {
    let dir = sysfs.join("class/powercap");
    let mut zones = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir).ok()?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        // `intel-rapl:0` is a package; `intel-rapl:0:1` a part of it.
        let Some(rest) = name.strip_prefix("intel-rapl:") else { continue };
        if rest.contains(':') {
            continue;
        }
        let energy = entry.path().join("energy_uj");
        let Some(first) = read_u64(&energy) else { continue };
        let mut counter = Counter::new(read_u64(&entry.path().join("max_energy_range_uj")));
        counter.update(first);
        zones.push(Zone { energy, counter: Mutex::new(counter) });
    }
    (!zones.is_empty()).then_some(Rapl { zones })
}

impl EnergyMeter for Rapl {
    fn source(&self) -> &'static str {
        "rapl"
    }

    fn joules(&self) -> Option<f64> {
        let mut total = 0.0;
        for z in &self.zones {
            let raw = read_u64(&z.energy)?;
            total += z.counter.lock().ok()?.update(raw);
        }
        Some(total)
    }

    fn describe(&self) -> String {
        let zones: Vec<String> = self.zones.iter().map(|z| z.energy.display().to_string()).collect();
        format!("RAPL package counters: {}", zones.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(root: &Path, name: &str, uj: u64, range: u64) {
        let d = root.join("class/powercap").join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("energy_uj"), format!("{uj}\n")).unwrap();
        std::fs::write(d.join("max_energy_range_uj"), format!("{range}\n")).unwrap();
    }

    #[test]
    fn sums_packages_and_handles_wrap_around() {
        let root = tempfile::tempdir().unwrap();
        zone(root.path(), "intel-rapl:0", 999_000_000, 1_000_000_000);
        zone(root.path(), "intel-rapl:0:0", 5, 1_000_000_000); // a subzone: not summed
        zone(root.path(), "intel-rapl:1", 1_000_000, 1_000_000_000);
        let m = open(root.path()).unwrap();
        assert_eq!(m.joules(), Some(0.0));
        zone(root.path(), "intel-rapl:0", 1_000_000, 1_000_000_000); // wrapped: +2 J
        zone(root.path(), "intel-rapl:1", 3_000_000, 1_000_000_000); // +2 J
        let j = m.joules().unwrap();
        assert!((j - 4.0).abs() < 1e-9, "{j}");
        std::fs::remove_file(root.path().join("class/powercap/intel-rapl:1/energy_uj")).unwrap();
        assert_eq!(m.joules(), None, "an unreadable counter gives no figure, not a wrong one");
    }

    #[test]
    fn absent_or_unreadable_means_unavailable() {
        let root = tempfile::tempdir().unwrap();
        assert!(open(root.path()).is_none());
        std::fs::create_dir_all(root.path().join("class/powercap/intel-rapl:0")).unwrap();
        assert!(open(root.path()).is_none());
    }
}
