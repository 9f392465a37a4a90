//! Time-in-state accounting: every status change is stamped with the time given, and the
//! durations are totalled per agent per reporting interval, split at interval boundaries.
//! These totals feed occupancy and adherence.

use std::collections::BTreeMap;

use cc_types::agent_state::{AgentStatus, NotReadyReason};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::machine::{AgentEvent, AgentPolicy, InvalidTransition, Transition, transition};

/// Length of a reporting interval; intervals start on multiples of it since the Unix epoch
/// (so on the quarter or half hour in every whole-hour time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalLength {
    /// 15 minutes.
    Minutes15,
    /// 30 minutes.
    Minutes30,
}

impl IntervalLength {
    fn millis(self) -> i64 {
        match self {
            Self::Minutes15 => 15 * 60_000,
            Self::Minutes30 => 30 * 60_000,
        }
    }
}

/// What an agent's time counts as in reports.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "bucket", content = "reason", rename_all = "snake_case")]
pub enum TimeBucket {
    /// Waiting for a contact.
    Available,
    /// A contact was being offered.
    Reserved,
    /// Talking.
    Talk,
    /// Customer on hold.
    Hold,
    /// After-call work.
    WrapUp,
    /// Not ready, per reason.
    NotReady(NotReadyReason),
}

impl TimeBucket {
    /// The bucket a status counts in; offline time is not counted.
    pub fn of(status: &AgentStatus) -> Option<Self> {
        Some(match status {
            AgentStatus::Offline => return None,
            AgentStatus::Available => Self::Available,
            AgentStatus::Reserved { .. } => Self::Reserved,
            AgentStatus::OnCall { on_hold: false } => Self::Talk,
            AgentStatus::OnCall { on_hold: true } => Self::Hold,
            AgentStatus::WrapUp => Self::WrapUp,
            AgentStatus::NotReady { reason } => Self::NotReady(reason.clone()),
        })
    }
}

/// Totals for one interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntervalTotals {
    /// Start of the interval.
    pub start: DateTime<Utc>,
    /// Time per bucket (buckets with no time are absent).
    pub totals: BTreeMap<TimeBucket, TimeDelta>,
}

/// A status change stamped with its time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The status entered.
    pub status: AgentStatus,
    /// A supervisor forced it.
    pub forced: bool,
}

/// Why an event could not be recorded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimelineError {
    /// The state machine refused the event.
    #[error(transparent)]
    Invalid(#[from] InvalidTransition),
    /// The event is older than the last recorded change.
    #[error("event at {at} is before the last change at {last}")]
    OutOfOrder {
        /// Time of the last change.
        last: DateTime<Utc>,
        /// Time of the refused event.
        at: DateTime<Utc>,
    },
}

/// One agent's status history for a working period, starting offline.
///
/// ```
/// use cc_core::agent::{AgentEvent, AgentPolicy, AgentTimeline, IntervalLength, TimeBucket};
/// use chrono::{TimeZone, TimeDelta, Utc};
/// let t0 = Utc.with_ymd_and_hms(2026, 1, 5, 9, 10, 0).unwrap();
/// let mut agent = AgentTimeline::new(t0);
/// agent.apply(AgentEvent::LogIn, t0, &AgentPolicy::default()).unwrap();
/// let totals = agent.interval_totals(IntervalLength::Minutes15, t0 + TimeDelta::minutes(10));
/// assert_eq!(totals.len(), 2); // 09:00 and 09:15
/// assert_eq!(totals[0].totals[&TimeBucket::Available], TimeDelta::minutes(5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentTimeline {
    stamps: Vec<Stamp>,
}

impl AgentTimeline {
    /// A timeline that starts offline at `at`.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self {
            stamps: vec![Stamp {
                at,
                status: AgentStatus::Offline,
                forced: false,
            }],
        }
    }

    /// The current status.
    pub fn status(&self) -> &AgentStatus {
        self.stamps
            .last()
            .map_or(&AgentStatus::Offline, |s| &s.status)
    }

    /// Every change so far, oldest first.
    pub fn stamps(&self) -> &[Stamp] {
        &self.stamps
    }

    /// Runs the state machine and, when the event is legal, stamps the change at `at`.
    pub fn apply(
        &mut self,
        event: AgentEvent,
        at: DateTime<Utc>,
        policy: &AgentPolicy,
    ) -> Result<Transition, TimelineError> {
        let last = self.stamps.last().map(|s| s.at);
        if let Some(last) = last.filter(|last| at < *last) {
            return Err(TimelineError::OutOfOrder { last, at });
        }
        let step = transition(self.status(), &event, policy)?;
        self.stamps.push(Stamp {
            at,
            status: step.to.clone(),
            forced: step.forced,
        });
        Ok(step)
    }

    /// Totals per interval from the first stamp up to `until`, split at interval boundaries.
    /// Every interval in that span is present, even when empty.
    pub fn interval_totals(
        &self,
        length: IntervalLength,
        until: DateTime<Utc>,
    ) -> Vec<IntervalTotals> {
        let step = length.millis();
        let Some(first) = self.stamps.first() else {
            return Vec::new();
        };
        let begin = first.at.timestamp_millis().div_euclid(step) * step;
        let end = until.timestamp_millis();
        let mut out = Vec::new();
        let mut start = begin;
        while start < end {
            let totals = BTreeMap::new();
            if let Some(start_at) = DateTime::from_timestamp_millis(start) {
                out.push(IntervalTotals {
                    start: start_at,
                    totals,
                });
            }
            start += step;
        }
        for (i, stamp) in self.stamps.iter().enumerate() {
            let Some(bucket) = TimeBucket::of(&stamp.status) else {
                continue;
            };
            let from = stamp.at.timestamp_millis();
            let to = self
                .stamps
                .get(i + 1)
                .map_or(end, |next| next.at.timestamp_millis())
                .min(end);
            add_span(&mut out, begin, step, from, to, &bucket);
        }
        out
    }
}

/// Adds `[from, to)` to the intervals it overlaps.
fn add_span(
    out: &mut [IntervalTotals],
    begin: i64,
    step: i64,
    from: i64,
    to: i64,
    bucket: &TimeBucket,
) {
    let mut at = from;
    while at < to {
        let index = (at - begin).div_euclid(step);
        let boundary = begin + (index + 1) * step;
        let piece_end = boundary.min(to);
        if let Some(slot) = usize::try_from(index).ok().and_then(|i| out.get_mut(i)) {
            *slot
                .totals
                .entry(bucket.clone())
                .or_insert(TimeDelta::zero()) += TimeDelta::milliseconds(piece_end - at);
        }
        at = piece_end;
    }
}
