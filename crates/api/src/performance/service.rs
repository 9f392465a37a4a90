//! Reads what a performance report needs: the agents' state logs over the span (and the
//! state each was in when it began) and their answered calls; the arithmetic is
//! [`super::measure`]'s.

use std::collections::HashMap;

use cc_types::ErrorCode;
use cc_types::performance::{
    AgentPerformanceLine, MAX_PERFORMANCE_DAYS, Performance, PerformanceInterval, PerformanceQuery,
    ReportInterval,
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::call;
use super::measure::{Segment, Sums, boundaries, segments};
use crate::agents::entity::agent;
use crate::agents::scope::Reach;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::presence::entity::state_log;
use crate::shifts::service::zone_of;
use crate::shifts::time::report_span;
use crate::staffing::forecast::visible_team;
use crate::state::AppState;
use crate::users::entity as user;

type Span = (DateTime<Utc>, DateTime<Utc>);

/// The span asked (default: today in the zone), checked, and cut at now.
fn span_of(q: &PerformanceQuery, tz: Tz, now: DateTime<Utc>) -> ApiResult<(Span, Span)> {
    let (from, to) = report_span(tz, now, q.from, q.to, MAX_PERFORMANCE_DAYS)?;
    Ok(((from, to), (from, to.min(now).max(from))))
}

/// Each agent's segments over the span.
async fn timelines<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    agents: &[Uuid],
    span: Span,
) -> ApiResult<HashMap<Uuid, Vec<Segment>>> {
    let rows = state_log::Entity::find()
        .filter(state_log::Column::OrganizationId.eq(org))
        .filter(state_log::Column::AgentId.is_in(agents.to_vec()))
        .filter(state_log::Column::At.gte(span.0))
        .filter(state_log::Column::At.lt(span.1))
        .order_by_asc(state_log::Column::Version)
        .all(db)
        .await?;
    let mut by_agent: HashMap<Uuid, Vec<state_log::Model>> = HashMap::new();
    for r in rows {
        by_agent.entry(r.agent_id).or_default().push(r);
    }
    let mut out = HashMap::new();
    for id in agents {
        let before = state_log::Entity::find()
            .filter(state_log::Column::OrganizationId.eq(org))
            .filter(state_log::Column::AgentId.eq(*id))
            .filter(state_log::Column::At.lt(span.0))
            .order_by_desc(state_log::Column::Version)
            .one(db)
            .await?;
        let rows = by_agent.remove(id).unwrap_or_default();
        out.insert(*id, segments(before.as_ref(), &rows, span.0, span.1));
    }
    Ok(out)
}

/// The agents' answered calls over the span.
async fn answered<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    agents: &[Uuid],
    span: Span,
) -> ApiResult<Vec<call::Model>> {
    Ok(call::Entity::find()
        .filter(call::Column::OrganizationId.eq(org))
        .filter(call::Column::AgentId.is_in(agents.to_vec()))
        .filter(call::Column::Outcome.eq("answered"))
        .filter(call::Column::AnsweredAt.gte(span.0))
        .filter(call::Column::AnsweredAt.lt(span.1))
        .all(db)
        .await?)
}

/// The report of `agents` (id, name) over the span asked.
async fn report<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    agents: &[(Uuid, String)],
    q: &PerformanceQuery,
    now: DateTime<Utc>,
) -> ApiResult<(Performance, Vec<AgentPerformanceLine>)> {
    let tz = zone_of(q.time_zone.as_deref().unwrap_or("UTC"));
    let ((from, to), counted) = span_of(q, tz, now)?;
    let ids: Vec<Uuid> = agents.iter().map(|a| a.0).collect();
    let lines = timelines(db, org, &ids, counted).await?;
    let calls = answered(db, org, &ids, counted).await?;
    let interval = q.interval.unwrap_or(ReportInterval::Hour);
    let mut total = Sums::default();
    let mut people: Vec<(Uuid, String, Sums)> = agents
        .iter()
        .map(|(id, n)| (*id, n.clone(), Sums::default()))
        .collect();
    let mut by_agent: HashMap<Uuid, Vec<call::Model>> = HashMap::new();
    for c in calls {
        if let Some(agent) = c.agent_id {
            by_agent.entry(agent).or_default().push(c);
        }
    }
    let mut intervals = Vec::new();
    for span in boundaries(from, to, interval, tz) {
        let mut here = Sums::default();
        for (id, _, own) in &mut people {
            let mine = by_agent.get(id).map(Vec::as_slice).unwrap_or_default();
            let segs = lines.get(id).map(Vec::as_slice).unwrap_or_default();
            let sums = Sums::of(segs, mine, span);
            own.add(&sums);
            here.add(&sums);
        }
        total.add(&here);
        intervals.push(PerformanceInterval {
            start: span.0,
            end: span.1,
            totals: here.totals(),
        });
    }
    let lines = people
        .into_iter()
        .map(|(agent_id, display_name, sums)| AgentPerformanceLine {
            agent_id,
            display_name,
            totals: sums.totals(),
        })
        .collect();
    let report = Performance {
        from,
        to,
        interval,
        totals: total.totals(),
        intervals,
        agents: Vec::new(),
    };
    metrics::counter!("workforce_performance_reports_total").increment(1);
    Ok((report, lines))
}

/// One agent's performance (an agent the caller sees).
pub async fn of_agent(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    q: &PerformanceQuery,
) -> ApiResult<Performance> {
    let db = &state.infra.db;
    let reach = Reach::of(db, caller).await?;
    let (a, u) = agent::Entity::find_by_id(id)
        .filter(agent::Column::OrganizationId.eq(caller.organization_id))
        .find_also_related(user::Entity)
        .one(db)
        .await?
        .filter(|(a, _)| reach.sees(a))
        .ok_or(ApiError::Client(ErrorCode::NotFound))?;
    let name = u.map(|u| u.display_name).unwrap_or_default();
    let now = state.infra.clock.now();
    let (report, _) = report(db, caller.organization_id, &[(a.id, name)], q, now).await?;
    Ok(report)
}

/// A team's performance (a team the caller sees): its current members, with a line each.
pub async fn of_team(
    state: &AppState,
    caller: &Principal,
    team_id: Uuid,
    q: &PerformanceQuery,
) -> ApiResult<Performance> {
    let db = &state.infra.db;
    let org = caller.organization_id;
    visible_team(db, caller, team_id).await?;
    let members: Vec<(Uuid, String)> = agent::Entity::find()
        .filter(agent::Column::OrganizationId.eq(org))
        .filter(agent::Column::TeamId.eq(team_id))
        .find_also_related(user::Entity)
        .all(db)
        .await?
        .into_iter()
        .map(|(a, u)| (a.id, u.map(|u| u.display_name).unwrap_or_default()))
        .collect();
    let now = state.infra.clock.now();
    let (mut report, mut lines) = report(db, org, &members, q, now).await?;
    lines.sort_by(|a, b| {
        a.display_name
            .to_lowercase()
            .cmp(&b.display_name.to_lowercase())
    });
    report.agents = lines;
    Ok(report)
}
