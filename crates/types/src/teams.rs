//! Teams: a hierarchy of groups of agents, each with a manager (a supervisor).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// A team of the organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    /// UUID v7.
    pub id: Uuid,
    /// The organization the team belongs to.
    pub organization_id: Uuid,
    /// Name, unique in the organization.
    pub name: String,
    /// The team above this one; `null` for a top-level team.
    pub parent_team_id: Option<Uuid>,
    /// The supervisor (or admin) who manages the team and every team below it.
    pub manager_id: Option<Uuid>,
    /// When the team was created.
    pub created_at: DateTime<Utc>,
    /// When the team last changed.
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/teams`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateTeamRequest {
    /// Name, unique in the organization.
    #[validate(length(min = 1, max = 120), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 120,
            pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$"
        )
    )]
    pub name: String,
    /// The team above this one.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        )
    )]
    pub parent_team_id: Option<Uuid>,
    /// A supervisor or admin of the organization.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        )
    )]
    pub manager_id: Option<Uuid>,
}

/// `PATCH /api/teams/{id}`: only the fields given change; `null` clears the parent (the
/// team moves to the top) or the manager.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateTeamRequest {
    /// New name.
    #[validate(length(min = 1, max = 120), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 120,
            pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$"
        )
    )]
    pub name: Option<String>,
    /// New parent (a move); `null` makes it a top-level team. A move under itself or one
    /// of its own descendants answers 422 `team_cycle`.
    #[serde(
        default,
        deserialize_with = "crate::rules::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>, pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"))]
    pub parent_team_id: Option<Option<Uuid>>,
    /// New manager; `null` leaves the team without one.
    #[serde(
        default,
        deserialize_with = "crate::rules::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>, pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"))]
    pub manager_id: Option<Option<Uuid>>,
}

/// `DELETE /api/teams/{id}`: where the team's members and child teams go.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct DeleteTeamQuery {
    /// The team that takes over members and child teams; required when there are any
    /// (else 409 `team_not_empty`, naming them).
    pub move_to: Option<Uuid>,
}

/// Filters of `GET /api/teams`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct TeamListQuery {
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500))]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub limit: Option<u64>,
    /// Rows to skip, at most 1,000,000.
    #[validate(range(max = 1_000_000))]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1_000_000))]
    pub offset: Option<u64>,
    /// Case-insensitive substring of the name.
    #[validate(length(max = 120), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        param(max_length = 120, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")
    )]
    pub q: Option<String>,
}
