//! Shifts: one agent's working time, refused when it overlaps another of theirs (409
//! naming it), changed only by those who manage the agent, seen by those who see them.

use cc_types::events::{DomainEvent, Topic};
use cc_types::shifts::{CreateShiftRequest, Shift, ShiftBreak, ShiftListQuery, UpdateShiftRequest};
use cc_types::{Conflict, ErrorCode, Page};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set,
    TransactionTrait,
};
use uuid::Uuid;

use super::entity::shift;
use super::time::{check, paid_minutes};
use crate::agents::entity::agent;
use crate::agents::scope::Reach;
use crate::auth::Principal;
use crate::db::{lock_organization, page};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::users::entity as user;

/// The zone a shift is shown in: its own, if it names a real one, else UTC.
pub fn zone_of(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// The breaks of a row.
pub fn breaks_of(m: &shift::Model) -> Vec<ShiftBreak> {
    serde_json::from_str(&m.breaks).unwrap_or_default()
}

/// The DTO of a row.
pub fn to_dto(m: shift::Model) -> Shift {
    let breaks = breaks_of(&m);
    Shift {
        local_date: m
            .start_at
            .with_timezone(&zone_of(&m.time_zone))
            .date_naive(),
        paid_minutes: paid_minutes(m.start_at, m.end_at, &breaks),
        breaks,
        id: m.id,
        organization_id: m.organization_id,
        agent_id: m.agent_id,
        start: m.start_at,
        end: m.end_at,
        template_id: m.template_id,
        time_zone: m.time_zone,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// The shifts the caller sees, optionally of one agent or team, overlapping a span.
pub async fn list(
    state: &AppState,
    caller: &Principal,
    q: &ShiftListQuery,
) -> ApiResult<Page<Shift>> {
    let db = &state.infra.db;
    let org = caller.organization_id;
    let reach = Reach::of(db, caller).await?;
    let mut cond = Condition::all()
        .add(shift::Column::OrganizationId.eq(org))
        .add(reach.condition());
    if let Some(from) = q.from {
        cond = cond.add(shift::Column::EndAt.gt(from));
    }
    if let Some(to) = q.to {
        cond = cond.add(shift::Column::StartAt.lt(to));
    }
    if let Some(a) = q.agent_id {
        cond = cond.add(shift::Column::AgentId.eq(a));
    }
    if let Some(t) = q.team_id {
        cond = cond.add(agent::Column::TeamId.eq(t));
    }
    let select = shift::Entity::find()
        .join(JoinType::InnerJoin, shift::Relation::Agent.def())
        .filter(cond)
        .order_by_asc(shift::Column::StartAt)
        .order_by_asc(shift::Column::Id);
    page(select, q.limit, q.offset, db, to_dto).await
}

/// A shift with its agent, if the caller sees the agent.
async fn seen<C: ConnectionTrait>(
    db: &C,
    caller: &Principal,
    reach: &Reach,
    id: Uuid,
) -> ApiResult<(shift::Model, agent::Model)> {
    shift::Entity::find_by_id(id)
        .filter(shift::Column::OrganizationId.eq(caller.organization_id))
        .find_also_related(agent::Entity)
        .one(db)
        .await?
        .and_then(|(s, a)| a.map(|a| (s, a)))
        .filter(|(_, a)| reach.sees(a))
        .ok_or(ApiError::Client(ErrorCode::NotFound))
}

/// A shift the caller sees.
pub async fn get(state: &AppState, caller: &Principal, id: Uuid) -> ApiResult<Shift> {
    let db = &state.infra.db;
    let reach = Reach::of(db, caller).await?;
    Ok(to_dto(seen(db, caller, &reach, id).await?.0))
}

/// The agent a shift is for, if the caller manages them: unseen answers 404 on
/// `agent_id`, seen but not managed (a supervisor's fellow supervisor) 403.
pub async fn managed_agent(
    tx: &DatabaseTransaction,
    caller: &Principal,
    reach: &Reach,
    id: Uuid,
) -> ApiResult<agent::Model> {
    let (a, u) = agent::Entity::find_by_id(id)
        .filter(agent::Column::OrganizationId.eq(caller.organization_id))
        .find_also_related(user::Entity)
        .one(tx)
        .await?
        .and_then(|(a, u)| u.map(|u| (a, u)))
        .filter(|(a, _)| reach.sees(a))
        .ok_or(ApiError::MissingReference("agent_id"))?;
    if !reach.manages(a.team_id, &u.role) {
        return Err(ErrorCode::Forbidden.into());
    }
    Ok(a)
}

/// Refuses a span that overlaps another shift of the agent (409 `shift_overlap`, naming
/// the shifts in their time zone).
pub async fn refuse_overlap(
    tx: &DatabaseTransaction,
    org: Uuid,
    agent_id: Uuid,
    span: (DateTime<Utc>, DateTime<Utc>),
    except: Option<Uuid>,
) -> ApiResult<()> {
    let mut select = shift::Entity::find()
        .filter(shift::Column::OrganizationId.eq(org))
        .filter(shift::Column::AgentId.eq(agent_id))
        .filter(shift::Column::StartAt.lt(span.1))
        .filter(shift::Column::EndAt.gt(span.0));
    if let Some(id) = except {
        select = select.filter(shift::Column::Id.ne(id));
    }
    let clashes = select
        .order_by_asc(shift::Column::StartAt)
        .limit(20)
        .all(tx)
        .await?;
    if clashes.is_empty() {
        return Ok(());
    }
    Err(ApiError::Blocked {
        code: ErrorCode::ShiftOverlap,
        conflicts: clashes.iter().map(named).collect(),
    })
}

/// A shift as a blocking row: `2027-03-27 22:00–06:00 Europe/Prague`.
fn named(m: &shift::Model) -> Conflict {
    let tz = zone_of(&m.time_zone);
    let (s, e) = (m.start_at.with_timezone(&tz), m.end_at.with_timezone(&tz));
    Conflict {
        kind: "shift".into(),
        id: m.id,
        name: format!(
            "{}–{} {}",
            s.format("%Y-%m-%d %H:%M"),
            e.format("%H:%M"),
            m.time_zone
        ),
    }
}

/// The zone an agent's shifts are planned in: theirs, else `fallback`, else UTC.
pub fn agent_zone(a: &agent::Model, fallback: Option<&str>) -> String {
    a.time_zone
        .as_deref()
        .or(fallback)
        .filter(|z| z.parse::<Tz>().is_ok())
        .unwrap_or("UTC")
        .to_owned()
}

/// What a new shift is made of.
pub struct NewShift {
    /// The agent.
    pub agent: agent::Model,
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// Breaks.
    pub breaks: Vec<ShiftBreak>,
    /// The template it came from.
    pub template_id: Option<Uuid>,
    /// The zone it is planned in.
    pub time_zone: String,
}

/// Writes a checked shift after refusing overlaps; the caller holds the organization's
/// lock.
pub async fn insert(
    tx: &DatabaseTransaction,
    org: Uuid,
    now: DateTime<Utc>,
    new: NewShift,
) -> ApiResult<shift::Model> {
    check(new.start, new.end, &new.breaks).map_err(ApiError::Validation)?;
    refuse_overlap(tx, org, new.agent.id, (new.start, new.end), None).await?;
    let mut breaks = new.breaks;
    breaks.sort_by_key(|b| b.start);
    Ok(shift::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org),
        agent_id: Set(new.agent.id),
        start_at: Set(new.start),
        end_at: Set(new.end),
        breaks: Set(serde_json::to_string(&breaks).unwrap_or_else(|_| "[]".into())),
        template_id: Set(new.template_id),
        time_zone: Set(new.time_zone),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(tx)
    .await?)
}

/// Counts a change, logs it and tells the organization's screens.
pub async fn announce(
    state: &AppState,
    org: Uuid,
    action: &'static str,
    agents: Vec<Uuid>,
    n: usize,
) {
    metrics::counter!("workforce_shift_changes_total", "action" => action).increment(n as u64);
    tracing::info!(action, shifts = n, "shifts changed");
    let mut agent_ids = agents;
    agent_ids.sort();
    agent_ids.dedup();
    state
        .infra
        .bus
        .publish(
            org,
            Topic::Organization,
            DomainEvent::ShiftsChanged { agent_ids },
        )
        .await;
}

/// Schedules one shift.
pub async fn create(
    state: &AppState,
    caller: &Principal,
    req: CreateShiftRequest,
) -> ApiResult<Shift> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    let reach = Reach::of(&tx, caller).await?;
    let agent = managed_agent(&tx, caller, &reach, req.agent_id).await?;
    let time_zone = agent_zone(&agent, None);
    let row = insert(
        &tx,
        org,
        state.infra.clock.now(),
        NewShift {
            agent,
            start: req.start,
            end: req.end,
            breaks: req.breaks,
            template_id: None,
            time_zone,
        },
    )
    .await?;
    tx.commit().await?;
    announce(state, org, "create", vec![row.agent_id], 1).await;
    Ok(to_dto(row))
}

/// Moves, resizes or re-breaks a shift.
pub async fn update(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    req: UpdateShiftRequest,
) -> ApiResult<Shift> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    let reach = Reach::of(&tx, caller).await?;
    let (row, a) = seen(&tx, caller, &reach, id).await?;
    managed_agent(&tx, caller, &reach, a.id).await?;
    let start = req.start.unwrap_or(row.start_at);
    let end = req.end.unwrap_or(row.end_at);
    let mut breaks = req.breaks.unwrap_or_else(|| breaks_of(&row));
    check(start, end, &breaks).map_err(ApiError::Validation)?;
    refuse_overlap(&tx, org, a.id, (start, end), Some(id)).await?;
    breaks.sort_by_key(|b| b.start);
    let mut active = row.into_active_model();
    active.start_at = Set(start);
    active.end_at = Set(end);
    active.breaks = Set(serde_json::to_string(&breaks).unwrap_or_else(|_| "[]".into()));
    active.updated_at = Set(state.infra.clock.now());
    let saved = active.update(&tx).await?;
    tx.commit().await?;
    announce(state, org, "update", vec![saved.agent_id], 1).await;
    Ok(to_dto(saved))
}

/// Deletes a shift.
pub async fn delete(state: &AppState, caller: &Principal, id: Uuid) -> ApiResult<()> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    let reach = Reach::of(&tx, caller).await?;
    let (_, a) = seen(&tx, caller, &reach, id).await?;
    managed_agent(&tx, caller, &reach, a.id).await?;
    shift::Entity::delete_many()
        .filter(shift::Column::OrganizationId.eq(org))
        .filter(shift::Column::Id.eq(id))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    announce(state, org, "delete", vec![a.id], 1).await;
    Ok(())
}
