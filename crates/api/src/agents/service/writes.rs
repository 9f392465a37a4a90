//! Changing agent profiles: one per agent or supervisor, extensions unique, skills from
//! the organization's catalogue at levels 1–10, teams the caller may staff.

use std::collections::{BTreeMap, BTreeSet};

use cc_types::ErrorCode;
use cc_types::agents::{Agent, AgentSkill, CreateAgentRequest, LanguageTag, UpdateAgentRequest};
use cc_types::events::{DomainEvent, Topic};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use super::reads::{dto, row, with_presence};
use crate::agents::entity::{agent, agent_queue, agent_skill};
use crate::agents::scope::Reach;
use crate::auth::Principal;
use crate::db::enums::DbRole;
use crate::db::{is_unique_violation_on, lock_organization};
use crate::error::{ApiError, ApiResult};
use crate::skills::entity as skill;
use crate::state::AppState;
use crate::users::entity as user;

/// Repeated tags count once, in canonical case, in the order first given.
pub(crate) fn languages_json(tags: &[LanguageTag]) -> String {
    let mut seen = BTreeSet::new();
    let list: Vec<LanguageTag> = tags
        .iter()
        .map(LanguageTag::canonical)
        .filter(|t| seen.insert(t.clone()))
        .collect();
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".into())
}

/// Replaces the agent's skills; every one must be in the catalogue (else 404 on `skills`).
/// A skill given twice keeps its last level.
pub(crate) async fn put_skills(
    tx: &DatabaseTransaction,
    org: Uuid,
    agent_id: Uuid,
    skills: &[AgentSkill],
) -> ApiResult<()> {
    let levels: BTreeMap<Uuid, u8> = skills.iter().map(|s| (s.skill_id, s.level)).collect();
    let known = skill::Entity::find()
        .filter(skill::Column::OrganizationId.eq(org))
        .filter(skill::Column::Id.is_in(levels.keys().copied()))
        .count(tx)
        .await?;
    if known != levels.len() as u64 {
        return Err(ApiError::MissingReference("skills"));
    }
    agent_skill::Entity::delete_many()
        .filter(agent_skill::Column::OrganizationId.eq(org))
        .filter(agent_skill::Column::AgentId.eq(agent_id))
        .exec(tx)
        .await?;
    if levels.is_empty() {
        return Ok(());
    }
    agent_skill::Entity::insert_many(levels.into_iter().map(|(skill_id, level)| {
        agent_skill::ActiveModel {
            organization_id: Set(org),
            agent_id: Set(agent_id),
            skill_id: Set(skill_id),
            level: Set(i16::from(level)),
        }
    }))
    .exec(tx)
    .await?;
    Ok(())
}

/// Replaces the queues the agent may serve.
async fn put_queues(
    tx: &DatabaseTransaction,
    org: Uuid,
    agent_id: Uuid,
    queues: &[Uuid],
) -> ApiResult<()> {
    agent_queue::Entity::delete_many()
        .filter(agent_queue::Column::OrganizationId.eq(org))
        .filter(agent_queue::Column::AgentId.eq(agent_id))
        .exec(tx)
        .await?;
    let unique: BTreeSet<Uuid> = queues.iter().copied().collect();
    if unique.is_empty() {
        return Ok(());
    }
    agent_queue::Entity::insert_many(unique.into_iter().map(|queue_id| agent_queue::ActiveModel {
        organization_id: Set(org),
        agent_id: Set(agent_id),
        queue_id: Set(queue_id),
    }))
    .exec(tx)
    .await?;
    Ok(())
}

/// Wrap-up seconds as stored (validated to 0–3600 already).
fn seconds(s: u32) -> i32 {
    i32::try_from(Ord::min(s, 3600)).unwrap_or(3600)
}

/// Which unique rule a write broke.
fn on_conflict(e: DbErr) -> ApiError {
    if is_unique_violation_on(&e, "extension") {
        ApiError::Conflict {
            code: ErrorCode::ExtensionTaken,
            field: "extension",
        }
    } else if is_unique_violation_on(&e, "user") {
        ApiError::Conflict {
            code: ErrorCode::AgentExists,
            field: "user_id",
        }
    } else {
        e.into()
    }
}

/// The user a profile is for: active, agent or supervisor; a supervisor caller may only
/// give profiles to agents.
async fn check_user(
    tx: &DatabaseTransaction,
    caller: &Principal,
    reach: &Reach,
    id: Uuid,
) -> ApiResult<()> {
    let row = user::Entity::find_by_id(id)
        .filter(user::Column::OrganizationId.eq(caller.organization_id))
        .one(tx)
        .await?
        .ok_or(ApiError::MissingReference("user_id"))?;
    if !row.active || !matches!(row.role, DbRole::Agent | DbRole::Supervisor) {
        return Err(ApiError::Conflict {
            code: ErrorCode::WrongRole,
            field: "user_id",
        });
    }
    if !reach.manages(None, &row.role) {
        return Err(ErrorCode::Forbidden.into());
    }
    Ok(())
}

fn check_team(reach: &Reach, team: Option<Uuid>) -> ApiResult<()> {
    if reach.may_staff(team) {
        Ok(())
    } else {
        Err(ApiError::MissingReference("team_id"))
    }
}

async fn announce(state: &AppState, org: Uuid, agent_id: Uuid, action: &'static str) {
    metrics::counter!("workforce_agent_changes_total", "action" => action).increment(1);
    tracing::info!(%agent_id, action, "agent profile changed");
    state
        .infra
        .bus
        .publish(
            org,
            Topic::Organization,
            DomainEvent::AgentChanged { agent_id },
        )
        .await;
}

/// Creates a profile.
pub async fn create(
    state: &AppState,
    caller: &Principal,
    req: CreateAgentRequest,
) -> ApiResult<Agent> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    let reach = Reach::of(&tx, caller).await?;
    check_user(&tx, caller, &reach, req.user_id).await?;
    check_team(&reach, req.team_id)?;
    let now = state.infra.clock.now();
    let id = Uuid::now_v7();
    agent::ActiveModel {
        id: Set(id),
        organization_id: Set(org),
        user_id: Set(req.user_id),
        team_id: Set(req.team_id),
        extension: Set(req.extension),
        languages: Set(languages_json(&req.languages)),
        time_zone: Set(req.time_zone),
        wrap_up_secs: Set(req.wrap_up_secs.map(seconds)),
        accepts_ai_handoff: Set(req.accepts_ai_handoff),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await
    .map_err(on_conflict)?;
    put_skills(&tx, org, id, &req.skills).await?;
    put_queues(&tx, org, id, &req.queue_ids).await?;
    let created = dto(&tx, org, id).await?;
    tx.commit().await?;
    announce(state, org, id, "create").await;
    Ok(created)
}

/// A profile the caller may change, locked for the change.
async fn managed(
    tx: &DatabaseTransaction,
    caller: &Principal,
    id: Uuid,
) -> ApiResult<(agent::Model, Reach)> {
    lock_organization(tx, caller.organization_id).await?;
    let reach = Reach::of(tx, caller).await?;
    let (a, u) = row(tx, caller.organization_id, id).await?;
    if !reach.sees(&a) {
        return Err(ErrorCode::NotFound.into());
    }
    if !reach.manages(a.team_id, &u.role) {
        return Err(ErrorCode::Forbidden.into());
    }
    Ok((a, reach))
}

/// Changes the fields given; lists are replaced whole.
pub async fn update(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    req: UpdateAgentRequest,
) -> ApiResult<Agent> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    let (a, _) = managed(&tx, caller, id).await?;
    let mut active = a.into_active_model();
    if let Some(extension) = req.extension {
        active.extension = Set(extension);
    }
    if let Some(languages) = &req.languages {
        active.languages = Set(languages_json(languages));
    }
    if let Some(tz) = req.time_zone {
        active.time_zone = Set(tz);
    }
    if let Some(wrap) = req.wrap_up_secs {
        active.wrap_up_secs = Set(wrap.map(seconds));
    }
    if let Some(ai) = req.accepts_ai_handoff {
        active.accepts_ai_handoff = Set(ai);
    }
    active.updated_at = Set(state.infra.clock.now());
    active.update(&tx).await.map_err(on_conflict)?;
    if let Some(skills) = &req.skills {
        put_skills(&tx, org, id, skills).await?;
    }
    if let Some(queues) = &req.queue_ids {
        put_queues(&tx, org, id, queues).await?;
    }
    let updated = dto(&tx, org, id).await?;
    tx.commit().await?;
    announce(state, org, id, "update").await;
    Ok(with_presence(state, org, vec![updated]).await?.remove(0))
}

/// Puts the agent into a team (or out of any, with `None`).
pub async fn assign(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    team: Option<Uuid>,
) -> ApiResult<Agent> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    let (a, reach) = managed(&tx, caller, id).await?;
    check_team(&reach, team)?;
    let mut active = a.into_active_model();
    active.team_id = Set(team);
    active.updated_at = Set(state.infra.clock.now());
    active.update(&tx).await?;
    let updated = dto(&tx, org, id).await?;
    tx.commit().await?;
    announce(state, org, id, "assign").await;
    Ok(with_presence(state, org, vec![updated]).await?.remove(0))
}

/// Deletes a profile (the user stays).
pub async fn delete(state: &AppState, caller: &Principal, id: Uuid) -> ApiResult<()> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    managed(&tx, caller, id).await?;
    agent_skill::Entity::delete_many()
        .filter(agent_skill::Column::OrganizationId.eq(org))
        .filter(agent_skill::Column::AgentId.eq(id))
        .exec(&tx)
        .await?;
    agent_queue::Entity::delete_many()
        .filter(agent_queue::Column::OrganizationId.eq(org))
        .filter(agent_queue::Column::AgentId.eq(id))
        .exec(&tx)
        .await?;
    agent::Entity::delete_many()
        .filter(agent::Column::OrganizationId.eq(org))
        .filter(agent::Column::Id.eq(id))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    state.presence.store.remove(org, id).await?;
    announce(state, org, id, "delete").await;
    Ok(())
}
