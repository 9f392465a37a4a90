//! Realtime messages on `GET /api/ws`: what a client sends, what the server pushes.
//!
//! Topics are scoped to the caller's organization by the server; a topic string names
//! a stream inside it (`organization`, `agent:<uuid>`, `call:<uuid>`, `queue:<uuid>`,
//! `campaign:<uuid>`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::role::Role;

/// A stream of events a client can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Topic {
    /// Everything organization-wide (user changes, announcements).
    Organization,
    /// One agent's state and offers.
    Agent(Uuid),
    /// One team's members' states.
    Team(Uuid),
    /// One live call.
    Call(Uuid),
    /// One ACD queue.
    Queue(Uuid),
    /// One campaign.
    Campaign(Uuid),
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Topic {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(
                "^(organization|(agent|team|call|queue|campaign):[0-9a-f-]{36})$",
            ))
            .description(Some(
                "`organization`, or `agent:`, `team:`, `call:`, `queue:`, `campaign:` followed by a UUID",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Topic {}

/// A topic string that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidTopic(pub String);

impl fmt::Display for InvalidTopic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid topic `{}`", self.0)
    }
}

impl FromStr for Topic {
    type Err = InvalidTopic;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "organization" {
            return Ok(Topic::Organization);
        }
        let bad = || InvalidTopic(s.to_owned());
        let (kind, id) = s.split_once(':').ok_or_else(bad)?;
        let id = Uuid::parse_str(id).map_err(|_| bad())?;
        match kind {
            "agent" => Ok(Topic::Agent(id)),
            "team" => Ok(Topic::Team(id)),
            "call" => Ok(Topic::Call(id)),
            "queue" => Ok(Topic::Queue(id)),
            "campaign" => Ok(Topic::Campaign(id)),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Topic::Organization => f.write_str("organization"),
            Topic::Agent(id) => write!(f, "agent:{id}"),
            Topic::Team(id) => write!(f, "team:{id}"),
            Topic::Call(id) => write!(f, "call:{id}"),
            Topic::Queue(id) => write!(f, "queue:{id}"),
            Topic::Campaign(id) => write!(f, "campaign:{id}"),
        }
    }
}

impl TryFrom<String> for Topic {
    type Error = InvalidTopic;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Topic> for String {
    fn from(t: Topic) -> Self {
        t.to_string()
    }
}

/// What happened, as pushed to subscribers of a topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DomainEvent {
    /// A user was created in the organization.
    UserCreated {
        /// The new user.
        user_id: Uuid,
        /// Their role.
        role: Role,
    },
    /// A user's role, name or language changed.
    UserUpdated {
        /// The user.
        user_id: Uuid,
    },
    /// A user was deactivated and their sessions revoked.
    UserDeactivated {
        /// The user.
        user_id: Uuid,
    },
    /// A team was created, renamed, moved, given a manager or deleted.
    TeamChanged {
        /// The team.
        team_id: Uuid,
    },
    /// An agent profile was created, changed, moved to another team or deleted.
    AgentChanged {
        /// The agent profile.
        agent_id: Uuid,
    },
    /// An agent's state changed (on `agent:{id}`, `team:{id}` and `organization`).
    AgentStateChanged(crate::presence::AgentPresence),
    /// An agent stayed not ready longer than the reason allows (published once).
    AgentStateOverrun {
        /// The agent profile.
        agent_id: Uuid,
        /// Their team.
        team_id: Option<Uuid>,
        /// The reason code.
        reason: String,
        /// Since when.
        since: chrono::DateTime<chrono::Utc>,
        /// The reason's longest duration in seconds.
        max_duration_secs: u32,
    },
    /// Shifts were scheduled, moved or removed for these agents (on `organization`).
    ShiftsChanged {
        /// The agents whose schedule changed.
        agent_ids: Vec<Uuid>,
    },
    /// A free-text notice from the system.
    Notice {
        /// The text.
        message: String,
    },
}

/// Messages a client sends on the WebSocket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// Start receiving a topic's events.
    Subscribe {
        /// The topic.
        topic: Topic,
    },
    /// Stop receiving a topic's events.
    Unsubscribe {
        /// The topic.
        topic: Topic,
    },
    /// Application-level keep-alive; answered with `pong`.
    Ping,
}

/// Messages the server pushes on the WebSocket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// First message after connecting.
    Welcome {
        /// The connection's id (for support).
        connection_id: Uuid,
        /// Seconds between server heartbeats.
        heartbeat_secs: u64,
    },
    /// A subscription is active.
    Subscribed {
        /// The topic.
        topic: Topic,
    },
    /// A subscription ended.
    Unsubscribed {
        /// The topic.
        topic: Topic,
    },
    /// An event on a subscribed topic.
    Event {
        /// Increases by one with every message of this connection that carries a state change.
        seq: u64,
        /// The topic it belongs to.
        topic: Topic,
        /// What happened.
        event: DomainEvent,
    },
    /// Events were dropped because the client read too slowly: reload state, then go on.
    Resync {
        /// Sequence number of this message; events after it continue from here.
        seq: u64,
    },
    /// A client message was refused.
    Error {
        /// Stable error code.
        code: crate::ErrorCode,
        /// Human-readable explanation (English).
        message: String,
    },
    /// Answer to `ping`.
    Pong,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_round_trip_through_their_string_form() {
        let id = Uuid::nil();
        for t in [
            Topic::Organization,
            Topic::Agent(id),
            Topic::Call(id),
            Topic::Queue(id),
            Topic::Campaign(id),
        ] {
            assert_eq!(t.to_string().parse::<Topic>(), Ok(t));
        }
        assert!("agent:not-a-uuid".parse::<Topic>().is_err());
        assert!(
            "planet:00000000-0000-0000-0000-000000000000"
                .parse::<Topic>()
                .is_err()
        );
    }

    #[test]
    fn client_messages_use_the_documented_json_shape() {
        let m: ClientMessage =
            serde_json::from_str(r#"{"type":"subscribe","topic":"organization"}"#)
                .unwrap_or(ClientMessage::Ping);
        assert_eq!(
            m,
            ClientMessage::Subscribe {
                topic: Topic::Organization
            }
        );
    }
}
