//! A cheap "still making progress" signal shared between the inference thread and
//! the systemd watchdog: the worker touches it between jobs and on every decode
//! step, the watchdog only pets systemd while it is fresh. A hung llama.cpp call
//! stops the touches, the pets stop, and systemd restarts the service.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// When progress was last made, as milliseconds since the value was created.
#[derive(Debug)]
pub struct Liveness {
    epoch: Instant,
    last_ms: AtomicU64,
}

impl Default for Liveness {
    fn default() -> Self {
        Liveness { epoch: Instant::now(), last_ms: AtomicU64::new(0) }
    }
}

impl Liveness {
    /// Records progress now.
    pub fn touch(&self) {
        let now = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(now, Ordering::Relaxed);
    }

    /// Time since the last touch.
    pub fn idle_for(&self) -> Duration {
        let now = u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(now.saturating_sub(self.last_ms.load(Ordering::Relaxed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touch_resets_the_idle_time() {
        let l = Liveness::default();
        std::thread::sleep(Duration::from_millis(30));
        assert!(l.idle_for() >= Duration::from_millis(25));
        l.touch();
        assert!(l.idle_for() < Duration::from_millis(25));
    }
}
