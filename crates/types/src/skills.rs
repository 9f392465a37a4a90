//! Skill requirements shared by routing rules, call flows and the ACD.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A contact needs an agent with `skill` at `min_level` (1–5) or above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkillRequirement {
    /// The skill's id.
    pub skill: Uuid,
    /// Lowest acceptable level, 1 (novice) to 5 (expert).
    pub min_level: u8,
}
