//! Raspberry Pi throttling, from `vcgencmd get_throttled` (`throttled=0x50005`).

use serde::Serialize;
use std::process::Command;

/// The decoded bits: what is true now, and what has happened since boot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Throttle {
    pub under_voltage: bool,
    pub freq_capped: bool,
    pub throttled: bool,
    pub soft_temp_limit: bool,
    pub under_voltage_occurred: bool,
    pub freq_capped_occurred: bool,
    pub throttled_occurred: bool,
    pub soft_temp_limit_occurred: bool,
}

impl Throttle {
    /// Decodes the bit field.
    pub fn from_bits(bits: u32) -> Throttle {
        let bit = |n: u32| bits & (1 << n) != 0;
        Throttle {
            under_voltage: bit(0),
            freq_capped: bit(1),
            throttled: bit(2),
            soft_temp_limit: bit(3),
            under_voltage_occurred: bit(16),
            freq_capped_occurred: bit(17),
            throttled_occurred: bit(18),
            soft_temp_limit_occurred: bit(19),
        }
    }

    /// Whether the CPU runs slower than it should right now.
    pub fn slowed_now(&self) -> bool {
        self.under_voltage || self.freq_capped || self.throttled || self.soft_temp_limit
    }
}

/// Parses `throttled=0x50005`.
pub fn parse(output: &str) -> Option<Throttle> {
    let hex = output.trim().strip_prefix("throttled=")?.trim_start_matches("0x");
    u32::from_str_radix(hex, 16).ok().map(Throttle::from_bits)
}

/// Runs `<command> get_throttled`; `None` off a Pi.
pub fn read(command: &str) -> Option<Throttle> {
    let out = Command::new(command).arg("get_throttled").output().ok()?;
    out.status.success().then(|| parse(&String::from_utf8_lossy(&out.stdout))).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_bits() {
        let t = parse("throttled=0x50005\n").unwrap();
        assert!(t.under_voltage && t.throttled && !t.freq_capped && !t.soft_temp_limit);
        assert!(t.under_voltage_occurred && t.throttled_occurred && !t.soft_temp_limit_occurred);
        assert!(t.slowed_now());
        assert!(!parse("throttled=0x0").unwrap().slowed_now());
        assert!(parse("error=2").is_none());
        assert!(read("/nonexistent/vcgencmd").is_none());
    }
}
