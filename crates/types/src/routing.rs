//! Inbound routing rules: ordered per organization, first match wins. Evaluation lives in
//! `cc-core::routing`; this module holds the rules as the API stores and the SPA edits them.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::business_hours::{HoursStatus, Weekday};
use crate::skills::SkillRequirement;

/// One condition of a rule; a rule matches when all of its conditions hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RoutingCondition {
    /// The dialled number (E.164) is one of these.
    CalledNumber {
        /// Accepted numbers.
        any_of: Vec<String>,
    },
    /// The caller's number (E.164) starts with this prefix, for example `+4202`.
    CallerPrefix {
        /// The prefix.
        prefix: String,
    },
    /// The caller's country (ISO 3166 alpha-2) is one of these.
    CallerCountry {
        /// Accepted countries.
        any_of: Vec<String>,
    },
    /// Local time falls on one of `days` within `[from, to)` (overnight when `to <= from`).
    TimeWindow {
        /// IANA time zone.
        time_zone: String,
        /// Days the window opens on.
        days: Vec<Weekday>,
        /// Local start.
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        from: NaiveTime,
        /// Local end.
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        to: NaiveTime,
    },
    /// A business-hours calendar is in this status.
    BusinessHours {
        /// The calendar.
        calendar: Uuid,
        /// The status that matches.
        status: HoursStatus,
    },
    /// The detected language (BCP 47, for example `cs`) is one of these.
    Language {
        /// Accepted languages.
        any_of: Vec<String>,
    },
    /// The customer carries at least one of these tags.
    CustomerTag {
        /// Accepted tags.
        any_of: Vec<String>,
    },
    /// The customer's segment (for example `vip`) is one of these.
    Segment {
        /// Accepted segments.
        any_of: Vec<String>,
    },
    /// A flow variable equals a value.
    Variable {
        /// Variable name.
        name: String,
        /// Expected value.
        equals: String,
    },
    /// The detected intent is one of these.
    Intent {
        /// Accepted intents.
        any_of: Vec<String>,
    },
}

/// What a matching rule does with the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RoutingAction {
    /// Run a call flow.
    Flow {
        /// The flow.
        flow: Uuid,
    },
    /// Queue the call for a human agent.
    Queue {
        /// The queue.
        queue: Uuid,
        /// Priority 1 (lowest) to 10 (highest).
        priority: u8,
        /// Skills the agent needs.
        skills: Vec<SkillRequirement>,
    },
    /// Hand the call to an AI agent profile.
    AiAgent {
        /// The AI agent profile.
        profile: Uuid,
    },
    /// Refuse the call, playing a message.
    Reject {
        /// What the caller hears.
        message: String,
    },
}

/// A routing rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoutingRule {
    /// The rule's id.
    pub id: Uuid,
    /// Shown to supervisors.
    pub name: String,
    /// All must hold (an empty list always matches).
    pub conditions: Vec<RoutingCondition>,
    /// What happens on a match.
    pub action: RoutingAction,
}
