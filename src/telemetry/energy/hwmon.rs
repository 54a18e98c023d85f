//! `hwmon`: power monitors exposed through hwmon (INA219, INA226, INA3221, ...).
//! `energy*_input` (µJ) counters when the chip has them; otherwise `power*_input` (µW),
//! or `curr*_input` (mA) × `in*_input` (mV) of the same index, integrated over time.

use super::counter::Counter;
use super::sampler::Sampler;
use super::EnergyMeter;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// What the sensors give.
enum Kind {
    Energy(Vec<(PathBuf, Mutex<Counter>)>),
    Power(Sampler),
}

/// The hwmon meter.
pub struct Hwmon {
    kind: Kind,
    files: Vec<PathBuf>,
}

fn read_f64(path: &Path) -> Option<f64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// Files in `dir` named `<prefix><n>_input`, with their index.
fn inputs(dir: &Path, prefix: &str) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let index = name.strip_prefix(prefix)?.strip_suffix("_input")?.to_string();
            (!index.is_empty() && index.chars().all(|c| c.is_ascii_digit())).then(|| (index, e.path()))
        })
        .filter(|(_, p)| read_f64(p).is_some())
        .collect();
    found.sort();
    found
}

/// The first kind of sensor found across all hwmon devices, or `None`.
pub fn open(sysfs: &Path, interval: Duration) -> Option<Hwmon> {
    let mut devices: Vec<PathBuf> =
        std::fs::read_dir(sysfs.join("class/hwmon")).ok()?.filter_map(Result::ok).map(|e| e.path()).collect();
    devices.sort();
    let all = |prefix: &str| -> Vec<(String, PathBuf)> { devices.iter().flat_map(|d| inputs(d, prefix)).collect() };

    let energy = all("energy");
    if !energy.is_empty() {
        let files: Vec<PathBuf> = energy.into_iter().map(|(_, p)| p).collect();
        let counters = files
            .iter()
            .map(|p| {
                let mut c = Counter::new(None);
                c.update(read_f64(p).unwrap_or(0.0) as u64);
                (p.clone(), Mutex::new(c))
            })
            .collect();
        return Some(Hwmon { kind: Kind::Energy(counters), files });
    }
    let power: Vec<PathBuf> = all("power").into_iter().map(|(_, p)| p).collect();
    if !power.is_empty() {
        let files = power.clone();
        let sampler =
            Sampler::spawn(interval, move || power.iter().map(|p| read_f64(p).map(|uw| uw / 1e6)).sum::<Option<f64>>());
        return Some(Hwmon { kind: Kind::Power(sampler), files });
    }
    // Current × voltage of the same channel, per device.
    let mut pairs = Vec::new();
    for d in &devices {
        let volts = inputs(d, "in");
        for (i, curr) in inputs(d, "curr") {
            if let Some((_, v)) = volts.iter().find(|(j, _)| *j == i) {
                pairs.push((curr, v.clone()));
            }
        }
    }
    if pairs.is_empty() {
        return None;
    }
    let files = pairs.iter().flat_map(|(c, v)| [c.clone(), v.clone()]).collect();
    let sampler = Sampler::spawn(interval, move || {
        // mA × mV = µW
        pairs.iter().map(|(c, v)| Some(read_f64(c)? * read_f64(v)? / 1e6)).sum::<Option<f64>>()
    });
    Some(Hwmon { kind: Kind::Power(sampler), files })
}

impl EnergyMeter for Hwmon {
    fn source(&self) -> &'static str {
        "hwmon"
    }

    fn joules(&self) -> Option<f64> {
        match &self.kind {
            Kind::Energy(counters) => {
                let mut total = 0.0;
                for (path, c) in counters {
                    total += c.lock().ok()?.update(read_f64(path)? as u64);
                }
                Some(total)
            }
            Kind::Power(s) => s.joules(),
        }
    }

    fn describe(&self) -> String {
        let how = match self.kind {
            Kind::Energy(_) => "energy counters",
            Kind::Power(_) => "power integrated over time",
        };
        let files: Vec<String> = self.files.iter().map(|p| p.display().to_string()).collect();
        format!("hwmon {how}: {}", files.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, file: &str, value: &str) {
        let p = root.join("class/hwmon").join(file);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, value).unwrap();
    }

    #[test]
    fn energy_counters_are_preferred() {
        let root = tempfile::tempdir().unwrap();
        write(root.path(), "hwmon0/energy1_input", "1000000\n");
        write(root.path(), "hwmon0/power1_input", "5000000\n");
        let m = open(root.path(), Duration::from_millis(10)).unwrap();
        assert!(m.describe().contains("energy counters"));
        assert_eq!(m.joules(), Some(0.0));
        write(root.path(), "hwmon0/energy1_input", "3500000\n");
        assert!((m.joules().unwrap() - 2.5).abs() < 1e-9);
    }

    #[test]
    fn power_is_integrated() {
        let root = tempfile::tempdir().unwrap();
        write(root.path(), "hwmon1/power1_input", "4000000\n"); // 4 W
        let m = open(root.path(), Duration::from_millis(10)).unwrap();
        std::thread::sleep(Duration::from_millis(250));
        let j = m.joules().unwrap();
        assert!((0.8..1.3).contains(&j), "4 W for ~0.25 s is ~1 J, got {j}");
    }

    #[test]
    fn current_times_voltage_of_the_same_channel() {
        let root = tempfile::tempdir().unwrap();
        write(root.path(), "hwmon2/curr1_input", "500\n"); // 0.5 A
        write(root.path(), "hwmon2/in1_input", "5000\n"); // 5 V
        write(root.path(), "hwmon2/in0_input", "12\n"); // shunt voltage, no current: ignored
        let m = open(root.path(), Duration::from_millis(10)).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let j = m.joules().unwrap();
        assert!((0.4..0.65).contains(&j), "2.5 W for ~0.2 s is ~0.5 J, got {j}");
    }

    #[test]
    fn nothing_usable_means_unavailable() {
        let root = tempfile::tempdir().unwrap();
        assert!(open(root.path(), Duration::from_millis(10)).is_none());
        write(root.path(), "hwmon0/temp1_input", "41000\n");
        write(root.path(), "hwmon0/power1_input", "garbage\n");
        assert!(open(root.path(), Duration::from_millis(10)).is_none());
    }
}
