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

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;
// tokio's clock is the system clock, except in tests that pause it.
use tokio::time::Instant;

use crate::clock::Clock;
use crate::expiring::ExpiringMap;
use crate::store::Store;

mod client;
pub use client::Client;

/// The largest block an instance reserves at once.
pub const BLOCK: u64 = 64;

/// Most clients whose leases one instance holds; past it, the lease closest to expiry is
/// dropped (its client then reserves a fresh block from the shared count: never more
/// than the limit, only possibly fewer).
pub const LEASE_CAPACITY: usize = 100_000;

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
mod tests;
