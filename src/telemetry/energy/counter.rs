//! Accumulates a hardware energy counter that may wrap around or reset.

/// Running total of a raw microjoule counter.
#[derive(Debug, Default, Clone)]
pub struct Counter {
    last: Option<u64>,
    total_uj: f64,
    /// The value at which the counter wraps to 0 (RAPL's `max_energy_range_uj`), when known.
    range: Option<u64>,
}

impl Counter {
    pub fn new(range: Option<u64>) -> Counter {
        Counter { range, ..Counter::default() }
    }

    /// Adds a new raw reading; returns the total in joules since the first one.
    pub fn update(&mut self, raw: u64) -> f64 {
        if let Some(last) = self.last {
            let delta = if raw >= last {
                raw - last
            } else if let Some(range) = self.range.filter(|r| *r >= last) {
                // Wrapped once: up to the range, then from 0.
                range - last + raw
            } else {
                // Reset (driver reload) with no known range: count from 0.
                raw
            };
            self.total_uj += delta as f64;
        }
        self.last = Some(raw);
        self.total_uj / 1e6
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_deltas_and_wraps() {
        let mut c = Counter::new(Some(1_000_000));
        assert_eq!(c.update(900_000), 0.0);
        assert!((c.update(950_000) - 0.05).abs() < 1e-9);
        // wraps: 950_000 → 1_000_000 → 0 → 20_000 is 70_000 µJ more
        assert!((c.update(20_000) - 0.12).abs() < 1e-9);
        let mut c = Counter::new(None);
        c.update(500);
        assert!((c.update(200) - 0.0002).abs() < 1e-12, "a reset without range counts from 0");
    }
}
