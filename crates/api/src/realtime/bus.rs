//! Publishing events: straight to the local hub in the embedded default, through Redis
//! pub/sub with several instances, so that a subscriber on any instance receives them.
//! Each organization has its own channel (`<prefix>:events:<org>`), so an instance could
//! follow only the organizations it serves; today every instance follows them all with
//! one pattern subscription.

use std::sync::Arc;

use anyhow::Context;
use cc_types::events::{DomainEvent, Topic};
use deadpool_redis::redis::{self, AsyncCommands};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use uuid::Uuid;

use super::Hub;
use super::hub::Disconnect;
use crate::pubsub::{Channels, Follower};
use crate::runtime::Runtime;

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
    fn org(&self) -> Uuid {
        match self {
            Envelope::Event { org, .. } | Envelope::Disconnect { org, .. } => *org,
        }
    }

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
    prefix: String,
    follower: Follower,
}

impl Bus {
    /// In-process delivery only.
    pub fn local(hub: Arc<Hub>) -> Arc<Bus> {
        Arc::new(Bus { hub, redis: None })
    }

    /// Delivery through one Redis channel per organization, `<prefix>:events:<org>`;
    /// call [`Bus::spawn_subscriber`].
    pub fn redis(hub: Arc<Hub>, pool: deadpool_redis::Pool, url: &str, prefix: &str) -> Arc<Bus> {
        Arc::new(Bus {
            hub,
            redis: Some(RedisBus {
                pool,
                prefix: prefix.to_owned(),
                follower: Follower {
                    url: url.to_owned(),
                    channels: Channels::Pattern(format!("{prefix}:events:*")),
                    live: watch::channel(false).0,
                    name: "events",
                },
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

    /// True while this instance follows the shared channels (always true without Redis).
    pub fn is_live(&self) -> bool {
        self.redis
            .as_ref()
            .is_none_or(|r| *r.follower.live.borrow())
    }

    /// Follows every organization's channel until shutdown.
    pub fn spawn_subscriber(self: &Arc<Self>, runtime: &Runtime) {
        if self.redis.is_none() {
            return;
        }
        let this = Arc::clone(self);
        runtime.spawn("event subscriber", |shutdown| async move {
            let Some(r) = &this.redis else { return };
            let on_message = |msg: redis::Msg| {
                let payload: Vec<u8> = msg.get_payload().unwrap_or_default();
                match serde_json::from_slice::<Envelope>(&payload) {
                    Ok(env) => env.deliver(&this.hub),
                    Err(e) => tracing::warn!(error = %e, "unreadable event on the bus"),
                }
            };
            r.follower
                .run(shutdown, || async { Ok(()) }, on_message)
                .await;
        });
    }
}

impl RedisBus {
    async fn publish(&self, envelope: &Envelope) -> anyhow::Result<()> {
        let payload = serde_json::to_vec(envelope).context("encoding event")?;
        let channel = format!("{}:events:{}", self.prefix, envelope.org().simple());
        let mut conn = self.pool.get().await.context("redis connection")?;
        let _: () = conn
            .publish(channel, payload)
            .await
            .context("publishing event")?;
        Ok(())
    }
}
