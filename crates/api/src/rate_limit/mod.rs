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

use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;
// tokio's clock is the system clock, except in tests that pause it.
use tokio::time::Instant;

use uuid::Uuid;

use crate::clock::Clock;
use crate::expiring::ExpiringMap;
use crate::store::Store;

/// The largest block an instance reserves at once.
pub const BLOCK: u64 = 64;

/// Most clients whose leases one instance holds; past it, the lease closest to expiry is
/// dropped (its client then reserves a fresh block from the shared count: never more
/// than the limit, only possibly fewer).
pub const LEASE_CAPACITY: usize = 100_000;

/// Who a window belongs to. Only a verified credential gets a window of its own; anything
/// else shares its address's, so that inventing credentials buys no budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Client {
    /// A verified user or API key, by id.
    Principal(Uuid),
    /// A client without a verified credential, by address (IPv6 by its /64, which one
    /// subscriber usually holds whole).
    Ip(Option<IpAddr>),
}

impl Client {
    /// The client at `ip`, IPv6 addresses reduced to their /64 network.
    pub fn ip(ip: Option<IpAddr>) -> Client {
        Client::Ip(ip.map(|ip| match ip {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(Ipv6Addr::from(
                    u128::from(v6) & 0xffff_ffff_ffff_ffff_0000_0000_0000_0000,
                )),
            },
        }))
    }

    fn store_key(&self) -> String {
        match self {
            Client::Principal(id) => format!("rl:p:{}", id.simple()),
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

/// A run of indices this instance holds: `next..=end`, valid until `expires`.
#[derive(Debug, Clone, Copy)]
struct Block {
    next: u64,
    end: u64,
    size: u64,
    expires: Instant,
}

impl Block {
    fn left(&self) -> u64 {
        (self.end + 1).saturating_sub(self.next)
    }
}

/// What this instance holds of one client's window. Blocks are reserved one at a time,
/// so every block held has higher indices than the current one.
#[derive(Default)]
struct Lease {
    current: Option<Block>,
    // Reserved ahead (with Redis), so that requests do not wait for the next block.
    spare: Option<Block>,
    pending: Option<oneshot::Receiver<anyhow::Result<Block>>>,
}

impl Lease {
    /// The highest index held: what this instance knows of the window's count.
    fn highest(&self) -> u64 {
        self.current
            .iter()
            .chain(&self.spare)
            .map(|b| b.end)
            .max()
            .unwrap_or(0)
    }
}

type SharedLease = Arc<tokio::sync::Mutex<Lease>>;

/// Fixed-window limiter over a [`Store`], reserving in blocks of at most [`BLOCK`].
pub struct RateLimiter {
    store: Arc<Store>,
    limit: u64,
    window: Duration,
    // A per-client async lock: a request that must wait for a block holds it, so that
    // concurrent requests of one client share that reservation instead of each making one.
    leases: Mutex<ExpiringMap<Client, SharedLease, Instant>>,
    clock: Clock,
}

impl RateLimiter {
    /// At most `limit` hits per client per `window`, counted in `store`.
    pub fn new(store: Arc<Store>, limit: u64, window: Duration) -> RateLimiter {
        RateLimiter {
            store,
            limit,
            window,
            leases: Mutex::new(ExpiringMap::new(LEASE_CAPACITY)),
            clock: Clock::system(),
        }
    }

    /// The same limiter, reading time from `clock`.
    pub fn with_clock(mut self, clock: Clock) -> RateLimiter {
        self.clock = clock;
        self
    }

    /// Counts one hit of `client`; an error means the store could not be reached.
    pub async fn check(&self, client: Client) -> anyhow::Result<Decision> {
        let shared = self.lease(client);
        let mut lease = shared.lock().await;
        if let Some(rx) = &mut lease.pending {
            match rx.try_recv() {
                Err(oneshot::error::TryRecvError::Empty) => {}
                done => {
                    lease.pending = None;
                    lease.spare = done.ok().and_then(Result::ok);
                }
            }
        }
        let now = self.clock.instant();
        lease.current = lease.current.filter(|b| b.expires > now);
        lease.spare = lease.spare.filter(|b| b.expires > now);
        let usable = lease.current.filter(|b| b.left() > 0);
        let mut block = match (usable, lease.spare.take()) {
            (Some(b), spare) => {
                lease.spare = spare;
                b
            }
            (None, Some(spare)) => spare,
            (None, None) => match lease.current {
                // Used up, and every further index of this window is past the limit.
                Some(b) if b.end >= self.limit => {
                    return Ok(self.limited(b.expires, now));
                }
                _ => self.next_block(client, &mut lease).await?,
            },
        };
        let index = block.next;
        block.next += 1;
        lease.current = Some(block);
        if block.left() * 2 <= block.size {
            self.refill(client, &mut lease);
        }
        if index > self.limit {
            return Ok(self.limited(block.expires, self.clock.instant()));
        }
        Ok(Decision::Allowed {
            remaining: self.limit - index,
        })
    }

    /// The refill under way if there is one (so that blocks stay in order), else a new one.
    async fn next_block(&self, client: Client, lease: &mut Lease) -> anyhow::Result<Block> {
        if let Some(rx) = lease.pending.take()
            && let Ok(Ok(block)) = rx.await
            && block.expires > self.clock.instant()
        {
            return Ok(block);
        }
        let n = self.block_size(lease.highest());
        reserve(&self.store, &self.clock, client, n, self.window).await
    }

    /// The next block, smaller as the known count nears the limit.
    fn block_size(&self, highest: u64) -> u64 {
        (self.limit.saturating_sub(highest) / 4).clamp(1, BLOCK)
    }

    /// With Redis, reserves the next block in the background once half of the current
    /// one is used, so that requests rarely wait for a round trip.
    fn refill(&self, client: Client, lease: &mut Lease) {
        let highest = lease.highest();
        if lease.pending.is_some()
            || lease.spare.is_some()
            || highest >= self.limit
            || !matches!(*self.store, Store::Redis(_))
        {
            return;
        }
        let (tx, rx) = oneshot::channel();
        lease.pending = Some(rx);
        let store = Arc::clone(&self.store);
        let clock = self.clock.clone();
        let (n, window) = (self.block_size(highest), self.window);
        tokio::spawn(async move {
            // Nobody waits any more when the lease was dropped; the block is then unused.
            let _ = tx.send(reserve(&store, &clock, client, n, window).await);
        });
    }

    fn limited(&self, expires: Instant, now: Instant) -> Decision {
        Decision::Limited {
            retry_after: expires.saturating_duration_since(now),
        }
    }

    fn lease(&self, client: Client) -> SharedLease {
        // A panic while holding this lock cannot leave the map half-written.
        let mut map = self.leases.lock().unwrap_or_else(|p| p.into_inner());
        let now = self.clock.instant();
        // A lease is kept a window past its last use: its blocks expire within a window.
        let keep = now + self.window;
        if let Some((lease, expires)) = map.get_mut(&client) {
            let lease = Arc::clone(lease);
            if expires < now + self.window / 2 {
                map.set_expiry(&client, keep);
            }
            return lease;
        }
        let lease = SharedLease::default();
        map.insert(client, Arc::clone(&lease), keep, now);
        lease
    }

    /// Clients whose leases this instance holds.
    pub fn clients(&self) -> usize {
        self.leases.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// Takes `n` indices of `client`'s window from the store. The block's expiry is measured
/// from before the request was sent, so it never outlives the store's window.
async fn reserve(
    store: &Store,
    clock: &Clock,
    client: Client,
    n: u64,
    window: Duration,
) -> anyhow::Result<Block> {
    let sent = clock.instant();
    let reserved = store
        .reserve(&client.store_key(), n, window.as_secs().max(1))
        .await?;
    Ok(Block {
        next: reserved.total.saturating_sub(n) + 1,
        end: reserved.total,
        size: n,
        expires: sent + reserved.ttl,
    })
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
            let client = Client::Principal(Uuid::now_v7());
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
            limiter.check(Client::ip(None)).await.unwrap(),
            Decision::Allowed { remaining: 4 }
        );
        assert_eq!(
            admitted(&limiter, Client::Principal(Uuid::now_v7()), 5).await,
            5,
            "clients have separate budgets"
        );
    }

    #[tokio::test]
    async fn in_process_concurrent_hits_never_exceed_the_limit() {
        let store = Arc::new(Store::Memory(MemoryStore::default()));
        let limiter = Arc::new(RateLimiter::new(store, 300, MINUTE));
        let client = Client::Principal(Uuid::now_v7());
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

    #[test]
    fn ipv6_clients_share_their_64_and_mapped_ipv4_is_ipv4() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(
            Client::ip(ip("2001:db8:1:2:aaaa::1")),
            Client::ip(ip("2001:db8:1:2:ffff:1:2:3"))
        );
        assert_ne!(
            Client::ip(ip("2001:db8:1:2::1")),
            Client::ip(ip("2001:db8:1:3::1"))
        );
        assert_eq!(
            Client::ip(ip("::ffff:10.0.0.1")),
            Client::ip(ip("10.0.0.1"))
        );
        assert_ne!(Client::ip(ip("10.0.0.1")), Client::ip(ip("10.0.0.2")));
    }

    #[tokio::test]
    async fn leases_stay_bounded_however_many_clients_come() {
        let store = Arc::new(Store::Memory(MemoryStore::with_capacity(500)));
        let limiter = RateLimiter::new(store, 10, MINUTE);
        for i in 0..(LEASE_CAPACITY as u32 + 5_000) {
            let ip = IpAddr::from(std::net::Ipv4Addr::from(i));
            limiter.check(Client::ip(Some(ip))).await.unwrap();
        }
        assert_eq!(limiter.clients(), LEASE_CAPACITY);
    }

    #[tokio::test(start_paused = true)]
    async fn a_new_window_gives_a_new_allowance() {
        let store = Arc::new(Store::Memory(MemoryStore::default()));
        let limiter = RateLimiter::new(store, 2, Duration::from_secs(1));
        let client = Client::Principal(Uuid::now_v7());
        assert_eq!(admitted(&limiter, client, 3).await, 2);
        tokio::time::advance(Duration::from_millis(990)).await;
        assert_eq!(admitted(&limiter, client, 1).await, 0, "same window");
        tokio::time::advance(Duration::from_millis(20)).await;
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
        let client = Client::Principal(Uuid::now_v7());
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
        // loss of the blocks each instance holds.
        let other = Client::Principal(Uuid::now_v7());
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
        assert!(total >= 500 - 2 * 2 * BLOCK, "{total} admitted");
    }
}
