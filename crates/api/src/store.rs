//! Short-lived shared state: rate-limit counters, throttling windows and single-use
//! tickets. Redis when configured, so every instance sees the same counts; in-process
//! otherwise (the embedded default). One enum keeps the two behind one API.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context;
use deadpool_redis::redis::{self, AsyncCommands};
// tokio's clock is the system clock, except in tests that pause it.
use tokio::time::Instant;

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
                let now = Instant::now();
                let (total, expires) = m.add(key, n, window_secs, now);
                Ok(Reserved {
                    total,
                    ttl: expires.saturating_duration_since(now),
                })
            }
            Store::Redis(r) => r.reserve(key, n, window_secs).await,
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
                m.lock().remove(key);
                Ok(())
            }
            Store::Redis(r) => r.del(key).await,
        }
    }

    /// Stores `value` under `key` for `ttl_secs`.
    pub async fn put(&self, key: &str, value: &str, ttl_secs: u64) -> anyhow::Result<()> {
        match self {
            Store::Memory(m) => {
                let expires = Instant::now() + Duration::from_secs(ttl_secs);
                m.lock().insert(
                    key.to_owned(),
                    Entry {
                        count: 0,
                        value: Some(value.to_owned()),
                        expires,
                    },
                );
                Ok(())
            }
            Store::Redis(r) => r.put(key, value, ttl_secs).await,
        }
    }

    /// Takes `key`'s value once: a second take finds nothing.
    pub async fn take(&self, key: &str) -> anyhow::Result<Option<String>> {
        match self {
            Store::Memory(m) => {
                let now = Instant::now();
                Ok(m.lock()
                    .remove(key)
                    .filter(|e| e.expires > now)
                    .and_then(|e| e.value))
            }
            Store::Redis(r) => r.take(key).await,
        }
    }
}

struct Entry {
    count: u64,
    value: Option<String>,
    expires: Instant,
}

/// The in-process store.
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, Entry>>,
}

impl MemoryStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding this lock cannot leave a counter half-written.
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn hit(&self, key: &str, window_secs: u64) -> Window {
        let now = Instant::now();
        let (count, expires) = self.add(key, 1, window_secs, now);
        Window {
            count,
            ttl_secs: ttl(expires, now),
        }
    }

    /// Adds `n` to `key`'s window: the new count and when the window ends.
    fn add(&self, key: &str, n: u64, window_secs: u64, now: Instant) -> (u64, Instant) {
        let mut map = self.lock();
        if map.len() > 100_000 {
            map.retain(|_, e| e.expires > now);
        }
        let entry = map
            .entry(key.to_owned())
            .and_modify(|e| {
                if e.expires <= now {
                    e.count = 0;
                    e.expires = now + Duration::from_secs(window_secs);
                }
            })
            .or_insert_with(|| Entry {
                count: 0,
                value: None,
                expires: now + Duration::from_secs(window_secs),
            });
        entry.count += n;
        (entry.count, entry.expires)
    }

    fn peek(&self, key: &str) -> Window {
        let now = Instant::now();
        match self.lock().get(key).filter(|e| e.expires > now) {
            Some(e) => Window {
                count: e.count,
                ttl_secs: ttl(e.expires, now),
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
    }
}
