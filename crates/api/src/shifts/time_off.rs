//! Time off: agents ask for their own (supervisors and admins for the agents they manage),
//! a supervisor who manages the agent approves or denies once, the requester withdraws a
//! pending one, a manager cancels any. Two live requests of one agent never overlap.

use cc_types::events::{DomainEvent, Topic};
use cc_types::time_off::{
    MAX_TIME_OFF_DAYS, TimeOff, TimeOffDecision, TimeOffListQuery, TimeOffRequest, TimeOffStatus,
};
use cc_types::{Conflict, ErrorCode, Page, Role};
use chrono::TimeDelta;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, IntoActiveModel,
    JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set, TransactionTrait,
};
use uuid::Uuid;

use super::entity::time_off as row;
use super::service::managed_agent;
use crate::agents::entity::agent;
use crate::agents::scope::Reach;
use crate::auth::Principal;
use crate::db::{lock_organization, page};
use crate::error::{ApiError, ApiResult, FieldIssue};
use crate::state::AppState;

/// Live statuses: the ones that block another request over the same span.
const LIVE: [&str; 2] = ["pending", "approved"];

fn status_of(s: &str) -> TimeOffStatus {
    TimeOffStatus::ALL
        .into_iter()
        .find(|x| x.as_str() == s)
        .unwrap_or(TimeOffStatus::Cancelled)
}

/// The DTO of a row.
pub fn to_dto(m: row::Model) -> TimeOff {
    TimeOff {
        status: status_of(&m.status),
        id: m.id,
        organization_id: m.organization_id,
        agent_id: m.agent_id,
        start: m.start_at,
        end: m.end_at,
        reason: m.reason,
        requested_by: m.requested_by,
        decided_by: m.decided_by,
        decided_at: m.decided_at,
        note: m.note,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// The requests the caller sees, newest first.
pub async fn list(
    state: &AppState,
    caller: &Principal,
    q: &TimeOffListQuery,
) -> ApiResult<Page<TimeOff>> {
    let db = &state.infra.db;
    let reach = Reach::of(db, caller).await?;
    let mut cond = Condition::all()
        .add(row::Column::OrganizationId.eq(caller.organization_id))
        .add(reach.condition());
    if let Some(s) = q.status {
        cond = cond.add(row::Column::Status.eq(s.as_str()));
    }
    if let Some(a) = q.agent_id {
        cond = cond.add(row::Column::AgentId.eq(a));
    }
    if let Some(t) = q.team_id {
        cond = cond.add(agent::Column::TeamId.eq(t));
    }
    if let Some(from) = q.from {
        cond = cond.add(row::Column::EndAt.gt(from));
    }
    if let Some(to) = q.to {
        cond = cond.add(row::Column::StartAt.lt(to));
    }
    let select = row::Entity::find()
        .join(JoinType::InnerJoin, row::Relation::Agent.def())
        .filter(cond)
        .order_by_desc(row::Column::StartAt)
        .order_by_desc(row::Column::Id);
    page(select, q.limit, q.offset, db, to_dto).await
}

/// The agent a request is for: the caller's own profile, or one they manage.
async fn subject(
    tx: &DatabaseTransaction,
    caller: &Principal,
    reach: &Reach,
    asked: Option<Uuid>,
) -> ApiResult<agent::Model> {
    let own = match caller.user_id {
        Some(user) => crate::agents::service::own_profile(tx, caller.organization_id, user).await?,
        None => None,
    };
    match (asked, own) {
        (None, Some(own)) => Ok(own),
        (None, None) => Err(ApiError::MissingReference("agent_id")),
        (Some(id), Some(own)) if own.id == id => Ok(own),
        (Some(id), _) => managed_agent(tx, caller, reach, id).await,
    }
}

fn check_span(req: &TimeOffRequest) -> ApiResult<()> {
    if req.end <= req.start {
        return Err(ApiError::Validation(vec![FieldIssue::new(
            "end",
            "after_start",
        )]));
    }
    if req.end - req.start > TimeDelta::days(MAX_TIME_OFF_DAYS) {
        return Err(ApiError::Validation(vec![FieldIssue {
            max: Some(MAX_TIME_OFF_DAYS),
            ..FieldIssue::new("end", "max_days")
        }]));
    }
    Ok(())
}

async fn announce(state: &AppState, org: Uuid, action: &'static str, agent_id: Uuid) {
    metrics::counter!("workforce_time_off_changes_total", "action" => action).increment(1);
    tracing::info!(action, %agent_id, "time off changed");
    state
        .infra
        .bus
        .publish(
            org,
            Topic::Organization,
            DomainEvent::ShiftsChanged {
                agent_ids: vec![agent_id],
            },
        )
        .await;
}

/// Asks for time off; refused (409 naming it) over another live request of the agent.
pub async fn request(
    state: &AppState,
    caller: &Principal,
    req: TimeOffRequest,
) -> ApiResult<TimeOff> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    let reach = Reach::of(&tx, caller).await?;
    let agent = subject(&tx, caller, &reach, req.agent_id).await?;
    check_span(&req)?;
    let clashes = row::Entity::find()
        .filter(row::Column::OrganizationId.eq(org))
        .filter(row::Column::AgentId.eq(agent.id))
        .filter(row::Column::Status.is_in(LIVE))
        .filter(row::Column::StartAt.lt(req.end))
        .filter(row::Column::EndAt.gt(req.start))
        .limit(20)
        .all(&tx)
        .await?;
    if !clashes.is_empty() {
        return Err(ApiError::Blocked {
            code: ErrorCode::TimeOffOverlap,
            conflicts: clashes
                .iter()
                .map(|c| Conflict {
                    kind: "time_off".into(),
                    id: c.id,
                    name: format!(
                        "{}–{}",
                        c.start_at.format("%Y-%m-%d %H:%M"),
                        c.end_at.format("%Y-%m-%d %H:%M UTC")
                    ),
                })
                .collect(),
        });
    }
    let now = state.infra.clock.now();
    let saved = row::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org),
        agent_id: Set(agent.id),
        start_at: Set(req.start),
        end_at: Set(req.end),
        reason: Set(req
            .reason
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())),
        status: Set(TimeOffStatus::Pending.as_str().into()),
        requested_by: Set(caller.user_id),
        decided_by: Set(None),
        decided_at: Set(None),
        note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    tx.commit().await?;
    announce(state, org, "request", agent.id).await;
    Ok(to_dto(saved))
}

/// A request the caller sees, with its agent (the caller holds the organization's lock).
async fn seen(
    tx: &DatabaseTransaction,
    caller: &Principal,
    reach: &Reach,
    id: Uuid,
) -> ApiResult<(row::Model, agent::Model)> {
    row::Entity::find_by_id(id)
        .filter(row::Column::OrganizationId.eq(caller.organization_id))
        .find_also_related(agent::Entity)
        .one(tx)
        .await?
        .and_then(|(r, a)| a.map(|a| (r, a)))
        .filter(|(_, a)| reach.sees(a))
        .ok_or(ApiError::Client(ErrorCode::NotFound))
}

/// Approves or denies a pending request of an agent the caller manages.
pub async fn decide(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    d: TimeOffDecision,
) -> ApiResult<TimeOff> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    let reach = Reach::of(&tx, caller).await?;
    let (r, a) = seen(&tx, caller, &reach, id).await?;
    managed_agent(&tx, caller, &reach, a.id).await?;
    if r.status != TimeOffStatus::Pending.as_str() {
        return Err(ErrorCode::AlreadyDecided.into());
    }
    let status = if d.approve {
        TimeOffStatus::Approved
    } else {
        TimeOffStatus::Denied
    };
    let now = state.infra.clock.now();
    let mut active = r.into_active_model();
    active.status = Set(status.as_str().into());
    active.decided_by = Set(caller.user_id);
    active.decided_at = Set(Some(now));
    active.note = Set(d
        .note
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty()));
    active.updated_at = Set(now);
    let saved = active.update(&tx).await?;
    tx.commit().await?;
    announce(state, org, status.as_str(), a.id).await;
    Ok(to_dto(saved))
}

/// Withdraws a request: the agent their own pending one, a manager any live one.
pub async fn cancel(state: &AppState, caller: &Principal, id: Uuid) -> ApiResult<TimeOff> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    let reach = Reach::of(&tx, caller).await?;
    let (r, a) = seen(&tx, caller, &reach, id).await?;
    let own = caller.user_id.is_some_and(|u| u == a.user_id);
    let status = status_of(&r.status);
    let allowed = match caller.role {
        Role::Admin | Role::Supervisor if !own => {
            managed_agent(&tx, caller, &reach, a.id).await?;
            true
        }
        _ => own,
    };
    if !allowed {
        return Err(ErrorCode::Forbidden.into());
    }
    let may = matches!(
        (own, status),
        (_, TimeOffStatus::Pending) | (false, TimeOffStatus::Approved)
    );
    if !may {
        return Err(ErrorCode::AlreadyDecided.into());
    }
    let now = state.infra.clock.now();
    let mut active = r.into_active_model();
    active.status = Set(TimeOffStatus::Cancelled.as_str().into());
    active.decided_by = Set(caller.user_id);
    active.decided_at = Set(Some(now));
    active.updated_at = Set(now);
    let saved = active.update(&tx).await?;
    tx.commit().await?;
    announce(state, org, "cancel", a.id).await;
    Ok(to_dto(saved))
}
