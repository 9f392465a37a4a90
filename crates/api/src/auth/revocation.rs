//! Revoked access tokens, by `jti`, until they would have expired anyway.
//!
//! Every instance answers "is this token revoked?" from an in-memory mirror, so the check
//! costs no network round trip and keeps holding while Redis is down. The mirror expires
//! entries in time order (no scan under the lock) and is bounded. With Redis, a
//! revocation is written there (with a TTL) and published; every instance's subscriber
//! adds it to its mirror. A revocation made while Redis was unreachable is kept in a
//! backlog and published when the subscriber reconnects, so other instances learn it
//! then. On every (re)connect the subscriber also merges Redis's set (read with `SCAN`)
//! and the mirror both ways, so instances started later learn what Redis lost.

use std::sync::{Arc, Mutex, RwLock};

use anyhow::Context;
use chrono::Utc;
use deadpool_redis::redis::{self, AsyncCommands};
use uuid::Uuid;

use crate::expiring::ExpiringMap;
use crate::pubsub::{Channels, Follower};
use crate::runtime::Runtime;

/// Most revocations mirrored. Access tokens live 15 minutes by default, so this is
/// millions of logouts per token lifetime; past it, the revocation closest to its
/// token's expiry is dropped first.
pub const MIRROR_CAPACITY: usize = 2_000_000;

/// Seconds a revocation is kept past its token's expiry (verification tolerates 30 s).
const LEEWAY_SECS: i64 = 60;

/// The revocation set of this instance.
pub struct Revocations {
    mirror: RwLock<ExpiringMap<Uuid, (), i64>>,
    redis: Option<RedisLink>,
}

struct RedisLink {
    pool: deadpool_redis::Pool,
    prefix: String,
    follower: Follower,
    // Revocations made while Redis could not take them, published on reconnect.
    backlog: Mutex<Vec<(Uuid, i64)>>,
}

impl Revocations {
    /// An in-process set (embedded default).
    pub fn in_process() -> Arc<Revocations> {
        Arc::new(Revocations {
            mirror: RwLock::new(ExpiringMap::new(MIRROR_CAPACITY)),
            redis: None,
        })
    }

    /// A set shared through Redis; call [`Revocations::spawn_subscriber`] once.
    pub fn with_redis(pool: deadpool_redis::Pool, url: &str, prefix: &str) -> Arc<Revocations> {
        Arc::new(Revocations {
            mirror: RwLock::new(ExpiringMap::new(MIRROR_CAPACITY)),
            redis: Some(RedisLink {
                pool,
                prefix: prefix.to_owned(),
                follower: Follower {
                    url: url.to_owned(),
                    channels: Channels::Exact(format!("{prefix}:revocations")),
                    live: tokio::sync::watch::channel(false).0,
                    name: "revocations",
                },
                backlog: Mutex::new(Vec::new()),
            }),
        })
    }

    fn remember(&self, jti: Uuid, exp: i64) {
        let now = Utc::now().timestamp();
        let mut m = self.mirror.write().unwrap_or_else(|p| p.into_inner());
        // Kept past the token's expiry by more than the clock skew verification allows.
        m.insert(jti, (), exp + LEEWAY_SECS, now);
    }

    /// Revocations mirrored now.
    pub fn len(&self) -> usize {
        self.mirror.read().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// True when nothing is mirrored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True while the set follows Redis and has merged with it (always true without Redis).
    pub fn is_live(&self) -> bool {
        self.redis
            .as_ref()
            .is_none_or(|r| *r.follower.live.borrow())
    }

    /// True when `jti` was revoked (answered from memory).
    pub fn is_revoked(&self, jti: &Uuid) -> bool {
        // An entry outlives its token by design (expiry is the token's own), so presence
        // is the answer; expired entries are dropped by later writes.
        self.mirror
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(jti)
    }

    /// Revokes `jti` until `exp` (unix seconds). The local mirror always takes it; when
    /// Redis cannot, it waits in the backlog until the subscriber reconnects.
    pub async fn revoke(&self, jti: Uuid, exp: i64) {
        self.remember(jti, exp);
        if let Some(link) = &self.redis
            && let Err(e) = link.publish(jti, exp).await
        {
            link.backlog
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((jti, exp));
            metrics::counter!("auth_revocations_deferred_total").increment(1);
            tracing::warn!(error = format!("{e:#}"), %jti, "revocation kept locally until Redis returns");
        }
    }

    /// Follows revocations from other instances until shutdown; on every (re)connect,
    /// merges Redis's set and the mirror both ways and publishes the backlog first.
    pub fn spawn_subscriber(self: &Arc<Self>, runtime: &Runtime) {
        if self.redis.is_none() {
            return;
        }
        let this = Arc::clone(self);
        runtime.spawn("revocation subscriber", |shutdown| async move {
            let Some(link) = &this.redis else { return };
            let catch_up = || async {
                this.sync(link).await?;
                link.publish_backlog().await
            };
            let on_message = |msg: redis::Msg| {
                let payload: String = msg.get_payload().unwrap_or_default();
                if let Some((jti, exp)) = payload.split_once(' ')
                    && let (Ok(jti), Ok(exp)) = (jti.parse(), exp.parse())
                {
                    this.remember(jti, exp);
                }
            };
            link.follower.run(shutdown, catch_up, on_message).await;
        });
    }

    /// Reads Redis's revoked set into the mirror and writes back what Redis lost.
    async fn sync(&self, link: &RedisLink) -> anyhow::Result<()> {
        let mut conn = link.pool.get().await.context("redis connection")?;
        let pattern = format!("{}:revoked:*", link.prefix);
        let mut cursor: u64 = 0;
        loop {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .query_async(&mut conn)
                .await
                .context("listing revocations")?;
            if !keys.is_empty() {
                let values: Vec<Option<i64>> =
                    conn.mget(&keys).await.context("reading revocations")?;
                for (key, exp) in keys.iter().zip(values) {
                    let jti = key.rsplit(':').next().and_then(|s| s.parse().ok());
                    if let (Some(jti), Some(exp)) = (jti, exp) {
                        self.remember(jti, exp);
                    }
                }
            }
            if next == 0 {
                break;
            }
            cursor = next;
        }
        let now = Utc::now().timestamp();
        let known: Vec<(Uuid, i64)> = {
            let m = self.mirror.read().unwrap_or_else(|p| p.into_inner());
            m.live(now)
                .map(|(j, (), e)| (*j, e - LEEWAY_SECS))
                .collect()
        };
        for (jti, exp) in known {
            link.store(&mut conn, jti, exp, now).await?;
        }
        Ok(())
    }
}

impl RedisLink {
    fn channel(&self) -> String {
        format!("{}:revocations", self.prefix)
    }

    async fn store(
        &self,
        conn: &mut deadpool_redis::Connection,
        jti: Uuid,
        exp: i64,
        now: i64,
    ) -> anyhow::Result<()> {
        let ttl = (exp - now).max(1) as u64;
        let _: () = conn
            .set_ex(format!("{}:revoked:{jti}", self.prefix), exp, ttl)
            .await
            .context("storing revocation")?;
        Ok(())
    }

    async fn publish(&self, jti: Uuid, exp: i64) -> anyhow::Result<()> {
        let mut conn = self.pool.get().await.context("redis connection")?;
        self.store(&mut conn, jti, exp, Utc::now().timestamp())
            .await?;
        let _: () = conn
            .publish(self.channel(), format!("{jti} {exp}"))
            .await
            .context("publishing revocation")?;
        Ok(())
    }

    /// Publishes what was revoked while Redis was away; what fails stays for next time.
    async fn publish_backlog(&self) -> anyhow::Result<()> {
        let pending = std::mem::take(&mut *self.backlog.lock().unwrap_or_else(|p| p.into_inner()));
        let now = Utc::now().timestamp();
        let mut left = pending.into_iter().filter(|(_, exp)| *exp > now);
        while let Some((jti, exp)) = left.next() {
            if let Err(e) = self.publish(jti, exp).await {
                let mut backlog = self.backlog.lock().unwrap_or_else(|p| p.into_inner());
                backlog.push((jti, exp));
                backlog.extend(left);
                return Err(e);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn many_revocations_stay_cheap_and_bounded() {
        let r = Revocations::in_process();
        let exp = Utc::now().timestamp() + 900;
        let first = Uuid::now_v7();
        r.revoke(first, exp).await;
        for _ in 0..50_000 {
            r.revoke(Uuid::now_v7(), exp).await;
        }
        assert!(r.is_revoked(&first));
        assert_eq!(r.len(), 50_001);
        // Long expired entries go as later revocations arrive, oldest first.
        let old = Revocations::in_process();
        for _ in 0..1000 {
            old.remember(Uuid::now_v7(), 1_000);
        }
        old.revoke(Uuid::now_v7(), exp).await;
        assert_eq!(old.len(), 1);
    }
}
