//! Performance of agents and teams over a period: time in each state by interval (from the
//! append-only agent-state log), occupancy and utilization as cc-core defines them, and
//! calls handled with their average handle time (from call records).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use crate::agents::iana_time_zone;

/// Longest span one performance request covers, in days.
pub const MAX_PERFORMANCE_DAYS: i64 = 31;

/// Length of a report interval: fixed lengths, or calendar days and weeks (from Monday) in
/// the request's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportInterval {
    /// 15 minutes.
    Minutes15,
    /// 30 minutes.
    Minutes30,
    /// An hour.
    Hour,
    /// A calendar day.
    Day,
    /// A calendar week, Monday to Sunday.
    Week,
}

/// `GET /api/agents/{id}/performance`, `GET /api/teams/{id}/performance`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PerformanceQuery {
    /// Start (default: the start of today in `time_zone`).
    pub from: Option<DateTime<Utc>>,
    /// End (default: 24 hours after `from`); after `from`, at most 31 days later.
    pub to: Option<DateTime<Utc>>,
    /// Interval (default an hour).
    #[cfg_attr(feature = "openapi", param(inline))]
    pub interval: Option<ReportInterval>,
    /// The zone days and weeks begin in (default UTC).
    #[validate(custom(function = iana_time_zone))]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::agents::time_zone_schema))]
    pub time_zone: Option<String>,
}

/// Where time went, in seconds, with the ratios cc-core defines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PerformanceTotals {
    /// Logged in (every state but offline).
    pub logged_in_secs: f64,
    /// Ready and waiting.
    pub available_secs: f64,
    /// A call being offered.
    pub reserved_secs: f64,
    /// Talking (on a call, less the hold time the call records give).
    pub talk_secs: f64,
    /// Customer on hold (from call records).
    pub hold_secs: f64,
    /// After-call work.
    pub wrap_up_secs: f64,
    /// Not ready, all reasons.
    pub not_ready_secs: f64,
    /// Not ready per reason code.
    pub not_ready_by_reason: BTreeMap<String, f64>,
    /// Handling (talk, hold, wrap-up) over handling plus waiting (available and offered);
    /// `null` without either.
    pub occupancy: Option<f64>,
    /// Handling over logged-in time; `null` when not logged in.
    pub utilization: Option<f64>,
    /// Calls answered.
    pub calls_handled: u64,
    /// Mean of talk, hold and wrap-up of the calls answered; `null` without calls.
    pub average_handle_secs: Option<f64>,
}

/// One interval of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PerformanceInterval {
    /// Start, UTC.
    pub start: DateTime<Utc>,
    /// End, UTC.
    pub end: DateTime<Utc>,
    /// The interval's totals.
    pub totals: PerformanceTotals,
}

/// One agent's line in a team report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentPerformanceLine {
    /// The agent.
    pub agent_id: Uuid,
    /// Their name.
    pub display_name: String,
    /// Their totals over the period.
    pub totals: PerformanceTotals,
}

/// `GET /api/agents/{id}/performance` and `GET /api/teams/{id}/performance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Performance {
    /// Start, UTC.
    pub from: DateTime<Utc>,
    /// End, UTC (never after now).
    pub to: DateTime<Utc>,
    /// The interval.
    pub interval: ReportInterval,
    /// Totals over the period.
    pub totals: PerformanceTotals,
    /// Per interval.
    pub intervals: Vec<PerformanceInterval>,
    /// Per agent (team reports; empty for one agent).
    pub agents: Vec<AgentPerformanceLine>,
}
