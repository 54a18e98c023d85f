//! `pmic`: the Raspberry Pi 5 power-management IC, read with `vcgencmd pmic_read_adc`
//! (a current and a voltage per rail). A background thread samples it at a fixed
//! interval and integrates the summed V × I: one process per sample, never per token.

use super::sampler::Sampler;
use super::EnergyMeter;
use std::collections::HashMap;
use std::process::Command;
use std::time::Duration;

/// The PMIC meter.
pub struct Pmic {
    sampler: Sampler,
    command: String,
    rails: usize,
}

/// Total watts over the rails that have both a current (`NAME_A current(n)=xA`) and a
/// voltage (`NAME_V volt(n)=yV`) line.
pub fn parse_watts(output: &str) -> Option<(f64, usize)> {
    let (mut amps, mut volts) = (HashMap::new(), HashMap::new());
    for line in output.lines() {
        let mut parts = line.split_whitespace();
        let (Some(name), Some(reading)) = (parts.next(), parts.next()) else { continue };
        let Some((_, value)) = reading.split_once('=') else { continue };
        if let Some(rail) = name.strip_suffix("_A") {
            if let Ok(a) = value.trim_end_matches('A').parse::<f64>() {
                amps.insert(rail.to_string(), a);
            }
        } else if let Some(rail) = name.strip_suffix("_V") {
            if let Ok(v) = value.trim_end_matches('V').parse::<f64>() {
                volts.insert(rail.to_string(), v);
            }
        }
    }
    let paired: Vec<f64> = amps.iter().filter_map(|(rail, a)| volts.get(rail).map(|v| a * v)).collect();
    (!paired.is_empty()).then(|| (paired.iter().sum(), paired.len()))
}

fn read(command: &str) -> Option<(f64, usize)> {
    let out = Command::new(command).arg("pmic_read_adc").output().ok()?;
    if !out.status.success() {
        return None;
    }
    parse_watts(&String::from_utf8_lossy(&out.stdout))
}

/// The PMIC when `command pmic_read_adc` answers with rail readings, else `None`.
pub fn open(command: &str, interval: Duration) -> Option<Pmic> {
    let (_, rails) = read(command)?;
    let cmd = command.to_string();
    let sampler = Sampler::spawn(interval, move || read(&cmd).map(|(w, _)| w));
    Some(Pmic { sampler, command: command.to_string(), rails })
}

impl EnergyMeter for Pmic {
    fn source(&self) -> &'static str {
        "pmic"
    }

    fn joules(&self) -> Option<f64> {
        self.sampler.joules()
    }

    fn describe(&self) -> String {
        format!("Raspberry Pi PMIC: `{} pmic_read_adc`, {} rails, sampled and integrated", self.command, self.rails)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "     3V7_WL_SW_A current(0)=0.10000000A
       3V3_SYS_A current(1)=0.20000000A
     3V7_WL_SW_V volt(8)=3.70000000V
       3V3_SYS_V volt(9)=3.30000000V
        EXT5V_V volt(24)=5.10000000V
";

    #[test]
    fn pairs_rails_and_sums_watts() {
        let (w, n) = parse_watts(SAMPLE).unwrap();
        assert_eq!(n, 2, "EXT5V has no current and is left out");
        assert!((w - (0.1 * 3.7 + 0.2 * 3.3)).abs() < 1e-9);
        assert!(parse_watts("error=1 error_msg=\"Command not registered\"").is_none());
    }

    #[test]
    fn a_fake_vcgencmd_is_sampled_and_integrated() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("vcgencmd");
        // 1 A at 5 V on one rail.
        std::fs::write(&script, "#!/bin/sh\necho 'X_A current(0)=1.0A'\necho 'X_V volt(1)=5.0V'\n").unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let m = open(script.to_str().unwrap(), Duration::from_millis(20)).unwrap();
        std::thread::sleep(Duration::from_millis(300));
        let j = m.joules().unwrap();
        assert!((1.0..2.0).contains(&j), "5 W for ~0.3 s is ~1.5 J, got {j}");
        assert!(open("/nonexistent/vcgencmd", Duration::from_millis(20)).is_none());
    }
}
