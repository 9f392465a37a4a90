//! The `/api` rate limit's counting: a fixed window per client, counted in the shared
//! [`Store`] (Redis when configured, so the limit holds across instances) but reserved in
//! blocks, so that most requests are decided in memory without a round trip.
//!
//! Every hit of a window has an index in the store's counter; a hit is admitted when its
//! index is at most the limit. An instance takes indices a block at a time (`INCRBY n`)
//! and hands them out locally until the block is used up, then reserves the next one.
//! Since no two hits anywhere share an index, **no window ever admits more than the
//! limit** (overshoot 0): a block never outlives the store's window, because its local
//! expiry is measured from before the reservation was sent. The price is undershoot:
//! indices an instance reserved but did not use before the window ended are lost, so a
//! client spread over several instances may be refused up to `instances × (BLOCK − 1)`
//! hits early. Blocks shrink to a quarter of the remaining allowance (at least 1) as an
//! instance sees the limit approach, which keeps that loss small for small limits. Once
//! a block reaches past the limit, the rest of the window is refused without IO.
//!
//! This module does not decide what to do when the store fails: the middleware lets the
//! request through (fail open), so with Redis down the limit is not enforced.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sha2::Digest;

use crate::store::Store;

/// The largest block an instance reserves at once.
pub const BLOCK: u64 = 64;

/// Who a window belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Client {
    /// A credential (token or API key), by a prefix of its SHA-256.
    Credential([u8; 12]),
    /// A client without credential, by address.
    Ip(Option<IpAddr>),
}

impl Client {
    /// The client presenting `secret`.
    pub fn credential(secret: &str) -> Client {
        let digest = sha2::Sha256::digest(secret.as_bytes());
        let mut prefix = [0u8; 12];
        prefix.copy_from_slice(&digest[..12]);
        Client::Credential(prefix)
    }

    fn store_key(&self) -> String {
        match self {
            Client::Credential(prefix) => format!("rl:cred:{}", hex::encode(prefix)),
            Client::Ip(ip) => format!("rl:ip:{}", ip.map(|i| i.to_string()).unwrap_or_default()),
        }
    }
}

/// The outcome for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Admitted, with the allowance left in this window (as far as this instance knows).
    Allowed {
        /// Hits still admitted.
        remaining: u64,
    },
    /// Refused until the window ends.
    Limited {
        /// Time until the window resets.
        retry_after: Duration,
    },
}

/// Indices of the current window that this instance holds: `next..=end`.
#[derive(Default)]
struct Lease {
    next: u64,
    end: u64,
    expires: Option<Instant>,
}

/// Fixed-window limiter over a [`Store`], reserving in blocks of at most [`BLOCK`].
pub struct RateLimiter {
    store: Arc<Store>,
    limit: u64,
    window: Duration,
    // A per-client async lock, so that concurrent requests of one client wait for a
    // single reservation instead of each reserving a block.
    leases: Mutex<HashMap<Client, Arc<tokio::sync::Mutex<Lease>>>>,
}

impl RateLimiter {
    /// At most `limit` hits per client per `window`, counted in `store`.
    pub fn new(store: Arc<Store>, limit: u64, window: Duration) -> RateLimiter {
        RateLimiter {
            store,
            limit,
            window,
            leases: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one hit of `client`; an error means the store could not be reached.
    pub async fn check(&self, client: Client) -> anyhow::Result<Decision> {
        let lease = self.lease(client);
        let mut lease = lease.lock().await;
        let now = Instant::now();
        let live = lease.expires.is_some_and(|e| e > now);
        if !live {
            *lease = Lease::default();
        }
        if lease.next == 0 || lease.next > lease.end {
            if live && lease.end >= self.limit {
                return Ok(self.limited(&lease, now));
            }
            let n = (self.limit.saturating_sub(lease.end) / 4).clamp(1, BLOCK);
            let sent = Instant::now();
            let reserved = self
                .store
                .reserve(&client.store_key(), n, self.window.as_secs().max(1))
                .await?;
            lease.end = reserved.total;
            lease.next = reserved.total.saturating_sub(n) + 1;
            lease.expires = Some(sent + reserved.ttl);
        }
        let index = lease.next;
        lease.next += 1;
        if index > self.limit {
            return Ok(self.limited(&lease, Instant::now()));
        }
        Ok(Decision::Allowed {
            remaining: self.limit - index,
        })
    }

    fn limited(&self, lease: &Lease, now: Instant) -> Decision {
        Decision::Limited {
            retry_after: lease
                .expires
                .map_or(self.window, |e| e.saturating_duration_since(now)),
        }
    }

    fn lease(&self, client: Client) -> Arc<tokio::sync::Mutex<Lease>> {
        // A panic while holding this lock cannot leave the map half-written.
        let mut map = self.leases.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            let now = Instant::now();
            map.retain(|_, l| {
                l.try_lock()
                    .map_or(true, |l| l.expires.is_some_and(|e| e > now))
            });
        }
        Arc::clone(map.entry(client).or_default())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::store::{MemoryStore, RedisStore};

    const MINUTE: Duration = Duration::from_secs(60);

    async fn admitted(limiter: &RateLimiter, client: Client, hits: usize) -> u64 {
        let mut n = 0;
        for _ in 0..hits {
            if matches!(
                limiter.check(client).await.unwrap(),
                Decision::Allowed { .. }
            ) {
                n += 1;
            }
        }
        n
    }

    #[tokio::test]
    async fn in_process_the_limit_holds_exactly_per_client() {
        let store = Arc::new(Store::Memory(MemoryStore::default()));
        for limit in [1, 3, 100, 1000] {
            let limiter = RateLimiter::new(Arc::clone(&store), limit, MINUTE);
            let client = Client::credential(&format!("token-{limit}"));
            assert_eq!(admitted(&limiter, client, 2 * limit as usize).await, limit);
            match limiter.check(client).await.unwrap() {
                Decision::Limited { retry_after } => {
                    assert!(retry_after > Duration::ZERO && retry_after <= MINUTE)
                }
                other => panic!("expected a refusal, got {other:?}"),
            }
        }
        let limiter = RateLimiter::new(store, 5, MINUTE);
        assert_eq!(
            limiter.check(Client::Ip(None)).await.unwrap(),
            Decision::Allowed { remaining: 4 }
        );
        assert_eq!(
            admitted(&limiter, Client::credential("another"), 5).await,
            5,
            "clients have separate budgets"
        );
    }

    #[tokio::test]
    async fn in_process_concurrent_hits_never_exceed_the_limit() {
        let store = Arc::new(Store::Memory(MemoryStore::default()));
        let limiter = Arc::new(RateLimiter::new(store, 300, MINUTE));
        let client = Client::credential("busy");
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let l = Arc::clone(&limiter);
                tokio::spawn(async move { admitted(&l, client, 100).await })
            })
            .collect();
        let mut total = 0;
        for t in tasks {
            total += t.await.unwrap();
        }
        assert_eq!(total, 300);
    }

    #[tokio::test]
    async fn a_new_window_gives_a_new_allowance() {
        let store = Arc::new(Store::Memory(MemoryStore::default()));
        let limiter = RateLimiter::new(store, 2, Duration::from_secs(1));
        let client = Client::credential("patient");
        assert_eq!(admitted(&limiter, client, 3).await, 2);
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert_eq!(admitted(&limiter, client, 3).await, 2);
    }

    /// Two limiters (two instances) on one Redis prefix share one budget. Runs when the
    /// suite has Redis (`CC_TEST_REDIS_URL`, set by `cargo xtask test`'s second pass).
    #[tokio::test]
    async fn two_instances_on_one_redis_share_the_limit() {
        let Ok(url) = std::env::var("CC_TEST_REDIS_URL") else {
            eprintln!("CC_TEST_REDIS_URL unset: skipped");
            return;
        };
        let prefix = format!("cctest-rl:{}", uuid::Uuid::now_v7().simple());
        let instance = || {
            let pool = deadpool_redis::Config::from_url(url.clone())
                .create_pool(Some(deadpool_redis::Runtime::Tokio1))
                .unwrap();
            Arc::new(RateLimiter::new(
                Arc::new(Store::Redis(RedisStore::new(pool, &prefix))),
                500,
                MINUTE,
            ))
        };
        let (a, b) = (instance(), instance());
        let client = Client::credential("shared");
        // Alternating: every reserved index ends up used, so exactly the limit passes.
        let mut allowed = 0;
        for i in 0..1000 {
            let limiter = if i % 2 == 0 { &a } else { &b };
            if matches!(
                limiter.check(client).await.unwrap(),
                Decision::Allowed { .. }
            ) {
                allowed += 1;
            }
        }
        assert_eq!(allowed, 500);
        assert!(matches!(
            b.check(client).await.unwrap(),
            Decision::Limited { .. }
        ));

        // Concurrent and uneven: never more than the limit, and at most the documented
        // loss of one partly used block per instance.
        let other = Client::credential("uneven");
        let tasks: Vec<_> = [(&a, 700), (&b, 150), (&a, 200), (&b, 50)]
            .into_iter()
            .map(|(l, hits)| {
                let l = Arc::clone(l);
                tokio::spawn(async move { admitted(&l, other, hits).await })
            })
            .collect();
        let mut total = 0;
        for t in tasks {
            total += t.await.unwrap();
        }
        assert!(total <= 500, "{total} admitted over a limit of 500");
        assert!(total > 500 - 2 * (BLOCK - 1), "{total} admitted");
    }
}
