//! Evaluated prompt prefixes, one per schema: a bounded, byte-accounted LRU.
//!
//! A prefix (instruction, field list, start of the user turn) depends only on the
//! schema, the model and the adapter, so its KV cache state can be saved once and
//! restored for every later job on that schema, whatever ran in between. Entries are
//! keyed by the prefix's tokens and the adapter: a changed schema tokenizes
//! differently and misses, and a cache belongs to one session, hence one model.

use std::collections::VecDeque;

/// Saved states of prefixes, most recently used first, at most `capacity` bytes.
pub struct PrefixCache<S> {
    entries: VecDeque<Entry<S>>,
    bytes: usize,
    capacity: usize,
}

struct Entry<S> {
    adapter: Option<usize>,
    tokens: Vec<i32>,
    state: S,
    bytes: usize,
}

impl<S> PrefixCache<S> {
    /// An empty cache holding at most `capacity` bytes of state (0: off).
    pub fn new(capacity: usize) -> PrefixCache<S> {
        PrefixCache { entries: VecDeque::new(), bytes: 0, capacity }
    }

    /// The most bytes of state it holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Whether the cache may hold anything at all.
    pub fn enabled(&self) -> bool {
        self.capacity > 0
    }

    fn position(&self, adapter: Option<usize>, tokens: &[i32]) -> Option<usize> {
        self.entries.iter().position(|e| e.adapter == adapter && e.tokens == tokens)
    }

    /// Whether `tokens` under `adapter` are saved (without touching the order).
    pub fn contains(&self, adapter: Option<usize>, tokens: &[i32]) -> bool {
        self.position(adapter, tokens).is_some()
    }

    /// The saved state of `tokens` under `adapter`, now the most recently used.
    pub fn get(&mut self, adapter: Option<usize>, tokens: &[i32]) -> Option<&S> {
        let i = self.position(adapter, tokens)?;
        let entry = self.entries.remove(i)?;
        self.entries.push_front(entry);
        self.entries.front().map(|e| &e.state)
    }

    /// Drops the entry for `tokens` under `adapter` (a state llama.cpp refused).
    pub fn remove(&mut self, adapter: Option<usize>, tokens: &[i32]) {
        if let Some(e) = self.position(adapter, tokens).and_then(|i| self.entries.remove(i)) {
            self.bytes -= e.bytes;
        }
    }

    /// Saves `state` (`bytes` long), evicting the least recently used entries until it
    /// fits. A state larger than the whole cache is not kept; returns whether it was.
    pub fn insert(&mut self, adapter: Option<usize>, tokens: Vec<i32>, state: S, bytes: usize) -> bool {
        self.remove(adapter, &tokens);
        if bytes > self.capacity {
            return false;
        }
        while self.bytes + bytes > self.capacity {
            match self.entries.pop_back() {
                Some(e) => self.bytes -= e.bytes,
                None => break,
            }
        }
        self.bytes += bytes;
        self.entries.push_front(Entry { adapter, tokens, state, bytes });
        true
    }

    /// Bytes of state held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Number of prefixes held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Forgets everything (the weights changed under the saved states).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_least_recently_used_to_stay_within_its_bytes() {
        let mut c = PrefixCache::new(100);
        assert!(c.insert(None, vec![1], "a", 40));
        assert!(c.insert(None, vec![2], "b", 40));
        // Using `a` makes `b` the oldest, so `c` pushes `b` out.
        assert_eq!(c.get(None, &[1]), Some(&"a"));
        assert!(c.insert(None, vec![3], "c", 40));
        assert!(c.contains(None, &[1]) && c.contains(None, &[3]));
        assert!(!c.contains(None, &[2]));
        assert_eq!((c.len(), c.bytes()), (2, 80));
    }

    #[test]
    fn keys_on_tokens_and_adapter() {
        let mut c = PrefixCache::new(100);
        c.insert(None, vec![1, 2], "base", 10);
        c.insert(Some(0), vec![1, 2], "adapted", 10);
        assert_eq!(c.get(None, &[1, 2]), Some(&"base"));
        assert_eq!(c.get(Some(0), &[1, 2]), Some(&"adapted"));
        // A schema that changed tokenizes differently: a miss, not a stale state.
        assert_eq!(c.get(None, &[1, 3]), None);
        assert_eq!(c.get(None, &[1]), None);
    }

    #[test]
    fn refuses_a_state_larger_than_the_cache_and_replaces_an_equal_key() {
        let mut c = PrefixCache::new(50);
        assert!(!c.insert(None, vec![1], "big", 51));
        assert_eq!(c.len(), 0);
        c.insert(None, vec![1], "old", 30);
        c.insert(None, vec![1], "new", 20);
        assert_eq!((c.len(), c.bytes()), (1, 20));
        assert_eq!(c.get(None, &[1]), Some(&"new"));
        c.remove(None, &[1]);
        assert_eq!((c.len(), c.bytes()), (0, 0));
    }

    #[test]
    fn a_zero_capacity_cache_is_off() {
        let mut c = PrefixCache::new(0);
        assert!(!c.enabled());
        assert!(!c.insert(None, vec![1], (), 1));
        c.clear();
        assert_eq!(c.len(), 0);
    }
}
