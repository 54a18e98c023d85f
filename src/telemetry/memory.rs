//! Resident memory of this process: the current size from `sysinfo`, the peak
//! (`VmHWM`, which `sysinfo` does not give) from `/proc/self/status`.

/// Current and peak resident set size, in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rss {
    pub rss_bytes: u64,
    pub peak_rss_bytes: u64,
}

/// The current and peak resident size; zeros where the kernel does not provide them.
pub fn rss() -> Rss {
    let status = std::fs::read_to_string("/proc/self/status").map_or(Rss::default(), |s| parse_status(&s));
    match super::system::process_rss() {
        Some(rss) => Rss { rss_bytes: rss, peak_rss_bytes: status.peak_rss_bytes.max(rss) },
        None => status,
    }
}

fn kib(text: &str, key: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |k| k * 1024)
}

pub(super) fn parse_status(status: &str) -> Rss {
    Rss { rss_bytes: kib(status, "VmRSS:"), peak_rss_bytes: kib(status, "VmHWM:") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_status() {
        let r = parse_status("Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n");
        assert_eq!(r, Rss { rss_bytes: 1024 * 1024, peak_rss_bytes: 2048 * 1024 });
        let now = rss();
        assert!(now.rss_bytes > 0 && now.peak_rss_bytes >= now.rss_bytes, "{now:?}");
    }
}
