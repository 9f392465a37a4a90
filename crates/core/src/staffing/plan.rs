//! The staffing plan: agents required per forecast interval, agents scheduled per interval
//! (shift time minus breaks) and the gap between them; shrinkage turns agents on the phones
//! into headcount to schedule.

use cc_types::workforce::{ForecastInterval, IntervalLength, ServiceLevelTarget, StaffingInterval};
use chrono::{DateTime, TimeDelta, Utc};

use super::agents_for_service_level;

/// Why a staffing calculation was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StaffingError {
    /// Shrinkage must be in [0, 1).
    #[error("shrinkage {0} is outside [0, 1)")]
    InvalidShrinkage(f64),
    /// The service-level target must be in (0, 1] with a non-negative answer time.
    #[error("service-level target {service_level} within {answer_within_secs}s is invalid")]
    InvalidTarget {
        /// The requested fraction.
        service_level: f64,
        /// The requested answer time.
        answer_within_secs: f64,
    },
}

/// A break inside a shift, during which the agent is off the phones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShiftBreak {
    /// Start of the break.
    pub start: DateTime<Utc>,
    /// End of the break.
    pub end: DateTime<Utc>,
}

/// One agent's scheduled shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledShift {
    /// Start of the shift.
    pub start: DateTime<Utc>,
    /// End of the shift.
    pub end: DateTime<Utc>,
    /// Breaks, lunches and meetings inside the shift.
    pub breaks: Vec<ShiftBreak>,
}

/// Headcount to schedule so that `agents` remain on the phones after `shrinkage` (the share
/// of paid time lost to breaks, training, absence): `ceil(agents / (1 - shrinkage))`.
///
/// ```
/// # use cc_core::staffing::headcount_with_shrinkage;
/// assert_eq!(headcount_with_shrinkage(14, 0.30), Ok(20));
/// ```
pub fn headcount_with_shrinkage(agents: u32, shrinkage: f64) -> Result<u32, StaffingError> {
    if !(0.0..1.0).contains(&shrinkage) {
        return Err(StaffingError::InvalidShrinkage(shrinkage));
    }
    // Rounding guards against 14 / 0.7 = 20.000000000000004 becoming 21.
    let exact = f64::from(agents) / (1.0 - shrinkage);
    let rounded = (exact * 1e9).round() / 1e9;
    Ok(rounded.ceil() as u32)
}

/// Seconds two half-open spans share.
fn overlap_secs(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> f64 {
    let start = a.0.max(b.0);
    let end = a.1.min(b.1);
    if end <= start {
        return 0.0;
    }
    (end - start).num_milliseconds() as f64 / 1000.0
}

/// Average number of agents on the phones from `start` to `end` according to `shifts`:
/// shift time inside the span minus the breaks inside it, over the span's length.
///
/// ```
/// # use cc_core::staffing::{ScheduledShift, agents_on_phones};
/// # use chrono::{TimeZone, Utc};
/// let at = |h| Utc.with_ymd_and_hms(2027, 3, 1, h, 0, 0).unwrap();
/// let shift = ScheduledShift { start: at(9), end: at(17), breaks: vec![] };
/// // On the phones for the first half of 8:00-10:00 only.
/// assert_eq!(agents_on_phones(&[shift], at(8), at(10)), 0.5);
/// ```
pub fn agents_on_phones(
    shifts: &[ScheduledShift],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> f64 {
    if end <= start {
        return 0.0;
    }
    scheduled_agents(shifts, (start, end))
}

/// Average number of agents on the phones during `span` according to `shifts`.
fn scheduled_agents(shifts: &[ScheduledShift], span: (DateTime<Utc>, DateTime<Utc>)) -> f64 {
    let length = (span.1 - span.0).num_milliseconds() as f64 / 1000.0;
    let on_phones: f64 = shifts
        .iter()
        .map(|shift| {
            let worked = overlap_secs((shift.start, shift.end), span);
            let breaks: f64 = shift
                .breaks
                .iter()
                .map(|b| overlap_secs((b.start.max(shift.start), b.end.min(shift.end)), span))
                .sum();
            (worked - breaks).max(0.0)
        })
        .sum();
    on_phones / length
}

/// For every forecast interval: the Erlang C agents required for `target` and the agents
/// scheduled by `shifts`, with the gap (negative when understaffed).
pub fn staffing_plan(
    forecast: &[ForecastInterval],
    interval: IntervalLength,
    target: ServiceLevelTarget,
    shifts: &[ScheduledShift],
) -> Result<Vec<StaffingInterval>, StaffingError> {
    let valid_level = target.service_level > 0.0 && target.service_level <= 1.0;
    let valid_answer = target.answer_within_secs.is_finite() && target.answer_within_secs >= 0.0;
    if !valid_level || !valid_answer {
        return Err(StaffingError::InvalidTarget {
            service_level: target.service_level,
            answer_within_secs: target.answer_within_secs,
        });
    }
    let length_secs = f64::from(interval.secs());
    let plan = forecast
        .iter()
        .map(|f| {
            let traffic = f.calls_offered.max(0.0) * f.aht_secs.max(0.0) / length_secs;
            let required = agents_for_service_level(
                traffic,
                f.aht_secs,
                target.answer_within_secs,
                target.service_level,
            );
            let span = (
                f.start,
                f.start + TimeDelta::seconds(i64::from(interval.secs())),
            );
            let scheduled = scheduled_agents(shifts, span);
            StaffingInterval {
                start: f.start,
                traffic_erlangs: traffic,
                required_agents: required,
                scheduled_agents: scheduled,
                gap: scheduled - f64::from(required),
            }
        })
        .collect();
    Ok(plan)
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
