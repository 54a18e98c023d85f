//! systemd integration (`Type=notify`): READY=1 once the model is loaded and the
//! subscriptions are granted, STOPPING=1 at shutdown, and WATCHDOG=1 only while the
//! inference thread shows progress. Outside systemd (no `NOTIFY_SOCKET`) all of it
//! does nothing.

use crate::liveness::Liveness;
use sd_notify::NotifyState;
use std::sync::Arc;

fn send(state: NotifyState<'_>) {
    if let Err(e) = sd_notify::notify(&[state]) {
        tracing::warn!("cannot notify systemd: {e}");
    }
}

/// The service is up.
pub fn ready() {
    send(NotifyState::Ready);
}

/// The service is shutting down.
pub fn stopping() {
    send(NotifyState::Stopping);
}

/// Pets the watchdog every half period while `liveness` was touched within the period.
/// A hung inference stops the touches; the pets stop; systemd kills and restarts us.
pub fn spawn_watchdog(liveness: Arc<Liveness>) {
    let Some(period) = sd_notify::watchdog_enabled() else {
        return;
    };
    tracing::info!(period_s = period.as_secs_f64(), "systemd watchdog enabled");
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period / 2);
        let mut warned = false;
        loop {
            tick.tick().await;
            if liveness.idle_for() < period {
                send(NotifyState::Watchdog);
                warned = false;
            } else if !warned {
                tracing::error!(
                    idle_s = liveness.idle_for().as_secs(),
                    "inference thread made no progress; not petting the watchdog"
                );
                warned = true;
            }
        }
    });
}
