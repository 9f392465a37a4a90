//! The one Redis subscribe loop: connect, subscribe, catch up, follow messages, and on
//! any failure mark the follower as not live, back off (100 ms doubling to 5 s) and start
//! over, until the runtime shuts down. Revocations and the event bus use it; presence and
//! leases will too.

use std::future::Future;
use std::time::Duration;

use anyhow::Context;
use deadpool_redis::redis::{self, Msg};
use futures_util::StreamExt;
use tokio::sync::watch;

use crate::runtime::Shutdown;

/// What to follow.
#[derive(Debug, Clone)]
pub enum Channels {
    /// One channel, by name.
    Exact(String),
    /// Every channel matching a glob pattern (`PSUBSCRIBE`).
    Pattern(String),
}

/// A follower of Redis channels.
pub struct Follower {
    /// Redis URL.
    pub url: String,
    /// The channels.
    pub channels: Channels,
    /// True while subscribed and caught up; false from the moment the link fails.
    pub live: watch::Sender<bool>,
    /// For logs.
    pub name: &'static str,
}

impl Follower {
    /// Follows until shutdown. After every (re)subscription `catch_up` runs before the
    /// follower counts as live (reading what was missed, publishing what is owed); each
    /// message goes to `on_message`.
    pub async fn run<C, CF, M>(&self, mut shutdown: Shutdown, catch_up: C, on_message: M)
    where
        C: Fn() -> CF,
        CF: Future<Output = anyhow::Result<()>>,
        M: Fn(Msg),
    {
        let mut backoff = Duration::from_millis(100);
        loop {
            let ended = tokio::select! {
                ended = self.session(&catch_up, &on_message) => ended,
                () = shutdown.wait() => {
                    self.live.send_replace(false);
                    return;
                }
            };
            self.live.send_replace(false);
            match ended {
                // It was live: a new outage starts with a short wait again.
                Ok(()) => backoff = Duration::from_millis(100),
                Err(e) => tracing::warn!(
                    follower = self.name,
                    error = format!("{e:#}"),
                    "Redis subscriber failed"
                ),
            }
            metrics::counter!("cc_pubsub_reconnects_total", "follower" => self.name).increment(1);
            tokio::select! {
                () = tokio::time::sleep(backoff) => {}
                () = shutdown.wait() => return,
            }
            backoff = (backoff * 2).min(Duration::from_secs(5));
        }
    }

    /// One connection's life: `Ok` once it had been live and then ended.
    async fn session<C, CF, M>(&self, catch_up: &C, on_message: &M) -> anyhow::Result<()>
    where
        C: Fn() -> CF,
        CF: Future<Output = anyhow::Result<()>>,
        M: Fn(Msg),
    {
        let client = redis::Client::open(self.url.as_str()).context("redis url")?;
        let mut pubsub = client
            .get_async_pubsub()
            .await
            .context("redis pubsub connect")?;
        match &self.channels {
            Channels::Exact(c) => pubsub.subscribe(c).await,
            Channels::Pattern(p) => pubsub.psubscribe(p).await,
        }
        .context("subscribing")?;
        catch_up().await?;
        self.live.send_replace(true);
        let mut stream = pubsub.into_on_message();
        while let Some(msg) = stream.next().await {
            on_message(msg);
        }
        tracing::warn!(follower = self.name, "Redis subscription ended");
        Ok(())
    }
}
