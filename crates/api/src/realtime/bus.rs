//! Publishing events: straight to the local hub in the embedded default, through Redis
//! pub/sub with several instances, so that a subscriber on any instance receives them.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use cc_types::events::{DomainEvent, Topic};
use deadpool_redis::redis::{self, AsyncCommands};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use uuid::Uuid;

use super::Hub;
use super::hub::Disconnect;

/// What travels between instances.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
enum Envelope {
    /// An event for subscribers of a topic.
    Event {
        org: Uuid,
        topic: Topic,
        event: DomainEvent,
    },
    /// Sockets every instance must close.
    Disconnect { org: Uuid, target: Disconnect },
}

impl Envelope {
    fn deliver(&self, hub: &Hub) {
        match self {
            Envelope::Event { org, topic, event } => hub.deliver(*org, *topic, event),
            Envelope::Disconnect { org, target } => {
                hub.disconnect(*org, *target);
            }
        }
    }
}

/// Where published events go.
pub struct Bus {
    hub: Arc<Hub>,
    redis: Option<RedisBus>,
}

struct RedisBus {
    pool: deadpool_redis::Pool,
    url: String,
    channel: String,
    live: watch::Sender<bool>,
}

impl Bus {
    /// In-process delivery only.
    pub fn local(hub: Arc<Hub>) -> Arc<Bus> {
        Arc::new(Bus { hub, redis: None })
    }

    /// Delivery through Redis channel `<prefix>:events`; call [`Bus::spawn_subscriber`].
    pub fn redis(hub: Arc<Hub>, pool: deadpool_redis::Pool, url: &str, prefix: &str) -> Arc<Bus> {
        let (live, _) = watch::channel(false);
        Arc::new(Bus {
            hub,
            redis: Some(RedisBus {
                pool,
                url: url.into(),
                channel: format!("{prefix}:events"),
                live,
            }),
        })
    }

    /// Publishes an event on a topic of an organization.
    pub async fn publish(&self, org: Uuid, topic: Topic, event: DomainEvent) {
        self.send(Envelope::Event { org, topic, event }).await;
    }

    /// Closes the sockets `target` names on every instance.
    pub async fn disconnect(&self, org: Uuid, target: Disconnect) {
        self.send(Envelope::Disconnect { org, target }).await;
    }

    async fn send(&self, envelope: Envelope) {
        let Some(r) = &self.redis else {
            envelope.deliver(&self.hub);
            return;
        };
        if let Err(e) = r.publish(&envelope).await {
            // Better this instance than none.
            tracing::warn!(
                error = format!("{e:#}"),
                "published to this instance only; Redis unreachable"
            );
            envelope.deliver(&self.hub);
        }
    }

    /// True while this instance follows the shared channel (always true without Redis).
    pub fn is_live(&self) -> bool {
        self.redis.as_ref().is_none_or(|r| *r.live.borrow())
    }

    /// Follows the shared channel until the process ends, reconnecting with backoff.
    pub fn spawn_subscriber(self: &Arc<Self>) -> Option<tokio::task::JoinHandle<()>> {
        self.redis.as_ref()?;
        let this = Arc::clone(self);
        Some(tokio::spawn(async move {
            let mut backoff = Duration::from_millis(100);
            loop {
                if let Err(e) = this.follow().await {
                    tracing::warn!(error = format!("{e:#}"), "event subscriber disconnected");
                }
                if let Some(r) = &this.redis {
                    r.live.send_replace(false);
                }
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }))
    }

    async fn follow(&self) -> anyhow::Result<()> {
        let Some(r) = &self.redis else { return Ok(()) };
        let client = redis::Client::open(r.url.as_str()).context("redis url")?;
        let mut pubsub = client
            .get_async_pubsub()
            .await
            .context("redis pubsub connect")?;
        pubsub
            .subscribe(&r.channel)
            .await
            .context("subscribing to events")?;
        r.live.send_replace(true);
        let mut stream = pubsub.into_on_message();
        while let Some(msg) = stream.next().await {
            let payload: Vec<u8> = msg.get_payload().unwrap_or_default();
            match serde_json::from_slice::<Envelope>(&payload) {
                Ok(env) => env.deliver(&self.hub),
                Err(e) => tracing::warn!(error = %e, "unreadable event on the bus"),
            }
        }
        anyhow::bail!("event stream ended")
    }
}

impl RedisBus {
    async fn publish(&self, envelope: &Envelope) -> anyhow::Result<()> {
        let payload = serde_json::to_vec(envelope).context("encoding event")?;
        let mut conn = self.pool.get().await.context("redis connection")?;
        let _: () = conn
            .publish(&self.channel, payload)
            .await
            .context("publishing event")?;
        Ok(())
    }
}
