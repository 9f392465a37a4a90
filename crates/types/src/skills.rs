//! The skill catalogue, and skill requirements shared by routing rules, call flows and
//! the ACD.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// A contact needs an agent with `skill` at `min_level` (1–10) or above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkillRequirement {
    /// The skill's id.
    pub skill: Uuid,
    /// Lowest acceptable level, 1 (novice) to 10 (expert); see `agents::MAX_SKILL_LEVEL`.
    pub min_level: u8,
}

/// A skill of the organization's catalogue (`spanish`, `billing`, `tier 2`). Agents hold
/// skills at a level; queues and routing rules require them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Skill {
    /// UUID v7; assignments refer to it, so a rename keeps them.
    pub id: Uuid,
    /// The organization the skill belongs to.
    pub organization_id: Uuid,
    /// Name, unique in the organization whatever its case.
    pub name: String,
    /// When the skill was created.
    pub created_at: DateTime<Utc>,
    /// When the skill last changed.
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/skills` and `PATCH /api/skills/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkillRequest {
    /// Name, unique in the organization.
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
}

/// Filters of `GET /api/skills`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SkillListQuery {
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500))]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub limit: Option<u64>,
    /// Rows to skip, at most 1,000,000.
    #[validate(range(max = 1_000_000))]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1_000_000))]
    pub offset: Option<u64>,
    /// Case-insensitive substring of the name.
    #[validate(length(max = 80), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        param(max_length = 80, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")
    )]
    pub q: Option<String>,
}
