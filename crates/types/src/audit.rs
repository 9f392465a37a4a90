//! The audit log: who changed what, when, with which outcome.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// Whether an audited request succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// Answered below 400.
    Success,
    /// Refused or failed (400 and above).
    Failure,
}

impl AuditOutcome {
    /// The outcome of an HTTP status.
    pub fn of_status(status: u16) -> AuditOutcome {
        if status < 400 {
            AuditOutcome::Success
        } else {
            AuditOutcome::Failure
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Success => "success",
            AuditOutcome::Failure => "failure",
        }
    }
}

/// One recorded mutation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// UUID v7 (time-ordered).
    pub id: Uuid,
    /// The user who acted, if a person.
    pub actor_user_id: Option<Uuid>,
    /// The API key that acted, if an integrator.
    pub actor_api_key_id: Option<Uuid>,
    /// The actor's email or key name at the time.
    pub actor_label: Option<String>,
    /// Operation id of the route (`create_user`).
    pub action: String,
    /// HTTP method and path template (`POST /api/users`).
    pub route: String,
    /// The id of the resource acted on, when there is one.
    pub target_id: Option<String>,
    /// The HTTP status answered.
    pub status: u16,
    /// Whether it succeeded.
    pub outcome: AuditOutcome,
    /// Correlation id of the request.
    pub request_id: String,
    /// Caller's IP address.
    pub ip: Option<String>,
    /// When it happened (UTC).
    pub created_at: DateTime<Utc>,
}

/// Filters of `GET /api/audit`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AuditQuery {
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500))]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub limit: Option<u64>,
    /// Rows to skip, at most 1,000,000.
    #[validate(range(max = 1_000_000))]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1_000_000))]
    pub offset: Option<u64>,
    /// Only this actor.
    pub actor_user_id: Option<Uuid>,
    /// Only this action (`create_user`).
    #[validate(length(max = 80), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        param(max_length = 80, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")
    )]
    pub action: Option<String>,
    /// Only this outcome.
    pub outcome: Option<AuditOutcome>,
    /// From this instant (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (exclusive).
    pub to: Option<DateTime<Utc>>,
}
