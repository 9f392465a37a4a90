//! Live presence: an agent's state as the API, the realtime events and the web app show
//! it, the changes agents and supervisors ask for, and the organization's not-ready
//! reasons. The rules of which change is legal live in `cc_core::agent`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use crate::agent_state::{AgentStatus, NotReadyReason};

/// Where an agent is, by name (the `status` of [`AgentStatus`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PresenceState {
    /// Not logged in.
    Offline,
    /// Waiting for a contact.
    Available,
    /// A contact is being offered.
    Reserved,
    /// Talking to a customer (or the customer is on hold).
    OnCall,
    /// After-call work.
    WrapUp,
    /// Logged in, not taking contacts, for a reason.
    NotReady,
}

impl PresenceState {
    /// The state of a status.
    pub fn of(status: &AgentStatus) -> Self {
        match status {
            AgentStatus::Offline => Self::Offline,
            AgentStatus::Available => Self::Available,
            AgentStatus::Reserved { .. } => Self::Reserved,
            AgentStatus::OnCall { .. } => Self::OnCall,
            AgentStatus::WrapUp => Self::WrapUp,
            AgentStatus::NotReady { .. } => Self::NotReady,
        }
    }

    /// Its snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Offline => "offline",
            Self::Available => "available",
            Self::Reserved => "reserved",
            Self::OnCall => "on_call",
            Self::WrapUp => "wrap_up",
            Self::NotReady => "not_ready",
        }
    }

    /// Every state, in the order a desktop shows them.
    pub const ALL: [PresenceState; 6] = [
        Self::Available,
        Self::NotReady,
        Self::Reserved,
        Self::OnCall,
        Self::WrapUp,
        Self::Offline,
    ];
}

/// The code of a not-ready reason (`break`, or an organization's own such as `coaching`).
pub fn reason_code(reason: &NotReadyReason) -> String {
    match reason {
        NotReadyReason::Break => "break".into(),
        NotReadyReason::Lunch => "lunch".into(),
        NotReadyReason::Training => "training".into(),
        NotReadyReason::Meeting => "meeting".into(),
        NotReadyReason::Custom(code) => code.clone(),
    }
}

/// The reason a code names.
pub fn reason_of(code: &str) -> NotReadyReason {
    match code {
        "break" => NotReadyReason::Break,
        "lunch" => NotReadyReason::Lunch,
        "training" => NotReadyReason::Training,
        "meeting" => NotReadyReason::Meeting,
        other => NotReadyReason::Custom(other.to_owned()),
    }
}

/// The reasons every organization has, with their default longest duration in seconds.
pub const BUILT_IN_REASONS: [(&str, Option<u32>); 4] = [
    ("break", Some(15 * 60)),
    ("lunch", Some(60 * 60)),
    ("training", None),
    ("meeting", None),
];

/// What moved the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PresenceCause {
    /// The agent, from their desktop.
    Agent,
    /// A supervisor or admin forced it.
    Supervisor,
    /// The agent's desktop was gone longer than the grace period.
    Disconnected,
}

/// An agent's current state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentPresence {
    /// The agent profile.
    pub agent_id: Uuid,
    /// The agent's team when the state changed.
    pub team_id: Option<Uuid>,
    /// The state.
    pub state: PresenceState,
    /// The not-ready reason code, when not ready.
    pub reason: Option<String>,
    /// When the agent entered the state.
    pub since: DateTime<Utc>,
    /// A supervisor forced it.
    pub forced: bool,
    /// What moved the agent.
    pub cause: PresenceCause,
    /// The state before, and the seconds spent in it (`null` for the first state).
    pub previous: Option<PresenceState>,
    /// Seconds spent in the previous state.
    pub previous_secs: Option<f64>,
    /// Increases by one with every change of this agent's state.
    pub version: u64,
}

/// What an agent (or a supervisor for them) asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StateEvent {
    /// Log in (available).
    LogIn,
    /// Ready for contacts.
    SetReady,
    /// Not ready, for a `reason`.
    SetNotReady,
    /// Log out (offline).
    LogOut,
}

/// `POST /api/agents/me/state` and `POST /api/agents/{id}/state`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeStateRequest {
    /// The change.
    pub event: StateEvent,
    /// The not-ready reason code (required with `set_not_ready`, one of the
    /// organization's reasons; ignored otherwise).
    #[serde(default)]
    #[validate(length(min = 1, max = 40), custom(function = code))]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 40, pattern = r"^[a-z0-9_]*$")
    )]
    pub reason: Option<String>,
}

/// Lower-case letters, digits and `_` (a reason code).
pub fn code(value: &str) -> Result<(), validator::ValidationError> {
    if value
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        Ok(())
    } else {
        Err(validator::ValidationError::new("code"))
    }
}

/// A not-ready reason of the organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotReadyReasonDef {
    /// Its code (`break`, `coaching`).
    pub code: String,
    /// Its name as people read it; `null` for a built-in one (the app names it in each
    /// language).
    pub name: Option<String>,
    /// Longest time an agent may stay in it, in seconds; past it, one alert is published.
    pub max_duration_secs: Option<u32>,
    /// One of the four every organization has (break, lunch, training, meeting); those
    /// cannot be deleted.
    pub built_in: bool,
}

/// `PUT /api/not-ready-reasons/{code}`: adds a reason or changes one.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotReadyReasonRequest {
    /// The name people read (built-in reasons keep their translated names; theirs is
    /// ignored).
    #[validate(length(min = 1, max = 80), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 80,
            pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$"
        )
    )]
    pub name: String,
    /// Longest duration in seconds (1 to 86,400); `null` for no limit.
    #[serde(default)]
    #[validate(range(min = 1, max = 86_400))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 86_400))]
    pub max_duration_secs: Option<u32>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reason_codes_round_trip_and_states_name_themselves() {
        for code in ["break", "lunch", "training", "meeting", "coaching"] {
            assert_eq!(reason_code(&reason_of(code)), code);
        }
        assert_eq!(
            PresenceState::of(&AgentStatus::OnCall { on_hold: true }),
            PresenceState::OnCall
        );
        assert_eq!(
            serde_json::to_value(PresenceState::NotReady).unwrap(),
            serde_json::json!(PresenceState::NotReady.as_str())
        );
        assert!(code("coaching_1").is_ok());
        assert!(code("Coaching").is_err());
    }
}
