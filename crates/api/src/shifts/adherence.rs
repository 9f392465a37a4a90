//! Adherence of an agent over a span: their shifts (work, breaks) against the agent-state
//! log, through `cc_core::kpi::adherence`. Computed from the append-only log, so a past
//! day reads the same every time; today counts up to now.

use cc_core::kpi::{Segment, schedule_adherence};
use cc_types::ErrorCode;
use cc_types::adherence::{AdherenceInterval, AdherenceQuery, AgentAdherence, MAX_ADHERENCE_DAYS};
use cc_types::presence::PresenceState;
use cc_types::workforce::IntervalLength;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entity::shift;
use super::service::{agent_zone, breaks_of, zone_of};
use crate::agents::entity::agent;
use crate::agents::scope::Reach;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::presence::entity::state_log;
use crate::shifts::time::report_span;
use crate::state::AppState;

/// What the schedule says at a moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Planned {
    /// Working: on the phones.
    Work,
    /// A break: away.
    Break,
}

/// Whether a state fulfils what was planned.
pub fn fulfils(planned: &Planned, state: &PresenceState) -> bool {
    let on_phones = on_phones(*state);
    match planned {
        Planned::Work => on_phones,
        Planned::Break => !on_phones,
    }
}

fn on_phones(state: PresenceState) -> bool {
    matches!(
        state,
        PresenceState::Available
            | PresenceState::Reserved
            | PresenceState::OnCall
            | PresenceState::WrapUp
    )
}

fn secs(t: DateTime<Utc>) -> f64 {
    t.timestamp_millis() as f64 / 1000.0
}

fn clip<T: Copy>(segments: &[Segment<T>], from: f64, to: f64) -> Vec<Segment<T>> {
    segments
        .iter()
        .filter_map(|s| {
            let (start, end) = (s.start.max(from), s.end.min(to));
            (end > start).then_some(Segment {
                start,
                end,
                what: s.what,
            })
        })
        .collect()
}

/// The planned segments of shifts: work between breaks, and the breaks.
pub fn planned(shifts: &[shift::Model]) -> Vec<Segment<Planned>> {
    let mut out = Vec::new();
    for s in shifts {
        let mut cursor = secs(s.start_at);
        let mut breaks = breaks_of(s);
        breaks.sort_by_key(|b| b.start);
        for b in breaks {
            let (bs, be) = (secs(b.start), secs(b.end));
            if bs > cursor {
                out.push(Segment {
                    start: cursor,
                    end: bs,
                    what: Planned::Work,
                });
            }
            out.push(Segment {
                start: bs,
                end: be,
                what: Planned::Break,
            });
            cursor = cursor.max(be);
        }
        let end = secs(s.end_at);
        if end > cursor {
            out.push(Segment {
                start: cursor,
                end,
                what: Planned::Work,
            });
        }
    }
    out
}

/// The states the log shows from `from` to `to` (the one in force at `from` included).
pub fn actual(
    before: Option<&state_log::Model>,
    rows: &[state_log::Model],
    from: f64,
    to: f64,
) -> Vec<Segment<PresenceState>> {
    let parse = |s: &str| -> PresenceState {
        serde_json::from_value(serde_json::Value::String(s.to_owned()))
            .unwrap_or(PresenceState::Offline)
    };
    let mut marks: Vec<(f64, PresenceState)> = Vec::new();
    marks.push((
        from,
        before.map_or(PresenceState::Offline, |b| parse(&b.state)),
    ));
    marks.extend(rows.iter().map(|r| (secs(r.at).max(from), parse(&r.state))));
    marks
        .iter()
        .enumerate()
        .filter_map(|(i, (start, what))| {
            let end = marks.get(i + 1).map_or(to, |n| n.0).min(to);
            (end > *start).then_some(Segment {
                start: *start,
                end,
                what: *what,
            })
        })
        .collect()
}

/// Adherence, conformance and the breakdown, from planned and actual segments.
pub fn measure(
    agent_id: Uuid,
    span: (DateTime<Utc>, DateTime<Utc>),
    interval: IntervalLength,
    plan: &[Segment<Planned>],
    did: &[Segment<PresenceState>],
) -> AgentAdherence {
    let (from, to) = (secs(span.0), secs(span.1));
    let plan = clip(plan, from, to);
    let did = clip(did, from, to);
    let total = |p: &[Segment<Planned>]| p.iter().map(|s| s.end - s.start).sum::<f64>();
    let scheduled = total(&plan);
    let adherence = schedule_adherence(&plan, &did, fulfils);
    let adherent = adherence.unwrap_or(0.0) * scheduled;
    let work: f64 = plan
        .iter()
        .filter(|s| s.what == Planned::Work)
        .map(|s| s.end - s.start)
        .sum();
    let phones: f64 = did
        .iter()
        .filter(|s| on_phones(s.what))
        .map(|s| s.end - s.start)
        .sum();
    let step = f64::from(interval.secs());
    let mut intervals = Vec::new();
    let mut at = from;
    while at < to {
        let end = (at + step).min(to);
        let p = clip(&plan, at, end);
        let a = schedule_adherence(&p, &clip(&did, at, end), fulfils);
        let s = total(&p);
        intervals.push(AdherenceInterval {
            start: span.0 + TimeDelta::milliseconds(((at - from) * 1000.0) as i64),
            scheduled_secs: s,
            adherent_secs: a.unwrap_or(0.0) * s,
            adherence: a,
        });
        at = end;
    }
    AgentAdherence {
        agent_id,
        from: span.0,
        to: span.1,
        scheduled_minutes: scheduled / 60.0,
        adherent_minutes: adherent / 60.0,
        out_of_adherence_minutes: (scheduled - adherent) / 60.0,
        adherence,
        conformance: (work > 0.0).then(|| phones / work),
        intervals,
    }
}

/// An agent's adherence over the span asked (by default today, in the agent's zone).
pub async fn of_agent(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    q: &AdherenceQuery,
) -> ApiResult<AgentAdherence> {
    let db = &state.infra.db;
    let org = caller.organization_id;
    let reach = Reach::of(db, caller).await?;
    let a = agent::Entity::find_by_id(id)
        .filter(agent::Column::OrganizationId.eq(org))
        .one(db)
        .await?
        .filter(|a| reach.sees(a))
        .ok_or(ApiError::Client(ErrorCode::NotFound))?;
    let now = state.infra.clock.now();
    let tz = zone_of(&agent_zone(&a, None));
    let (from, to) = report_span(tz, now, q.from, q.to, MAX_ADHERENCE_DAYS)?;
    let until = to.min(now).max(from);
    let shifts = shift::Entity::find()
        .filter(shift::Column::OrganizationId.eq(org))
        .filter(shift::Column::AgentId.eq(id))
        .filter(shift::Column::StartAt.lt(until))
        .filter(shift::Column::EndAt.gt(from))
        .all(db)
        .await?;
    let log = state_log::Entity::find()
        .filter(state_log::Column::OrganizationId.eq(org))
        .filter(state_log::Column::AgentId.eq(id));
    let before = log
        .clone()
        .filter(state_log::Column::At.lt(from))
        .order_by_desc(state_log::Column::Version)
        .one(db)
        .await?;
    let rows = log
        .filter(state_log::Column::At.gte(from))
        .filter(state_log::Column::At.lt(until))
        .order_by_asc(state_log::Column::Version)
        .all(db)
        .await?;
    let did = actual(before.as_ref(), &rows, secs(from), secs(until));
    let interval = q.interval.unwrap_or(IntervalLength::Minutes30);
    Ok(measure(
        id,
        (from, until),
        interval,
        &planned(&shifts),
        &did,
    ))
}
