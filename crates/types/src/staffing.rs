//! Staffing: a team's forecast workload per interval of a day, and the agents Erlang C and
//! Erlang A require for its service-level target beside the agents actually scheduled.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use crate::agents::iana_time_zone;
use crate::workforce::IntervalLength;

/// Longest span one staffing report covers, in days.
pub const MAX_STAFFING_DAYS: i64 = 7;

/// Most calls one forecast interval may hold.
pub const MAX_INTERVAL_CALLS: f64 = 5_000.0;

/// `PUT /api/teams/{id}/forecast`: the forecast of one day in a time zone, replacing the
/// team's forecast for that day. `calls[i]` is the number of calls expected in the `i`-th
/// interval after local midnight (elapsed time, so a 23-hour day has fewer intervals);
/// intervals not given expect no calls. An empty `calls` removes the day's forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastDayRequest {
    /// The local date.
    pub date: NaiveDate,
    /// The zone the day is in (default UTC).
    #[serde(default)]
    #[validate(custom(function = iana_time_zone))]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::agents::time_zone_schema))]
    pub time_zone: Option<String>,
    /// Interval length the calls are given in.
    pub interval: IntervalLength,
    /// Calls expected per interval (0 to 5,000 each), from local midnight; at most as many
    /// as the day has intervals (422 `day_intervals`).
    #[validate(length(max = 100), custom(function = calls_in_range))]
    #[cfg_attr(feature = "openapi", schema(schema_with = calls_schema))]
    pub calls: Vec<f64>,
    /// Average handle time (talk, hold and wrap-up) in seconds, 1 to 3,600.
    #[validate(range(min = 1.0, max = 3600.0))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3600))]
    pub aht_secs: f64,
    /// Share of calls to answer in time, 0.01 to 1 (0.8 for 80 %).
    #[validate(range(min = 0.01, max = 1.0))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0.01, maximum = 1))]
    pub service_level: f64,
    /// The answer time of the target in seconds, 0 to 3,600 (20 for "80/20").
    #[validate(range(min = 0.0, max = 3600.0))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 3600))]
    pub answer_within_secs: f64,
    /// How long callers wait on average before hanging up, in seconds, 1 to 3,600
    /// (Erlang A's patience).
    #[validate(range(min = 1.0, max = 3600.0))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3600))]
    pub patience_secs: f64,
}

/// The schema of `calls`: at most 100 numbers from 0 to 5,000.
#[cfg(feature = "openapi")]
fn calls_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
    let item = ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Number))
        .minimum(Some(0.0))
        .maximum(Some(MAX_INTERVAL_CALLS));
    ArrayBuilder::new()
        .items(item)
        .max_items(Some(100))
        .description(Some("Calls expected per interval from local midnight"))
        .build()
}

fn calls_in_range(calls: &[f64]) -> Result<(), validator::ValidationError> {
    if calls
        .iter()
        .all(|c| c.is_finite() && (0.0..=MAX_INTERVAL_CALLS).contains(c))
    {
        return Ok(());
    }
    let mut e = validator::ValidationError::new("range");
    e.add_param("min".into(), &0);
    e.add_param("max".into(), &(MAX_INTERVAL_CALLS as i64));
    Err(e)
}

/// `GET /api/teams/{id}/forecast`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ForecastQuery {
    /// The local date (default: today in `time_zone`).
    pub date: Option<NaiveDate>,
    /// The zone to show a day nobody has forecast yet in (default UTC); a saved day keeps
    /// its own.
    #[validate(custom(function = iana_time_zone))]
    #[cfg_attr(feature = "openapi", param(schema_with = crate::agents::time_zone_schema))]
    pub time_zone: Option<String>,
}

/// A team's forecast of one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamForecast {
    /// The team.
    pub team_id: Uuid,
    /// The local date.
    pub date: NaiveDate,
    /// The zone of the day.
    pub time_zone: String,
    /// Start of the day (local midnight), UTC.
    pub start: DateTime<Utc>,
    /// End of the day (the next local midnight), UTC.
    pub end: DateTime<Utc>,
    /// Interval length of `calls`.
    pub interval: IntervalLength,
    /// Calls expected per interval from `start`.
    pub calls: Vec<f64>,
    /// Average handle time in seconds.
    pub aht_secs: f64,
    /// Share of calls to answer in time.
    pub service_level: f64,
    /// The answer time of the target in seconds.
    pub answer_within_secs: f64,
    /// Average patience of callers in seconds.
    pub patience_secs: f64,
    /// Who saved it last.
    pub updated_by: Option<Uuid>,
    /// When; `null` for a day nobody has forecast.
    pub updated_at: Option<DateTime<Utc>>,
}

/// `GET /api/teams/{id}/staffing`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct StaffingQuery {
    /// Start (default: the start of today, UTC).
    pub from: Option<DateTime<Utc>>,
    /// End (default: 24 hours after `from`); after `from`, at most 7 days later.
    pub to: Option<DateTime<Utc>>,
    /// Interval length (default 30 minutes).
    #[cfg_attr(feature = "openapi", param(inline))]
    pub interval: Option<IntervalLength>,
}

/// How an interval's schedule stands against its forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffingStatus {
    /// No forecast covers the interval.
    NoForecast,
    /// Fewer agents scheduled than Erlang A requires: the target will be missed.
    Understaffed,
    /// Enough for Erlang A (callers who give up relieve the queue) but not for Erlang C.
    AtRisk,
    /// Enough for both.
    Covered,
}

/// One interval of a staffing report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamStaffingInterval {
    /// Start, UTC.
    pub start: DateTime<Utc>,
    /// End, UTC.
    pub end: DateTime<Utc>,
    /// Calls forecast in the interval.
    pub calls: f64,
    /// Average handle time forecast, seconds (`null` without a forecast).
    pub aht_secs: Option<f64>,
    /// Offered load in Erlangs.
    pub traffic_erlangs: f64,
    /// Agents Erlang C requires for the target (`null` without a forecast).
    pub required_erlang_c: Option<u32>,
    /// Agents Erlang A requires for the target (`null` without a forecast).
    pub required_erlang_a: Option<u32>,
    /// Agents scheduled on the phones: shift time minus breaks and approved time off,
    /// averaged over the interval.
    pub scheduled_agents: f64,
    /// The service level Erlang A predicts with the agents scheduled (whole agents).
    pub predicted_service_level: Option<f64>,
    /// The share of callers Erlang A predicts will give up with the agents scheduled.
    pub predicted_abandon_rate: Option<f64>,
    /// How the schedule stands.
    pub status: StaffingStatus,
}

/// `GET /api/teams/{id}/staffing`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamStaffing {
    /// The team.
    pub team_id: Uuid,
    /// Start, UTC.
    pub from: DateTime<Utc>,
    /// End, UTC.
    pub to: DateTime<Utc>,
    /// Interval length.
    pub interval: IntervalLength,
    /// The service-level target of the forecast (the first one found in the span).
    pub service_level: Option<f64>,
    /// Its answer time, seconds.
    pub answer_within_secs: Option<f64>,
    /// Callers' patience, seconds.
    pub patience_secs: Option<f64>,
    /// Intervals whose schedule is below Erlang A's requirement.
    pub understaffed_intervals: u32,
    /// The intervals.
    pub intervals: Vec<TeamStaffingInterval>,
}
