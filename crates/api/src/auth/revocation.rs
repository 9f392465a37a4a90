//! Revoked access tokens, by `jti`, until they would have expired anyway.
//!
//! Every instance answers "is this token revoked?" from an in-memory mirror, so the check
//! costs no network round trip and keeps holding while Redis is down. With Redis, a
//! revocation is written there (with a TTL) and published; every instance's subscriber
//! adds it to its mirror. After Redis comes back empty (it keeps nothing on disk), the
//! subscriber writes the mirror back so instances started later learn it too.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use deadpool_redis::redis::{self, AsyncCommands};
use futures_util::StreamExt;
use uuid::Uuid;

/// The revocation set of this instance.
pub struct Revocations {
    mirror: RwLock<HashMap<Uuid, i64>>,
    redis: Option<RedisLink>,
}

struct RedisLink {
    pool: deadpool_redis::Pool,
    url: String,
    prefix: String,
    live: tokio::sync::watch::Sender<bool>,
}

impl Revocations {
    /// An in-process set (embedded default).
    pub fn in_process() -> Arc<Revocations> {
        Arc::new(Revocations {
            mirror: RwLock::new(HashMap::new()),
            redis: None,
        })
    }

    /// A set shared through Redis; call [`Revocations::spawn_subscriber`] once.
    pub fn with_redis(pool: deadpool_redis::Pool, url: &str, prefix: &str) -> Arc<Revocations> {
        Arc::new(Revocations {
            mirror: RwLock::new(HashMap::new()),
            redis: Some(RedisLink {
                pool,
                url: url.to_owned(),
                prefix: prefix.to_owned(),
                live: tokio::sync::watch::channel(false).0,
            }),
        })
    }

    fn remember(&self, jti: Uuid, exp: i64) {
        let now = Utc::now().timestamp();
        let mut m = self.mirror.write().unwrap_or_else(|p| p.into_inner());
        if m.len() > 10_000 {
            m.retain(|_, e| *e > now);
        }
        m.insert(jti, exp);
    }

    /// True while the set follows Redis and has merged with it (always true without Redis).
    pub fn is_live(&self) -> bool {
        self.redis.as_ref().is_none_or(|r| *r.live.borrow())
    }

    /// True when `jti` was revoked (answered from memory).
    pub fn is_revoked(&self, jti: &Uuid) -> bool {
        self.mirror
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(jti)
    }

    /// Revokes `jti` until `exp` (unix seconds). The local mirror always takes it; a Redis
    /// failure is logged and healed when the subscriber reconnects.
    pub async fn revoke(&self, jti: Uuid, exp: i64) {
        self.remember(jti, exp);
        if let Some(link) = &self.redis
            && let Err(e) = link.publish(jti, exp).await
        {
            tracing::warn!(error = format!("{e:#}"), %jti, "revocation kept locally; Redis unreachable");
        }
    }

    /// Follows revocations from other instances until the process ends, reconnecting with
    /// backoff; on every (re)connect, merges Redis's set and the mirror both ways.
    pub fn spawn_subscriber(self: &Arc<Self>) -> Option<tokio::task::JoinHandle<()>> {
        self.redis.as_ref()?;
        let this = Arc::clone(self);
        Some(tokio::spawn(async move {
            let mut backoff = Duration::from_millis(100);
            loop {
                match this.follow().await {
                    Ok(()) => backoff = Duration::from_millis(100),
                    Err(e) => tracing::warn!(
                        error = format!("{e:#}"),
                        "revocation subscriber disconnected"
                    ),
                }
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }))
    }

    async fn follow(&self) -> anyhow::Result<()> {
        let Some(link) = &self.redis else {
            return Ok(());
        };
        let client = redis::Client::open(link.url.as_str()).context("redis url")?;
        let mut pubsub = client
            .get_async_pubsub()
            .await
            .context("redis pubsub connect")?;
        pubsub
            .subscribe(link.channel())
            .await
            .context("subscribe revocations")?;
        self.sync(link).await?;
        link.live.send_replace(true);
        let mut stream = pubsub.into_on_message();
        while let Some(msg) = stream.next().await {
            let payload: String = msg.get_payload().unwrap_or_default();
            if let Some((jti, exp)) = payload.split_once(' ')
                && let (Ok(jti), Ok(exp)) = (jti.parse(), exp.parse())
            {
                self.remember(jti, exp);
            }
        }
        anyhow::bail!("revocation stream ended")
    }

    /// Reads Redis's revoked set into the mirror and writes back what Redis lost.
    async fn sync(&self, link: &RedisLink) -> anyhow::Result<()> {
        let mut conn = link.pool.get().await.context("redis connection")?;
        let keys: Vec<String> = conn
            .keys(format!("{}:revoked:*", link.prefix))
            .await
            .context("listing revocations")?;
        for key in &keys {
            let exp: Option<i64> = conn.get(key).await.context("reading revocation")?;
            let jti = key.rsplit(':').next().and_then(|s| s.parse().ok());
            if let (Some(jti), Some(exp)) = (jti, exp) {
                self.remember(jti, exp);
            }
        }
        let now = Utc::now().timestamp();
        let known: Vec<(Uuid, i64)> = {
            let m = self.mirror.read().unwrap_or_else(|p| p.into_inner());
            m.iter()
                .filter(|(_, e)| **e > now)
                .map(|(j, e)| (*j, *e))
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
}
