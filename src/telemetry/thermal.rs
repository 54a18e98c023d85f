//! CPU temperature from `<sysfs>/class/thermal/thermal_zone*/temp` (millidegrees).

use std::path::{Path, PathBuf};

/// Zone types that are the CPU, best first (Pi: `cpu-thermal`; Intel: `x86_pkg_temp`).
const CPU_TYPES: [&str; 4] = ["cpu-thermal", "cpu_thermal", "x86_pkg_temp", "soc_thermal"];

/// The zone to read: a CPU zone when one is named, else the first zone.
pub fn cpu_zone(sysfs: &Path) -> Option<PathBuf> {
    let mut zones: Vec<PathBuf> = std::fs::read_dir(sysfs.join("class/thermal"))
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("thermal_zone"))
        .map(|e| e.path())
        .filter(|p| read_c(p).is_some())
        .collect();
    zones.sort();
    let kind = |p: &PathBuf| std::fs::read_to_string(p.join("type")).unwrap_or_default().trim().to_string();
    CPU_TYPES.iter().find_map(|t| zones.iter().find(|z| kind(z) == *t).cloned()).or_else(|| zones.first().cloned())
}

/// Degrees Celsius of a zone.
pub fn read_c(zone: &Path) -> Option<f64> {
    let milli: f64 = std::fs::read_to_string(zone.join("temp")).ok()?.trim().parse().ok()?;
    Some((milli / 100.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(root: &Path, n: u32, kind: &str, milli: &str) {
        let d = root.join(format!("class/thermal/thermal_zone{n}"));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("type"), format!("{kind}\n")).unwrap();
        std::fs::write(d.join("temp"), milli).unwrap();
    }

    #[test]
    fn prefers_the_cpu_zone() {
        let root = tempfile::tempdir().unwrap();
        assert!(cpu_zone(root.path()).is_none());
        zone(root.path(), 0, "acpitz", "27800\n");
        zone(root.path(), 1, "cpu-thermal", "51234\n");
        zone(root.path(), 2, "broken", "n/a\n");
        let z = cpu_zone(root.path()).unwrap();
        assert_eq!(read_c(&z), Some(51.2));
        zone(root.path(), 1, "cpu-thermal", "63000\n");
        assert_eq!(read_c(&z), Some(63.0), "read fresh every time");
        std::fs::remove_file(z.join("temp")).unwrap();
        assert_eq!(read_c(&z), None);
    }
}
