//! Resident memory of this process, from `/proc/self/status`.

/// Current and peak resident set size, in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rss {
    pub rss_bytes: u64,
    pub peak_rss_bytes: u64,
}

/// Reads `VmRSS` and `VmHWM`; zeros where the kernel does not provide them.
pub fn rss() -> Rss {
    std::fs::read_to_string("/proc/self/status").map_or(Rss::default(), |s| parse_status(&s))
}

/// `MemAvailable` of the system, from `/proc/meminfo`; 0 when unknown.
pub fn available() -> u64 {
    std::fs::read_to_string("/proc/meminfo").map_or(0, |s| kib(&s, "MemAvailable:"))
}

fn kib(text: &str, key: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |k| k * 1024)
}

fn parse_status(status: &str) -> Rss {
    Rss { rss_bytes: kib(status, "VmRSS:"), peak_rss_bytes: kib(status, "VmHWM:") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_status() {
        let r = parse_status("Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n");
        assert_eq!(r, Rss { rss_bytes: 1024 * 1024, peak_rss_bytes: 2048 * 1024 });
        assert!(rss().rss_bytes > 0);
        assert!(available() > 0);
    }
}
