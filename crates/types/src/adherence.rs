//! Schedule adherence: how much of an agent's scheduled time they spent doing what the
//! schedule said (on the phones in working time, away during breaks), from the
//! agent-state log against their shifts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use crate::workforce::IntervalLength;

/// Longest span one adherence request covers, in days.
pub const MAX_ADHERENCE_DAYS: i64 = 31;

/// `GET /api/agents/{id}/adherence`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AdherenceQuery {
    /// Start (default: the start of today in the agent's time zone).
    pub from: Option<DateTime<Utc>>,
    /// End (default: 24 hours after `from`); after `from`, at most 31 days later.
    pub to: Option<DateTime<Utc>>,
    /// Interval length for the breakdown (default 30 minutes).
    #[cfg_attr(feature = "openapi", param(inline))]
    pub interval: Option<IntervalLength>,
}

/// One interval of the breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdherenceInterval {
    /// Start of the interval.
    pub start: DateTime<Utc>,
    /// Seconds scheduled in it (work and breaks).
    pub scheduled_secs: f64,
    /// Seconds of those in adherence.
    pub adherent_secs: f64,
    /// Adherent over scheduled; `null` when nothing was scheduled.
    pub adherence: Option<f64>,
}

/// An agent's adherence over a span.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentAdherence {
    /// The agent.
    pub agent_id: Uuid,
    /// Start of the span.
    pub from: DateTime<Utc>,
    /// End of the span (for today: now, when earlier).
    pub to: DateTime<Utc>,
    /// Minutes scheduled (work and breaks).
    pub scheduled_minutes: f64,
    /// Minutes in adherence: on the phones (available, reserved, on a call, wrap-up) in
    /// working time, not ready or offline during a scheduled break.
    pub adherent_minutes: f64,
    /// Scheduled minutes out of adherence.
    pub out_of_adherence_minutes: f64,
    /// Adherent over scheduled; `null` when nothing was scheduled.
    pub adherence: Option<f64>,
    /// Conformance: minutes on the phones over minutes of scheduled work, wherever they
    /// fell in the span; `null` when no work was scheduled.
    pub conformance: Option<f64>,
    /// The breakdown by interval.
    pub intervals: Vec<AdherenceInterval>,
}
