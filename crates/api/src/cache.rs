//! A small bounded in-process cache with a time-to-live, for read paths that would
//! otherwise hit the database or redo expensive work on every request. Entries are
//! invalidated explicitly by the writers (and, across instances, by realtime events);
//! the TTL bounds staleness if an invalidation is ever missed.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Bounded map of values that expire.
pub struct TtlCache<K, V> {
    entries: RwLock<HashMap<K, (V, Instant)>>,
    ttl: Duration,
    capacity: usize,
    // Bumped by every invalidation, so that a value read from the database before a
    // concurrent write is not stored after that write invalidated it.
    generation: AtomicU64,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    /// A cache keeping each value for `ttl`, holding at most `capacity` entries.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        TtlCache {
            entries: RwLock::new(HashMap::new()),
            ttl,
            capacity,
            generation: AtomicU64::new(0),
        }
    }

    /// The value for `key`, if present and fresh.
    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        let map = self.entries.read().unwrap_or_else(|p| p.into_inner());
        map.get(key)
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(v, _)| v.clone())
    }

    /// Stores `value`; when full, expired entries go first, then everything.
    pub fn insert(&self, key: K, value: V) {
        let mut map = self.entries.write().unwrap_or_else(|p| p.into_inner());
        if map.len() >= self.capacity {
            let ttl = self.ttl;
            map.retain(|_, (_, at)| at.elapsed() < ttl);
            if map.len() >= self.capacity {
                map.clear();
            }
        }
        map.insert(key, (value, Instant::now()));
    }

    /// The invalidation generation; read it before loading a value to cache.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Stores `value` unless something was invalidated since `generation` was read.
    pub fn insert_if_current(&self, key: K, value: V, generation: u64) {
        if self.generation() == generation {
            self.insert(key, value);
        }
    }

    /// Forgets `key`.
    pub fn invalidate(&self, key: &K) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }

    /// Forgets every key for which `stale` answers true.
    pub fn invalidate_where(&self, stale: impl Fn(&K) -> bool) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|k, _| !stale(k));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_expire_are_invalidated_and_capacity_is_bounded() {
        let c = TtlCache::new(Duration::from_secs(60), 2);
        c.insert(1, "a");
        assert_eq!(c.get(&1), Some("a"));
        c.invalidate(&1);
        assert_eq!(c.get(&1), None);
        c.insert(1, "a");
        c.insert(2, "b");
        c.insert(3, "c");
        assert_eq!(c.get(&3), Some("c"));
        assert!(
            c.get(&1).is_none() && c.get(&2).is_none(),
            "a full cache starts over"
        );
        let g = c.generation();
        c.invalidate_where(|k| *k == 3);
        c.insert_if_current(4, "d", g);
        assert_eq!(
            c.get(&4),
            None,
            "a value read before an invalidation is not stored"
        );
        c.insert_if_current(4, "d", c.generation());
        assert_eq!(c.get(&4), Some("d"));
        let stale = TtlCache::new(Duration::ZERO, 8);
        stale.insert(1, "a");
        assert_eq!(stale.get(&1), None);
    }
}
