//! Where log lines go (`log_format`): human-readable or JSON lines on stderr, or
//! native journald entries whose fields (`JOB_ID`, `SCHEMA`, `STATUS`, `ERROR_CODE`, …)
//! `journalctl` can filter on. `auto` picks journald when stderr is the journal, which
//! systemd says with `JOURNAL_STREAM`.

use crate::config::LogFormat;
use std::io::IsTerminal;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

/// The sink a format resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sink {
    Plain,
    Json,
    Journald,
}

/// The sink for `format`; `journal` tells whether stderr is connected to the journal.
pub fn sink(format: LogFormat, journal: bool) -> Sink {
    match format {
        LogFormat::Plain => Sink::Plain,
        LogFormat::Json => Sink::Json,
        LogFormat::Journald => Sink::Journald,
        LogFormat::Auto if journal => Sink::Journald,
        LogFormat::Auto => Sink::Plain,
    }
}

/// Whether stderr is the journal stream systemd names in `JOURNAL_STREAM` (`DEV:INODE`).
/// Children inherit the variable with stderr redirected elsewhere, so the device and
/// inode are compared, as systemd.exec(5) advises.
pub fn stderr_is_journal() -> bool {
    std::env::var("JOURNAL_STREAM").is_ok_and(|v| is_stream(&v, 2))
}

/// Whether `fd` is the file `DEV:INODE` names.
fn is_stream(dev_inode: &str, fd: i32) -> bool {
    let Some((dev, ino)) = dev_inode.split_once(':') else { return false };
    let (Ok(dev), Ok(ino)) = (dev.parse::<u64>(), ino.parse::<u64>()) else { return false };
    fstat(fd).is_some_and(|(d, i)| d == dev && i == ino)
}

/// Device and inode of an open file descriptor.
fn fstat(fd: i32) -> Option<(u64, u64)> {
    let mut st = std::mem::MaybeUninit::<libc::stat>::zeroed();
    // SAFETY: fstat writes a full stat into the pointer on success; a closed fd gives -1.
    if unsafe { libc::fstat(fd, st.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: fstat returned 0, so the struct is initialised.
    let st = unsafe { st.assume_init() };
    #[allow(clippy::unnecessary_cast)]
    Some((st.st_dev as u64, st.st_ino as u64))
}

/// Installs the global subscriber: `MAAZA_LOG` as the filter, else `level` for maaza
/// and quieter libraries.
pub fn init(format: LogFormat, level: &str) {
    let filter = || {
        EnvFilter::try_from_env("MAAZA_LOG")
            .unwrap_or_else(|_| EnvFilter::new(format!("{level},llama-cpp-2=error,llama_cpp_2=error,rumqttc=warn")))
    };
    let mut sink = sink(format, stderr_is_journal());
    let mut fallback = None;
    if sink == Sink::Journald {
        match tracing_journald::layer() {
            Ok(layer) => {
                // No `F_` prefix: `journalctl JOB_ID=…` as documented.
                let layer = layer.with_field_prefix(None).with_syslog_identifier("maaza".into());
                let _ = tracing_subscriber::registry().with(filter()).with(layer).try_init();
                return;
            }
            Err(e) => {
                fallback = Some(e);
                sink = Sink::Plain;
            }
        }
    }
    let fmt = tracing_subscriber::fmt().with_env_filter(filter()).with_writer(std::io::stderr);
    let _ = match sink {
        Sink::Json => fmt.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init(),
        _ => fmt.with_ansi(std::io::stderr().is_terminal()).try_init(),
    };
    if let Some(e) = fallback {
        tracing::warn!("log_format journald: cannot reach the journal socket ({e}); logging to stderr");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_is_journald_only_on_the_journal() {
        assert_eq!(sink(LogFormat::Auto, true), Sink::Journald);
        assert_eq!(sink(LogFormat::Auto, false), Sink::Plain);
        assert_eq!(sink(LogFormat::Json, true), Sink::Json);
        assert_eq!(sink(LogFormat::Journald, false), Sink::Journald);
    }

    #[test]
    fn the_journal_is_recognised_by_device_and_inode() {
        use std::os::fd::AsRawFd;
        let file = tempfile::tempfile().unwrap();
        let fd = file.as_raw_fd();
        let (dev, ino) = fstat(fd).unwrap();
        assert!(is_stream(&format!("{dev}:{ino}"), fd));
        assert!(!is_stream(&format!("{dev}:{}", ino + 1), fd), "an inherited variable naming another stream");
        assert!(!is_stream("garbage", fd));
    }
}
