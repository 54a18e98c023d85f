//! Process and system figures from `sysinfo`: this process's resident memory, the
//! system's available memory, and the CPU temperature where the kernel exposes it as a
//! hwmon sensor. What `sysinfo` cannot give stays with its own reader: the peak
//! resident size (`memory`), thermal zones without hwmon (`thermal`), energy, Pi
//! throttling, and the CPU time of a job (`energy::estimate`: `sysinfo` counts it in
//! the kernel's 10 ms clock ticks, which rounds a 1 ms planned job to 0 or 10 ms).

use sysinfo::{Components, MemoryRefreshKind, Pid, ProcessRefreshKind, ProcessesToUpdate, System};

/// Sensor labels that are the CPU, best first (Pi: `cpu_thermal`; Intel; AMD).
const CPU_LABELS: [&str; 5] = ["cpu_thermal", "cpu-thermal", "coretemp Package id 0", "k10temp Tctl", "soc_thermal"];

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
    /// The CPU sensor among the hwmon components, else the first one with a reading.
    pub fn find() -> Option<CpuSensor> {
        let components = Components::new_with_refreshed_list();
        let readable: Vec<(usize, &str)> = components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.temperature().is_some_and(f32::is_finite))
            .map(|(i, c)| (i, c.label()))
            .collect();
        let index = CPU_LABELS
            .iter()
            .find_map(|want| readable.iter().find(|(_, l)| l == want))
            .or_else(|| readable.first())
            .map(|(i, _)| *i)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process_and_the_system() {
        let before = process_rss().expect("Linux exposes /proc/self");
        let block = vec![1u8; 64 << 20];
        let after = process_rss().unwrap();
        assert!(after >= before + (60 << 20), "{before} -> {after} with 64 MiB touched");
        std::hint::black_box(block);
        assert!(available_memory() > 0);
    }
}
