//! Time off: an agent's absence over a span, requested by the agent (or by a supervisor
//! for them) and approved or denied by a supervisor who manages the agent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// Longest span one request covers, in days.
pub const MAX_TIME_OFF_DAYS: i64 = 31;

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimeOffStatus {
    /// Waiting for a decision.
    Pending,
    /// Approved: the agent is away.
    Approved,
    /// Denied.
    Denied,
    /// Withdrawn by the agent or cancelled by a supervisor.
    Cancelled,
}

impl TimeOffStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeOffStatus::Pending => "pending",
            TimeOffStatus::Approved => "approved",
            TimeOffStatus::Denied => "denied",
            TimeOffStatus::Cancelled => "cancelled",
        }
    }

    /// Every status.
    pub const ALL: [TimeOffStatus; 4] = [
        TimeOffStatus::Pending,
        TimeOffStatus::Approved,
        TimeOffStatus::Denied,
        TimeOffStatus::Cancelled,
    ];
}

/// A time-off request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeOff {
    /// UUID v7.
    pub id: Uuid,
    /// The organization.
    pub organization_id: Uuid,
    /// The agent away.
    pub agent_id: Uuid,
    /// Start, UTC.
    pub start: DateTime<Utc>,
    /// End, UTC.
    pub end: DateTime<Utc>,
    /// Why, as the requester wrote it.
    pub reason: Option<String>,
    /// Where it stands.
    pub status: TimeOffStatus,
    /// The user who asked.
    pub requested_by: Option<Uuid>,
    /// The user who decided (or cancelled).
    pub decided_by: Option<Uuid>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// The decider's note.
    pub note: Option<String>,
    /// When it was requested.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/time-off`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeOffRequest {
    /// The agent; omitted or `null`: the caller's own profile.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        )
    )]
    pub agent_id: Option<Uuid>,
    /// Start.
    pub start: DateTime<Utc>,
    /// End: after the start, at most 31 days later (else 422).
    pub end: DateTime<Utc>,
    /// Why (at most 200 characters, one line).
    #[serde(default)]
    #[validate(length(max = 200), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")
    )]
    pub reason: Option<String>,
}

/// `POST /api/time-off/{id}/decision`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeOffDecision {
    /// Approve (true) or deny (false).
    pub approve: bool,
    /// A note for the agent (at most 200 characters, one line).
    #[serde(default)]
    #[validate(length(max = 200), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 200, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")
    )]
    pub note: Option<String>,
}

/// `GET /api/time-off`: requests that overlap `[from, to)`, newest first.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct TimeOffListQuery {
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500))]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub limit: Option<u64>,
    /// Rows to skip, at most 1,000,000.
    #[validate(range(max = 1_000_000))]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1_000_000))]
    pub offset: Option<u64>,
    /// Only requests in this state.
    pub status: Option<TimeOffStatus>,
    /// Only this agent's.
    pub agent_id: Option<Uuid>,
    /// Only those of this team's members.
    pub team_id: Option<Uuid>,
    /// Ending after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Starting before this instant.
    pub to: Option<DateTime<Utc>>,
}
