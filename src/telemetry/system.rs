//! Process and system figures from `sysinfo`: this process's resident memory, the
//! system's available memory, and the CPU temperature where the kernel exposes it as a
//! hwmon sensor. What `sysinfo` cannot give stays with its own reader: the peak
//! resident size (`memory`), thermal zones without hwmon (`thermal`), energy, Pi
//! throttling, and the CPU time of a job (`energy::estimate`: `sysinfo` counts it in
//! the kernel's 10 ms clock ticks, which rounds a 1 ms planned job to 0 or 10 ms).

use sysinfo::{Components, MemoryRefreshKind, Pid, ProcessRefreshKind, ProcessesToUpdate, System};

/// hwmon chips that are the CPU, best first (Pi: `cpu_thermal`; Intel; AMD; Rockchip and
/// other SoCs). `sysinfo` labels a sensor `<chip> <label>` (`coretemp Package id 0`), or
/// `<chip> temp<N>` when the sensor has no label (`cpu_thermal temp1`).
const CPU_CHIPS: [&str; 5] = ["cpu_thermal", "cpu-thermal", "coretemp", "k10temp", "soc_thermal"];

/// Resident memory of this process in bytes; `None` where the platform hides it.
pub fn process_rss() -> Option<u64> {
    let pid = Pid::from_u32(std::process::id());
    let mut sys = System::new();
    sys.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        false,
        ProcessRefreshKind::nothing().with_memory(),
    );
    Some(sys.process(pid)?.memory())
}

/// Memory the system can give to new work without swapping, in bytes; 0 when unknown.
pub fn available_memory() -> u64 {
    let mut sys = System::new();
    sys.refresh_memory_specifics(MemoryRefreshKind::nothing().with_ram());
    sys.available_memory()
}

/// The CPU's hwmon temperature sensor, read again on every call.
pub struct CpuSensor {
    components: Components,
    index: usize,
}

impl CpuSensor {
    /// The CPU's sensor among the hwmon components: the first chip of [`CPU_CHIPS`] that
    /// has one, its package sensor when it has several. Other sensors (disks, Wi-Fi,
    /// ACPI) are never taken for the CPU.
    pub fn find() -> Option<CpuSensor> {
        let components = Components::new_with_refreshed_list();
        let readable: Vec<(usize, &str)> = components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.temperature().is_some_and(f32::is_finite))
            .map(|(i, c)| (i, c.label()))
            .collect();
        let index = pick(&readable)?;
        Some(CpuSensor { components, index })
    }

    /// The sensor's label, for the startup log.
    pub fn label(&self) -> &str {
        self.components.get(self.index).map_or("", |c| c.label())
    }

    /// Degrees Celsius, to 0.1.
    pub fn read_c(&mut self) -> Option<f64> {
        let c = self.components.get_mut(self.index)?;
        c.refresh();
        c.temperature().filter(|t| t.is_finite()).map(|t| (f64::from(t) * 10.0).round() / 10.0)
    }
}

/// The CPU's sensor among `(index, label)` pairs.
fn pick(sensors: &[(usize, &str)]) -> Option<usize> {
    CPU_CHIPS.iter().find_map(|chip| {
        let of_chip: Vec<&(usize, &str)> =
            sensors.iter().filter(|(_, l)| l.split_whitespace().next() == Some(*chip)).collect();
        of_chip.iter().find(|(_, l)| l.contains("Package") || l.contains("Tctl")).or(of_chip.first()).map(|(i, _)| *i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_sensor_and_nothing_else() {
        let pi = [(0, "rp1_adc temp1"), (1, "cpu_thermal temp1"), (2, "nvme Composite")];
        assert_eq!(pick(&pi), Some(1));
        let intel = [(0, "acpitz temp1"), (1, "coretemp Core 0"), (2, "coretemp Package id 0")];
        assert_eq!(pick(&intel), Some(2));
        assert_eq!(pick(&[(0, "nvme Composite"), (1, "drivetemp temp1")]), None, "no guess: the thermal zone decides");
    }

    #[test]
    fn reads_this_process_and_the_system() {
        // Other tests run alongside and change the process's size: compare with the
        // kernel's own figure, read right after, within a wide margin.
        let rss = process_rss().expect("Linux exposes /proc/self") as f64;
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let kernel = super::super::memory::parse_status(&status).rss_bytes as f64;
        assert!(rss > 0.0 && (rss / kernel - 1.0).abs() < 0.5, "sysinfo {rss} B, kernel {kernel} B");
        assert!(available_memory() > 0);
    }
}
