//! The arithmetic of performance reports, free of IO: interval boundaries (fixed lengths,
//! or calendar days and weeks in a zone), state segments from the log, and totals whose
//! ratios are cc-core's.

use std::collections::BTreeMap;

use cc_core::kpi::{AgentTime, occupancy, utilization};
use cc_types::performance::{PerformanceTotals, ReportInterval};
use cc_types::presence::PresenceState;
use cc_types::shifts::local_instant;
use chrono::{DateTime, Datelike, Days, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::call;
use crate::presence::entity::state_log;

/// The intervals of `[from, to)`: fixed lengths from `from`, or cut at each local midnight
/// (each Monday's, for weeks) in `tz`.
pub fn boundaries(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    interval: ReportInterval,
    tz: Tz,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut out = Vec::new();
    let mut at = from;
    while at < to {
        let end = next_boundary(at, interval, tz).min(to);
        out.push((at, end));
        at = end;
    }
    out
}

fn next_boundary(at: DateTime<Utc>, interval: ReportInterval, tz: Tz) -> DateTime<Utc> {
    let fixed = |minutes: i64| at + TimeDelta::minutes(minutes);
    match interval {
        ReportInterval::Minutes15 => fixed(15),
        ReportInterval::Minutes30 => fixed(30),
        ReportInterval::Hour => fixed(60),
        ReportInterval::Day | ReportInterval::Week => {
            let mut day = at.with_timezone(&tz).date_naive();
            loop {
                day = day + Days::new(1);
                let weekly = interval == ReportInterval::Week;
                if weekly && day.weekday() != chrono::Weekday::Mon {
                    continue;
                }
                let midnight = local_instant(tz, day.and_time(NaiveTime::MIN));
                if midnight > at {
                    return midnight;
                }
            }
        }
    }
}

/// A span of one state.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub state: PresenceState,
    pub reason: Option<String>,
}

fn parse(s: &str) -> PresenceState {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .unwrap_or(PresenceState::Offline)
}

/// The states the log shows over `[from, to)`, the one in force at `from` included.
pub fn segments(
    before: Option<&state_log::Model>,
    rows: &[state_log::Model],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Segment> {
    let mut marks: Vec<(DateTime<Utc>, PresenceState, Option<String>)> = vec![match before {
        Some(b) => (from, parse(&b.state), b.reason.clone()),
        None => (from, PresenceState::Offline, None),
    }];
    marks.extend(
        rows.iter()
            .map(|r| (r.at.max(from), parse(&r.state), r.reason.clone())),
    );
    marks
        .iter()
        .enumerate()
        .filter_map(|(i, (start, state, reason))| {
            let end = marks.get(i + 1).map_or(to, |n| n.0).min(to);
            (end > *start).then(|| Segment {
                start: *start,
                end,
                state: *state,
                reason: reason.clone(),
            })
        })
        .collect()
}

/// Sums that add across intervals and agents; the ratios come at the end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sums {
    available: f64,
    reserved: f64,
    on_call: f64,
    hold: f64,
    wrap_up: f64,
    not_ready: f64,
    reasons: BTreeMap<String, f64>,
    calls: u64,
    handle: f64,
}

fn secs(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_milliseconds().max(0) as f64 / 1000.0
}

impl Sums {
    /// The time of `segments` and the calls answered inside `[start, end)`.
    pub fn of(
        segments: &[Segment],
        calls: &[call::Model],
        span: (DateTime<Utc>, DateTime<Utc>),
    ) -> Sums {
        let mut s = Sums::default();
        for seg in segments {
            let t = secs(seg.start.max(span.0), seg.end.min(span.1));
            if t <= 0.0 {
                continue;
            }
            match seg.state {
                PresenceState::Offline => {}
                PresenceState::Available => s.available += t,
                PresenceState::Reserved => s.reserved += t,
                PresenceState::OnCall => s.on_call += t,
                PresenceState::WrapUp => s.wrap_up += t,
                PresenceState::NotReady => {
                    s.not_ready += t;
                    let code = seg.reason.clone().unwrap_or_else(|| "other".into());
                    *s.reasons.entry(code).or_default() += t;
                }
            }
        }
        for c in calls {
            let answered = c.answered_at.filter(|a| *a >= span.0 && *a < span.1);
            if c.outcome == "answered" && answered.is_some() {
                s.calls += 1;
                s.hold += c.hold_secs;
                s.handle += c.talk_secs + c.hold_secs + c.wrap_up_secs;
            }
        }
        s
    }

    /// Adds another's sums.
    pub fn add(&mut self, o: &Sums) {
        self.available += o.available;
        self.reserved += o.reserved;
        self.on_call += o.on_call;
        self.hold += o.hold;
        self.wrap_up += o.wrap_up;
        self.not_ready += o.not_ready;
        for (k, v) in &o.reasons {
            *self.reasons.entry(k.clone()).or_default() += v;
        }
        self.calls += o.calls;
        self.handle += o.handle;
    }

    /// The totals, with cc-core's occupancy and utilization. Hold time comes from call
    /// records and is taken out of the time on calls (never below zero).
    pub fn totals(&self) -> PerformanceTotals {
        let hold = self.hold.min(self.on_call);
        let handling = self.on_call + self.wrap_up;
        let time = AgentTime {
            handling_secs: handling,
            available_secs: self.available + self.reserved,
            not_ready_secs: self.not_ready,
        };
        PerformanceTotals {
            logged_in_secs: handling + self.available + self.reserved + self.not_ready,
            available_secs: self.available,
            reserved_secs: self.reserved,
            talk_secs: self.on_call - hold,
            hold_secs: hold,
            wrap_up_secs: self.wrap_up,
            not_ready_secs: self.not_ready,
            not_ready_by_reason: self.reasons.clone(),
            occupancy: occupancy(&time),
            utilization: utilization(&time),
            calls_handled: self.calls,
            average_handle_secs: (self.calls > 0).then(|| self.handle / self.calls as f64),
        }
    }
}
