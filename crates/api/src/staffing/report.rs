//! The staffing report of a team over a span: per interval, the forecast workload, the
//! agents Erlang C and Erlang A require for the forecast's target, the agents the schedule
//! puts on the phones (shifts minus breaks and approved time off) and what Erlang A
//! predicts with them.

use cc_core::staffing::{
    ScheduledShift, ShiftBreak, agents_for_service_level, agents_on_phones,
    erlang_a_abandon_probability, erlang_a_agents_for_service_level, erlang_a_service_level,
};
use cc_types::staffing::{
    MAX_STAFFING_DAYS, StaffingQuery, StaffingStatus, TeamStaffing, TeamStaffingInterval,
};
use cc_types::workforce::IntervalLength;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entity as row;
use super::forecast::{overlapping, slices, visible_team};
use crate::agents::entity::agent;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::shifts::entity::{shift, time_off};
use crate::shifts::service::breaks_of;
use crate::shifts::time::report_span;
use crate::state::AppState;

/// Most agents the Erlang A search tries before calling a target out of reach.
const MAX_AGENTS: u32 = 100_000;

/// One forecast interval with the parameters of its day.
#[derive(Debug, Clone, Copy)]
pub struct Slice {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    calls: f64,
    aht: f64,
    level: f64,
    within: f64,
    patience: f64,
}

fn secs(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_milliseconds().max(0) as f64 / 1000.0
}

fn overlap(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> f64 {
    secs(a.0.max(b.0), a.1.min(b.1))
}

/// Every forecast interval of the rows.
pub fn forecast_slices(rows: &[row::Model]) -> Vec<Slice> {
    rows.iter()
        .flat_map(|m| {
            slices(m).into_iter().map(|(start, end, calls)| Slice {
                start,
                end,
                calls,
                aht: m.aht_secs,
                level: m.service_level,
                within: m.answer_within_secs,
                patience: m.patience_secs,
            })
        })
        .collect()
}

/// The forecast of `span`: calls spread evenly over each forecast interval, the handle
/// time weighted by calls, the target of the forecast interval covering most of the span.
fn workload(slices: &[Slice], span: (DateTime<Utc>, DateTime<Utc>)) -> Option<Slice> {
    let covering: Vec<(f64, &Slice)> = slices
        .iter()
        .map(|s| (overlap((s.start, s.end), span), s))
        .filter(|(o, _)| *o > 0.0)
        .collect();
    let (_, main) = covering
        .iter()
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .copied()?;
    let share = |o: f64, s: &Slice| s.calls * o / secs(s.start, s.end).max(1.0);
    let calls: f64 = covering.iter().map(|(o, s)| share(*o, s)).sum();
    let weighted: f64 = covering.iter().map(|(o, s)| share(*o, s) * s.aht).sum();
    let aht = if calls > 0.0 {
        weighted / calls
    } else {
        main.aht
    };
    Some(Slice {
        start: span.0,
        end: span.1,
        calls,
        aht,
        ..*main
    })
}

/// One interval of the report.
pub fn interval(
    slices: &[Slice],
    shifts: &[ScheduledShift],
    span: (DateTime<Utc>, DateTime<Utc>),
) -> TeamStaffingInterval {
    let scheduled = agents_on_phones(shifts, span.0, span.1);
    let Some(w) = workload(slices, span) else {
        return TeamStaffingInterval {
            start: span.0,
            end: span.1,
            calls: 0.0,
            aht_secs: None,
            traffic_erlangs: 0.0,
            required_erlang_c: None,
            required_erlang_a: None,
            scheduled_agents: scheduled,
            predicted_service_level: None,
            predicted_abandon_rate: None,
            status: StaffingStatus::NoForecast,
        };
    };
    let traffic = w.calls * w.aht / secs(span.0, span.1).max(1.0);
    let erlang_c = agents_for_service_level(traffic, w.aht, w.within, w.level);
    let erlang_a = erlang_a_agents_for_service_level(
        traffic, w.aht, w.patience, w.within, w.level, MAX_AGENTS,
    );
    let whole = (scheduled + 1e-9).floor() as u32;
    let short_of = |n: u32| scheduled + 1e-9 < f64::from(n);
    let status = match erlang_a {
        None => StaffingStatus::Understaffed,
        Some(a) if short_of(a) => StaffingStatus::Understaffed,
        Some(_) if short_of(erlang_c) => StaffingStatus::AtRisk,
        Some(_) => StaffingStatus::Covered,
    };
    TeamStaffingInterval {
        start: span.0,
        end: span.1,
        calls: w.calls,
        aht_secs: Some(w.aht),
        traffic_erlangs: traffic,
        required_erlang_c: Some(erlang_c),
        required_erlang_a: erlang_a,
        scheduled_agents: scheduled,
        predicted_service_level: Some(erlang_a_service_level(
            whole, traffic, w.aht, w.patience, w.within,
        )),
        predicted_abandon_rate: Some(erlang_a_abandon_probability(
            whole, traffic, w.aht, w.patience,
        )),
        status,
    }
}

/// The team members' shifts over the span, each with its breaks and the approved time
/// off inside it taken off the phones.
async fn schedule<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    team_id: Uuid,
    span: (DateTime<Utc>, DateTime<Utc>),
) -> ApiResult<Vec<ScheduledShift>> {
    let members: Vec<Uuid> = agent::Entity::find()
        .filter(agent::Column::OrganizationId.eq(org))
        .filter(agent::Column::TeamId.eq(team_id))
        .all(db)
        .await?
        .iter()
        .map(|a| a.id)
        .collect();
    let shifts = shift::Entity::find()
        .filter(shift::Column::OrganizationId.eq(org))
        .filter(shift::Column::AgentId.is_in(members.clone()))
        .filter(shift::Column::StartAt.lt(span.1))
        .filter(shift::Column::EndAt.gt(span.0))
        .all(db)
        .await?;
    let away = time_off::Entity::find()
        .filter(time_off::Column::OrganizationId.eq(org))
        .filter(time_off::Column::AgentId.is_in(members))
        .filter(time_off::Column::Status.eq("approved"))
        .filter(time_off::Column::StartAt.lt(span.1))
        .filter(time_off::Column::EndAt.gt(span.0))
        .all(db)
        .await?;
    Ok(shifts
        .iter()
        .map(|s| {
            let mut breaks: Vec<ShiftBreak> = breaks_of(s)
                .iter()
                .map(|b| ShiftBreak {
                    start: b.start,
                    end: b.end,
                })
                .collect();
            // Time off covering a break must not be counted twice: merge them.
            let off = away
                .iter()
                .filter(|t| t.agent_id == s.agent_id)
                .map(|t| ShiftBreak {
                    start: t.start_at.max(s.start_at),
                    end: t.end_at.min(s.end_at),
                })
                .filter(|b| b.end > b.start);
            breaks.extend(off);
            ScheduledShift {
                start: s.start_at,
                end: s.end_at,
                breaks: merged(breaks),
            }
        })
        .collect())
}

/// Breaks merged where they overlap, by start.
fn merged(mut breaks: Vec<ShiftBreak>) -> Vec<ShiftBreak> {
    breaks.sort_by_key(|b| b.start);
    let mut out: Vec<ShiftBreak> = Vec::with_capacity(breaks.len());
    for b in breaks {
        match out.last_mut() {
            Some(last) if b.start <= last.end => last.end = last.end.max(b.end),
            _ => out.push(b),
        }
    }
    out
}

/// The span asked, checked: by default today (UTC), at most seven days.
fn span_of(q: &StaffingQuery, now: DateTime<Utc>) -> ApiResult<(DateTime<Utc>, DateTime<Utc>)> {
    report_span(chrono_tz::UTC, now, q.from, q.to, MAX_STAFFING_DAYS)
}

/// The team's staffing report over the span asked.
pub async fn of_team(
    state: &AppState,
    caller: &Principal,
    team_id: Uuid,
    q: &StaffingQuery,
) -> ApiResult<TeamStaffing> {
    let db = &state.infra.db;
    let org = caller.organization_id;
    let (from, to) = span_of(q, state.infra.clock.now())?;
    visible_team(db, caller, team_id).await?;
    let rows = overlapping(db, org, team_id, (from, to)).await?;
    let shifts = schedule(db, org, team_id, (from, to)).await?;
    let interval = q.interval.unwrap_or(IntervalLength::Minutes30);
    let slices = forecast_slices(&rows);
    let first = rows.first().cloned();
    let intervals = tokio::task::spawn_blocking(move || {
        let step = TimeDelta::seconds(i64::from(interval.secs()));
        let mut out = Vec::new();
        let mut at = from;
        while at < to {
            let end = (at + step).min(to);
            out.push(self::interval(&slices, &shifts, (at, end)));
            at = end;
        }
        out
    })
    .await
    .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("staffing")))?;
    let understaffed = intervals
        .iter()
        .filter(|i| i.status == StaffingStatus::Understaffed)
        .count();
    metrics::counter!("workforce_staffing_reports_total").increment(1);
    Ok(TeamStaffing {
        team_id,
        from,
        to,
        interval,
        service_level: first.as_ref().map(|m| m.service_level),
        answer_within_secs: first.as_ref().map(|m| m.answer_within_secs),
        patience_secs: first.as_ref().map(|m| m.patience_secs),
        understaffed_intervals: u32::try_from(understaffed).unwrap_or(u32::MAX),
        intervals,
    })
}
