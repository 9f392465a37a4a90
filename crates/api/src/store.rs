//! Short-lived shared state: rate-limit counters, throttling windows and single-use
//! tickets. Redis when configured, so every instance sees the same counts; in-process
//! otherwise (the embedded default). One enum keeps the two behind one API.

use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context;
use deadpool_redis::redis::{self, AsyncCommands};
// tokio's clock is the system clock, except in tests that pause it.
use tokio::time::Instant;

use crate::clock::Clock;
use crate::expiring::ExpiringMap;

/// Where counters and tickets live.
pub enum Store {
    /// In-process, for a single instance.
    Memory(MemoryStore),
    /// Redis, shared by every instance with the same prefix.
    Redis(RedisStore),
}

/// A block of hits counted at once: the window's total after them and the time left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reserved {
    /// Hits in this window, the block included.
    pub total: u64,
    /// Time until the window resets.
    pub ttl: Duration,
}

/// A fixed-window count and the seconds left in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Hits so far in this window.
    pub count: u64,
    /// Seconds until the window resets.
    pub ttl_secs: u64,
}

impl Store {
    /// Counts one hit on `key` in a window of `window_secs`.
    pub async fn hit(&self, key: &str, window_secs: u64) -> anyhow::Result<Window> {
        match self {
            Store::Memory(m) => Ok(m.hit(key, window_secs)),
            Store::Redis(r) => r.hit(key, window_secs).await,
        }
    }

    /// Counts `n` hits on `key` at once in a window of `window_secs` (the rate limiter
    /// reserves its allowance in blocks this way).
    pub async fn reserve(&self, key: &str, n: u64, window_secs: u64) -> anyhow::Result<Reserved> {
        match self {
            Store::Memory(m) => {
                let now = m.now();
                let (total, expires) = m.add(key, n, window_secs, now);
                Ok(Reserved {
                    total,
                    ttl: expires.saturating_duration_since(now),
                })
            }
            Store::Redis(r) => r.reserve(key, n, window_secs).await,
        }
    }

    /// Takes back `n` hits counted on `key` (an attempt that turned out not to count);
    /// nothing happens when the window is gone.
    pub async fn unhit(&self, key: &str, n: u64) -> anyhow::Result<()> {
        match self {
            Store::Memory(m) => {
                m.sub(key, n);
                Ok(())
            }
            Store::Redis(r) => r.unhit(key, n).await,
        }
    }

    /// Reads the window of `key` without counting.
    pub async fn peek(&self, key: &str) -> anyhow::Result<Window> {
        match self {
            Store::Memory(m) => Ok(m.peek(key)),
            Store::Redis(r) => r.peek(key).await,
        }
    }

    /// Forgets `key`.
    pub async fn reset(&self, key: &str) -> anyhow::Result<()> {
        match self {
            Store::Memory(m) => {
                m.lock().remove(&key.to_owned());
                Ok(())
            }
            Store::Redis(r) => r.del(key).await,
        }
    }

    /// Stores `value` under `key` for `ttl_secs`.
    pub async fn put(&self, key: &str, value: &str, ttl_secs: u64) -> anyhow::Result<()> {
        match self {
            Store::Memory(m) => {
                let now = m.now();
                let expires = now + Duration::from_secs(ttl_secs);
                let entry = Entry {
                    count: 0,
                    value: Some(value.to_owned()),
                };
                m.lock().insert(key.to_owned(), entry, expires, now);
                Ok(())
            }
            Store::Redis(r) => r.put(key, value, ttl_secs).await,
        }
    }

    /// Takes `key`'s value once: a second take finds nothing.
    pub async fn take(&self, key: &str) -> anyhow::Result<Option<String>> {
        match self {
            Store::Memory(m) => {
                let now = m.now();
                let mut map = m.lock();
                let live = map.contains(&key.to_owned(), now);
                Ok(map
                    .remove(&key.to_owned())
                    .filter(|_| live)
                    .and_then(|e| e.value))
            }
            Store::Redis(r) => r.take(key).await,
        }
    }
}

struct Entry {
    count: u64,
    value: Option<String>,
}

/// Most entries the in-process store holds; past it, the entry closest to expiry goes.
/// Clients are counted by address or verified principal, so only a client with this many
/// addresses could fill it.
pub const MEMORY_CAPACITY: usize = 250_000;

/// The in-process store: bounded, expired in time order.
pub struct MemoryStore {
    entries: Mutex<ExpiringMap<String, Entry, Instant>>,
    clock: Clock,
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::with_capacity(MEMORY_CAPACITY)
    }
}

impl MemoryStore {
    /// A store holding at most `capacity` keys.
    pub fn with_capacity(capacity: usize) -> Self {
        MemoryStore {
            entries: Mutex::new(ExpiringMap::new(capacity)),
            clock: Clock::system(),
        }
    }

    /// A store whose windows and tickets expire by `clock`.
    pub fn with_clock(clock: Clock) -> Self {
        MemoryStore {
            clock,
            ..MemoryStore::default()
        }
    }

    fn now(&self) -> Instant {
        self.clock.instant()
    }

    /// Keys held (expired ones not yet purged included).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ExpiringMap<String, Entry, Instant>> {
        // A panic while holding this lock cannot leave a counter half-written.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn hit(&self, key: &str, window_secs: u64) -> Window {
        let now = self.now();
        let (count, expires) = self.add(key, 1, window_secs, now);
        Window {
            count,
            ttl_secs: ttl(expires, now),
        }
    }

    /// Adds `n` to `key`'s window: the new count and when the window ends.
    fn add(&self, key: &str, n: u64, window_secs: u64, now: Instant) -> (u64, Instant) {
        let mut map = self.lock();
        let key = key.to_owned();
        if let Some((entry, expires)) = map.get_mut(&key)
            && expires > now
        {
            entry.count = entry.count.saturating_add(n);
            return (entry.count, expires);
        }
        let expires = now + Duration::from_secs(window_secs);
        let entry = Entry {
            count: n,
            value: None,
        };
        map.insert(key, entry, expires, now);
        (n, expires)
    }

    /// Takes `n` back from `key`'s window (an attempt that turned out not to count).
    fn sub(&self, key: &str, n: u64) {
        if let Some((entry, _)) = self.lock().get_mut(&key.to_owned()) {
            entry.count = entry.count.saturating_sub(n);
        }
    }

    fn peek(&self, key: &str) -> Window {
        let now = self.now();
        let map = self.lock();
        match map.get_with_expiry(&key.to_owned(), now) {
            Some((e, expires)) => Window {
                count: e.count,
                ttl_secs: ttl(expires, now),
            },
            None => Window {
                count: 0,
                ttl_secs: 0,
            },
        }
    }
}

fn ttl(expires: Instant, now: Instant) -> u64 {
    expires.saturating_duration_since(now).as_secs_f64().ceil() as u64
}

/// The Redis store; every key is prefixed.
pub struct RedisStore {
    pool: deadpool_redis::Pool,
    prefix: String,
}

impl RedisStore {
    /// A store over `pool` whose keys start with `prefix:`.
    pub fn new(pool: deadpool_redis::Pool, prefix: &str) -> Self {
        RedisStore {
            pool,
            prefix: prefix.to_owned(),
        }
    }

    fn key(&self, key: &str) -> String {
        format!("{}:kv:{key}", self.prefix)
    }

    async fn conn(&self) -> anyhow::Result<deadpool_redis::Connection> {
        self.pool.get().await.context("redis connection")
    }

    async fn hit(&self, key: &str, window_secs: u64) -> anyhow::Result<Window> {
        let k = self.key(key);
        let mut c = self.conn().await?;
        let (count, ttl): (u64, i64) = redis::pipe()
            .atomic()
            .incr(&k, 1u64)
            .cmd("EXPIRE")
            .arg(&k)
            .arg(window_secs)
            .arg("NX")
            .ignore()
            .ttl(&k)
            .query_async(&mut c)
            .await
            .context("redis hit")?;
        Ok(Window {
            count,
            ttl_secs: ttl.max(0) as u64,
        })
    }

    async fn reserve(&self, key: &str, n: u64, window_secs: u64) -> anyhow::Result<Reserved> {
        let k = self.key(key);
        let mut c = self.conn().await?;
        let (total, ttl_ms): (u64, i64) = redis::pipe()
            .atomic()
            .incr(&k, n)
            .cmd("EXPIRE")
            .arg(&k)
            .arg(window_secs)
            .arg("NX")
            .ignore()
            .pttl(&k)
            .query_async(&mut c)
            .await
            .context("redis reserve")?;
        // The key always has a TTL here (set in the same transaction); a negative answer
        // would mean it vanished meanwhile, so the block is treated as a full window's.
        let ttl = u64::try_from(ttl_ms)
            .map(Duration::from_millis)
            .unwrap_or(Duration::from_secs(window_secs));
        Ok(Reserved { total, ttl })
    }

    async fn unhit(&self, key: &str, n: u64) -> anyhow::Result<()> {
        // DECRBY alone would create a key without expiry when the window just ended.
        const SCRIPT: &str = "if redis.call('EXISTS', KEYS[1]) == 1 then \
            return redis.call('DECRBY', KEYS[1], ARGV[1]) end return 0";
        let mut c = self.conn().await?;
        let _: i64 = redis::cmd("EVAL")
            .arg(SCRIPT)
            .arg(1)
            .arg(self.key(key))
            .arg(n)
            .query_async(&mut c)
            .await
            .context("redis unhit")?;
        Ok(())
    }

    async fn peek(&self, key: &str) -> anyhow::Result<Window> {
        let k = self.key(key);
        let mut c = self.conn().await?;
        let (count, ttl): (Option<u64>, i64) = redis::pipe()
            .get(&k)
            .ttl(&k)
            .query_async(&mut c)
            .await
            .context("redis peek")?;
        Ok(Window {
            count: count.unwrap_or(0),
            ttl_secs: ttl.max(0) as u64,
        })
    }

    async fn del(&self, key: &str) -> anyhow::Result<()> {
        let mut c = self.conn().await?;
        let _: () = c.del(self.key(key)).await.context("redis del")?;
        Ok(())
    }

    async fn put(&self, key: &str, value: &str, ttl_secs: u64) -> anyhow::Result<()> {
        let mut c = self.conn().await?;
        let _: () = c
            .set_ex(self.key(key), value, ttl_secs)
            .await
            .context("redis set")?;
        Ok(())
    }

    async fn take(&self, key: &str) -> anyhow::Result<Option<String>> {
        let mut c = self.conn().await?;
        let v: Option<String> = redis::cmd("GETDEL")
            .arg(self.key(key))
            .query_async(&mut c)
            .await
            .context("redis getdel")?;
        Ok(v)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_windows_count_and_tickets_are_single_use() {
        let s = Store::Memory(MemoryStore::default());
        assert_eq!(s.hit("a", 60).await.unwrap().count, 1);
        let w = s.hit("a", 60).await.unwrap();
        assert_eq!(w.count, 2);
        assert!(w.ttl_secs > 0 && w.ttl_secs <= 60);
        s.reset("a").await.unwrap();
        assert_eq!(s.peek("a").await.unwrap().count, 0);
        s.put("t", "v", 30).await.unwrap();
        assert_eq!(s.take("t").await.unwrap().as_deref(), Some("v"));
        assert_eq!(s.take("t").await.unwrap(), None);
        s.hit("b", 60).await.unwrap();
        s.hit("b", 60).await.unwrap();
        s.unhit("b", 1).await.unwrap();
        assert_eq!(s.peek("b").await.unwrap().count, 1);
    }

    #[tokio::test]
    async fn ten_thousand_distinct_keys_stay_within_the_capacity() {
        let m = MemoryStore::with_capacity(1000);
        for i in 0..10_000 {
            m.hit(&format!("rl:ip:{i}"), 60);
        }
        assert_eq!(m.len(), 1000);
        assert_eq!(m.peek("rl:ip:9999").count, 1, "the newest are kept");
    }

    #[tokio::test(start_paused = true)]
    async fn expired_entries_are_dropped_by_later_writes() {
        let m = MemoryStore::default();
        for i in 0..100 {
            m.hit(&format!("k{i}"), 1);
        }
        tokio::time::advance(Duration::from_millis(1001)).await;
        m.hit("fresh", 60);
        assert_eq!(m.len(), 1);
    }
}
