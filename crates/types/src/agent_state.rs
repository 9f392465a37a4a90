//! Agent status as the API, the realtime events and the web app show it. The rules for
//! moving between statuses live in `cc-core::agent`; this module only names them.

use serde::{Deserialize, Serialize};

/// Why an agent is not taking contacts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotReadyReason {
    /// A short break.
    Break,
    /// Lunch.
    Lunch,
    /// Training.
    Training,
    /// A meeting.
    Meeting,
    /// A reason code the organization defined (for example `coaching`).
    Custom(String),
}

/// Where an agent is in the working day.
///
/// ```
/// use cc_types::agent_state::AgentStatus;
/// let json = serde_json::to_string(&AgentStatus::OnCall { on_hold: true }).unwrap();
/// assert_eq!(json, r#"{"status":"on_call","on_hold":true}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AgentStatus {
    /// Not logged in.
    Offline,
    /// Logged in and waiting for a contact.
    Available,
    /// A contact is being offered; `accepted` once the agent took it and the legs are joining.
    Reserved {
        /// The agent accepted the offer and the call is connecting.
        accepted: bool,
    },
    /// Talking to a customer; `on_hold` while the customer is on hold.
    OnCall {
        /// The customer is on hold.
        on_hold: bool,
    },
    /// After-call work.
    WrapUp,
    /// Logged in but not taking contacts.
    NotReady {
        /// Why.
        reason: NotReadyReason,
    },
}

impl AgentStatus {
    /// A stable snake_case name for logs and metrics labels.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Offline => "offline",
            Self::Available => "available",
            Self::Reserved { .. } => "reserved",
            Self::OnCall { .. } => "on_call",
            Self::WrapUp => "wrap_up",
            Self::NotReady { .. } => "not_ready",
        }
    }
}
