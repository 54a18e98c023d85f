//! Integrates a power reading over time on a background thread, for sources that give
//! watts but no energy counter (hwmon power monitors, the Pi 5 PMIC).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug)]
struct State {
    joules: f64,
    last_watts: Option<f64>,
    last_at: Instant,
}

/// A running integral of watts, sampled every `interval`.
#[derive(Debug, Clone)]
pub struct Sampler {
    state: Arc<Mutex<State>>,
}

impl Sampler {
    /// Starts a thread that calls `read_watts` every `interval` (trapezoid rule).
    /// The thread ends with the last clone of the sampler.
    pub fn spawn(interval: Duration, mut read_watts: impl FnMut() -> Option<f64> + Send + 'static) -> Sampler {
        let state = Arc::new(Mutex::new(State { joules: 0.0, last_watts: read_watts(), last_at: Instant::now() }));
        let weak = Arc::downgrade(&state);
        std::thread::Builder::new()
            .name("maaza-power".into())
            .spawn(move || loop {
                std::thread::sleep(interval);
                let Some(state) = weak.upgrade() else { return };
                let watts = read_watts();
                if let Ok(mut s) = state.lock() {
                    let now = Instant::now();
                    let dt = (now - s.last_at).as_secs_f64();
                    if let (Some(a), Some(b)) = (s.last_watts, watts) {
                        s.joules += (a + b) / 2.0 * dt;
                    }
                    s.last_watts = watts;
                    s.last_at = now;
                };
            })
            .ok();
        Sampler { state }
    }

    /// Joules so far, extended to now with the last power reading.
    pub fn joules(&self) -> Option<f64> {
        let s = self.state.lock().ok()?;
        let watts = s.last_watts?;
        Some(s.joules + watts * s.last_at.elapsed().as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrates_constant_power() {
        let s = Sampler::spawn(Duration::from_millis(10), || Some(2.0));
        std::thread::sleep(Duration::from_millis(200));
        let j = s.joules().unwrap();
        assert!((0.35..0.5).contains(&j), "2 W for ~0.2 s is ~0.4 J, got {j}");
    }

    #[test]
    fn no_reading_no_energy() {
        let s = Sampler::spawn(Duration::from_millis(10), || None);
        std::thread::sleep(Duration::from_millis(30));
        assert!(s.joules().is_none());
    }
}
