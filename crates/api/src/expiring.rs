//! A bounded map whose entries expire, expired in time order: a min-heap of expiry times
//! beside the map, so dropping what expired costs O(log n) per entry, never a scan of the
//! whole map under a lock. When the map is full, the entry closest to expiry is evicted.
//!
//! Used by every in-process table that a client can grow: the in-process store's counters
//! and tickets, the rate limiter's leases and the revocation mirror. It holds no lock
//! itself; its owners wrap it in the lock that fits them.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::Hash;

/// A map of at most `capacity` entries, each with an expiry time `T`.
pub struct ExpiringMap<K, V, T> {
    entries: HashMap<K, (V, T)>,
    // One element per expiry ever set; an element whose time no longer matches its
    // entry's is stale and skipped when popped.
    queue: BinaryHeap<Reverse<(T, K)>>,
    capacity: usize,
}

impl<K, V, T> ExpiringMap<K, V, T>
where
    K: Eq + Hash + Ord + Clone,
    T: Ord + Copy,
{
    /// An empty map holding at most `capacity` entries (at least one).
    pub fn new(capacity: usize) -> Self {
        ExpiringMap {
            entries: HashMap::new(),
            queue: BinaryHeap::new(),
            capacity: capacity.max(1),
        }
    }

    /// Live and not yet purged entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Drops every entry whose expiry is at or before `now`; returns how many.
    pub fn purge(&mut self, now: T) -> usize {
        let mut dropped = 0;
        while let Some(Reverse((at, _))) = self.queue.peek() {
            if *at > now {
                break;
            }
            if let Some(Reverse((at, key))) = self.queue.pop()
                && self.entries.get(&key).is_some_and(|(_, t)| *t == at)
            {
                self.entries.remove(&key);
                dropped += 1;
            }
        }
        dropped
    }

    /// The value of `key` if it has not expired at `now`.
    pub fn get(&self, key: &K, now: T) -> Option<&V> {
        self.entries
            .get(key)
            .filter(|(_, t)| *t > now)
            .map(|(v, _)| v)
    }

    /// The value of `key` and its expiry, if it has not expired at `now`.
    pub fn get_with_expiry(&self, key: &K, now: T) -> Option<(&V, T)> {
        self.entries
            .get(key)
            .filter(|(_, t)| *t > now)
            .map(|(v, t)| (v, *t))
    }

    /// The value and expiry of `key`, expired or not (until purged).
    pub fn get_mut(&mut self, key: &K) -> Option<(&mut V, T)> {
        self.entries.get_mut(key).map(|(v, t)| (v, *t))
    }

    /// True when `key` is held, expired or not (until purged).
    pub fn contains_key(&self, key: &K) -> bool {
        self.entries.contains_key(key)
    }

    /// True when `key` is present and not expired at `now`.
    pub fn contains(&self, key: &K, now: T) -> bool {
        self.get(key, now).is_some()
    }

    /// Stores `value` under `key` until `expires`, after purging what expired at `now`.
    /// When full, the entry closest to expiry makes room.
    pub fn insert(&mut self, key: K, value: V, expires: T, now: T) {
        self.purge(now);
        if !self.entries.contains_key(&key) && self.entries.len() >= self.capacity {
            self.evict_one();
        }
        self.entries.insert(key.clone(), (value, expires));
        self.push(expires, key);
    }

    /// Moves the expiry of `key` (no effect when absent).
    pub fn set_expiry(&mut self, key: &K, expires: T) {
        if let Some((_, t)) = self.entries.get_mut(key)
            && *t != expires
        {
            *t = expires;
            self.push(expires, key.clone());
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        self.entries.remove(key).map(|(v, _)| v)
    }

    /// Every entry not expired at `now`.
    pub fn live(&self, now: T) -> impl Iterator<Item = (&K, &V, T)> {
        self.entries
            .iter()
            .filter(move |(_, (_, t))| *t > now)
            .map(|(k, (v, t))| (k, v, *t))
    }

    fn push(&mut self, at: T, key: K) {
        self.queue.push(Reverse((at, key)));
        // Stale elements pile up when expiries move; rebuild once they outnumber the
        // entries (amortized O(1) per push).
        if self.queue.len() > 2 * self.entries.len() + 64 {
            self.queue = self
                .entries
                .iter()
                .map(|(k, (_, t))| Reverse((*t, k.clone())))
                .collect();
        }
    }

    fn evict_one(&mut self) {
        while let Some(Reverse((at, key))) = self.queue.pop() {
            if self.entries.get(&key).is_some_and(|(_, t)| *t == at) {
                self.entries.remove(&key);
                metrics::counter!("cc_expiring_map_evictions_total").increment(1);
                return;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_in_time_order_and_moved_expiries_are_honoured() {
        let mut m: ExpiringMap<&str, u32, u64> = ExpiringMap::new(10);
        m.insert("a", 1, 10, 0);
        m.insert("b", 2, 20, 0);
        m.insert("c", 3, 30, 0);
        m.set_expiry(&"a", 25);
        assert_eq!(m.purge(20), 1, "b went; a was moved past 20");
        assert_eq!(m.get(&"a", 20), Some(&1));
        assert_eq!(m.get(&"b", 20), None);
        assert_eq!(
            m.get(&"c", 30),
            None,
            "expired at its time even before a purge"
        );
        assert_eq!(m.purge(30), 2);
        assert!(m.is_empty());
    }

    #[test]
    fn a_full_map_evicts_the_entry_closest_to_expiry() {
        let mut m: ExpiringMap<u32, (), u64> = ExpiringMap::new(3);
        for (k, exp) in [(1, 50), (2, 10), (3, 40)] {
            m.insert(k, (), exp, 0);
        }
        m.insert(4, (), 60, 0);
        assert_eq!(m.len(), 3);
        assert!(!m.contains(&2, 0), "the soonest to expire was evicted");
        assert!(m.contains(&1, 0) && m.contains(&3, 0) && m.contains(&4, 0));
        m.insert(1, (), 70, 0);
        assert_eq!(m.len(), 3, "updating a present key evicts nothing");
    }

    #[test]
    fn the_heap_stays_bounded_when_expiries_keep_moving() {
        let mut m: ExpiringMap<u32, (), u64> = ExpiringMap::new(100);
        m.insert(1, (), 1, 0);
        for t in 2..100_000 {
            m.set_expiry(&1, t);
        }
        assert!(m.queue.len() <= 2 * m.len() + 65, "{}", m.queue.len());
        assert_eq!(m.purge(99_998), 0);
        assert_eq!(m.purge(99_999), 1);
    }

    #[test]
    fn many_distinct_keys_never_hold_more_than_the_capacity() {
        let mut m: ExpiringMap<u64, u64, u64> = ExpiringMap::new(1000);
        for k in 0..200_000u64 {
            m.insert(k, k, 200_000 + k, 0);
        }
        assert_eq!(m.len(), 1000);
        assert!(m.queue.len() <= 2 * 1000 + 65);
        assert!(m.contains(&199_999, 0), "the newest survive");
    }
}
