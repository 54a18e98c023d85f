//! SplitMix64: a tiny seeded generator whose output never changes between Rust or
//! crate versions, so a seed names one dataset forever.

/// A seeded pseudo-random stream.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A decimal in `lo..hi` written with `places` decimals, as text.
    pub fn dec(&mut self, lo: f64, hi: f64, places: usize) -> String {
        let unit = self.unit();
        format!("{:.*}", places, lo + unit * (hi - lo))
    }

    /// Fisher-Yates.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }

    /// `lo..=hi` distinct items of `pool`, in random order.
    pub fn some<T: Clone>(&mut self, pool: &[T], lo: usize, hi: usize) -> Vec<T> {
        let k = lo + self.below(hi - lo + 1);
        let mut all = pool.to_vec();
        self.shuffle(&mut all);
        all.truncate(k.min(pool.len()));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_the_same_stream_forever() {
        // Pinned values: if these change, every generated dataset changes.
        let mut r = Rng::new(7);
        assert_eq!([r.next_u64(), r.next_u64()], [7_191_089_600_892_374_487, 309_689_372_594_955_804]);
        assert!((0..1000).all(|_| r.below(3) < 3));
        assert!((0..1000).all(|_| (-2..=2).contains(&r.int(-2, 2))));
    }
}
