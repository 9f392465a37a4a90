//! The rules of agent profiles: one per agent or supervisor, extensions unique, skills
//! from the organization's catalogue at levels 1–10, teams the caller may staff.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use cc_types::agents::{
    Agent, AgentListQuery, AgentSkill, CreateAgentRequest, HeldSkill, LanguageTag,
    UpdateAgentRequest,
};
use cc_types::events::{DomainEvent, Topic};
use cc_types::presence::{AgentPresence, PresenceState};
use cc_types::{Conflict, ErrorCode, Page};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query as SqlQuery};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr,
    EntityTrait, IntoActiveModel, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait, Set, TransactionTrait,
};
use uuid::Uuid;

use super::entity::{agent, agent_queue, agent_skill};
use super::scope::Reach;
use crate::auth::Principal;
use crate::db::enums::DbRole;
use crate::db::{is_unique_violation_on, like_pattern, lock_organization};
use crate::error::{ApiError, ApiResult};
use crate::skills::entity as skill;
use crate::state::AppState;
use crate::users::entity as user;

/// The caller's own profile, if they have one.
pub async fn own_profile<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    user_id: Uuid,
) -> ApiResult<Option<agent::Model>> {
    Ok(agent::Entity::find()
        .filter(agent::Column::OrganizationId.eq(org))
        .filter(agent::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}

/// Profiles with their users, skills and queues, as DTOs (in the order given).
async fn hydrate<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    rows: Vec<(agent::Model, user::Model)>,
) -> ApiResult<Vec<Agent>> {
    let ids: Vec<Uuid> = rows.iter().map(|(a, _)| a.id).collect();
    let held = agent_skill::Entity::find()
        .filter(agent_skill::Column::OrganizationId.eq(org))
        .filter(agent_skill::Column::AgentId.is_in(ids.clone()))
        .all(db)
        .await?;
    let skill_ids: BTreeSet<Uuid> = held.iter().map(|h| h.skill_id).collect();
    let names: HashMap<Uuid, String> = skill::Entity::find()
        .filter(skill::Column::OrganizationId.eq(org))
        .filter(skill::Column::Id.is_in(skill_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut skills: HashMap<Uuid, Vec<HeldSkill>> = HashMap::new();
    for h in held {
        skills.entry(h.agent_id).or_default().push(HeldSkill {
            skill_id: h.skill_id,
            name: names.get(&h.skill_id).cloned().unwrap_or_default(),
            level: u8::try_from(h.level).unwrap_or(1),
        });
    }
    let mut queues: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for q in agent_queue::Entity::find()
        .filter(agent_queue::Column::OrganizationId.eq(org))
        .filter(agent_queue::Column::AgentId.is_in(ids))
        .all(db)
        .await?
    {
        queues.entry(q.agent_id).or_default().push(q.queue_id);
    }
    Ok(rows
        .into_iter()
        .map(|(a, u)| {
            let mut held = skills.remove(&a.id).unwrap_or_default();
            held.sort_by_key(|s| s.name.to_lowercase());
            let mut queue_ids = queues.remove(&a.id).unwrap_or_default();
            queue_ids.sort();
            let presence = crate::presence::service::initial(&a);
            Agent {
                id: a.id,
                organization_id: a.organization_id,
                user_id: a.user_id,
                display_name: u.display_name,
                email: u.email,
                role: u.role.into(),
                team_id: a.team_id,
                extension: a.extension,
                languages: serde_json::from_str(&a.languages).unwrap_or_default(),
                skills: held,
                queue_ids,
                time_zone: a.time_zone,
                wrap_up_secs: a.wrap_up_secs.and_then(|s| u32::try_from(s).ok()),
                accepts_ai_handoff: a.accepts_ai_handoff,
                presence,
                created_at: a.created_at,
                updated_at: a.updated_at,
            }
        })
        .collect())
}

/// Puts each agent's current state on their DTO (one read of the store for the page).
async fn with_presence(
    state: &AppState,
    org: Uuid,
    mut items: Vec<Agent>,
) -> ApiResult<Vec<Agent>> {
    let store = &state.presence.store;
    let current: HashMap<Uuid, AgentPresence> = match items.len() {
        0 => HashMap::new(),
        1 => store
            .get(org, items[0].id)
            .await?
            .map(|p| (p.agent_id, p))
            .into_iter()
            .collect(),
        _ => store
            .all(org)
            .await?
            .into_iter()
            .map(|p| (p.agent_id, p))
            .collect(),
    };
    for item in &mut items {
        if let Some(p) = current.get(&item.id) {
            item.presence = p.clone();
        }
    }
    Ok(items)
}

/// The agents of the organization whose stored state is `wanted` (offline: whose state is
/// anything else, to be excluded).
async fn in_state(state: &AppState, org: Uuid, wanted: PresenceState) -> ApiResult<Condition> {
    let all = state.presence.store.all(org).await?;
    Ok(if wanted == PresenceState::Offline {
        let busy: Vec<Uuid> = all
            .iter()
            .filter(|p| p.state != PresenceState::Offline)
            .map(|p| p.agent_id)
            .collect();
        Condition::all().add(agent::Column::Id.is_not_in(busy))
    } else {
        let ids: Vec<Uuid> = all
            .iter()
            .filter(|p| p.state == wanted)
            .map(|p| p.agent_id)
            .collect();
        Condition::all().add(agent::Column::Id.is_in(ids))
    })
}

/// One page of the profiles the caller sees, by name; `team` narrows to one team's members.
pub async fn list(
    state: &AppState,
    caller: &Principal,
    q: &AgentListQuery,
) -> ApiResult<Page<Agent>> {
    let db = &state.infra.db;
    let org = caller.organization_id;
    let reach = Reach::of(db, caller).await?;
    let mut cond = Condition::all()
        .add(agent::Column::OrganizationId.eq(org))
        .add(reach.condition());
    if let Some(team) = q.team_id {
        cond = cond.add(agent::Column::TeamId.eq(team));
    }
    if q.unassigned == Some(true) {
        cond = cond.add(agent::Column::TeamId.is_null());
    }
    if let Some(wanted) = q.state {
        cond = cond.add(in_state(state, org, wanted).await?);
    }
    if let Some(skill_id) = q.skill_id {
        cond = cond.add(
            agent::Column::Id.in_subquery(
                SqlQuery::select()
                    .column(agent_skill::Column::AgentId)
                    .from(agent_skill::Entity)
                    .and_where(agent_skill::Column::OrganizationId.eq(org))
                    .and_where(agent_skill::Column::SkillId.eq(skill_id))
                    .to_owned(),
            ),
        );
    }
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        cond = cond.add(
            Condition::any()
                .add(Expr::col((user::Entity, user::Column::Email)).like(like_pattern(text)))
                .add(
                    Expr::expr(Func::lower(Expr::col((
                        user::Entity,
                        user::Column::DisplayName,
                    ))))
                    .like(like_pattern(text)),
                ),
        );
    }
    let select = agent::Entity::find()
        .join(JoinType::InnerJoin, agent::Relation::User.def())
        .filter(cond);
    let total = select.clone().count(db).await?;
    let limit = q.limit.unwrap_or(cc_types::page::DEFAULT_LIMIT);
    let offset = q.offset.unwrap_or(0);
    let rows = select
        .select_also(user::Entity)
        .order_by_asc(Expr::expr(Func::lower(Expr::col((
            user::Entity,
            user::Column::DisplayName,
        )))))
        .order_by_asc(agent::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(a, u)| u.map(|u| (a, u)))
        .collect();
    Ok(Page {
        items: with_presence(state, org, hydrate(db, org, rows).await?).await?,
        total,
        limit,
        offset,
    })
}

/// A profile with its user, or `not_found`.
async fn row<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    id: Uuid,
) -> ApiResult<(agent::Model, user::Model)> {
    agent::Entity::find_by_id(id)
        .filter(agent::Column::OrganizationId.eq(org))
        .find_also_related(user::Entity)
        .one(db)
        .await?
        .and_then(|(a, u)| u.map(|u| (a, u)))
        .ok_or(ApiError::Client(ErrorCode::NotFound))
}

async fn dto<C: ConnectionTrait>(db: &C, org: Uuid, id: Uuid) -> ApiResult<Agent> {
    let pair = row(db, org, id).await?;
    hydrate(db, org, vec![pair])
        .await?
        .pop()
        .ok_or(ApiError::Client(ErrorCode::NotFound))
}

/// A profile the caller sees.
pub async fn get(state: &AppState, caller: &Principal, id: Uuid) -> ApiResult<Agent> {
    let db = &state.infra.db;
    let (a, _) = row(db, caller.organization_id, id).await?;
    if !Reach::of(db, caller).await?.sees(&a) {
        return Err(ErrorCode::NotFound.into());
    }
    let one = dto(db, caller.organization_id, id).await?;
    Ok(with_presence(state, caller.organization_id, vec![one])
        .await?
        .remove(0))
}

/// The caller's own profile.
pub async fn me(state: &AppState, caller: &Principal) -> ApiResult<Agent> {
    let db = &state.infra.db;
    let user = caller
        .user_id
        .ok_or(ApiError::Client(ErrorCode::NotFound))?;
    let own = own_profile(db, caller.organization_id, user)
        .await?
        .ok_or(ApiError::Client(ErrorCode::NotFound))?;
    let one = dto(db, caller.organization_id, own.id).await?;
    Ok(with_presence(state, caller.organization_id, vec![one])
        .await?
        .remove(0))
}

/// Repeated tags count once, in canonical case, in the order first given.
fn languages_json(tags: &[LanguageTag]) -> String {
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
async fn put_skills(
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

/// At most this many blocking rows are named in a refusal.
const MAX_CONFLICTS: u64 = 100;

/// The agents matching `cond`, named, as the rows that block a change.
async fn named<C: ConnectionTrait>(db: &C, cond: Condition) -> ApiResult<Vec<Conflict>> {
    Ok(agent::Entity::find()
        .filter(cond)
        .find_also_related(user::Entity)
        .order_by_asc(agent::Column::Id)
        .limit(MAX_CONFLICTS)
        .all(db)
        .await?
        .into_iter()
        .map(|(a, u)| Conflict {
            kind: "agent".into(),
            id: a.id,
            name: u.map(|u| u.display_name).unwrap_or_default(),
        })
        .collect())
}

/// The members of a team, as the rows that keep it from being deleted.
pub async fn members_blocking<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    team: Uuid,
) -> ApiResult<Vec<Conflict>> {
    named(
        db,
        Condition::all()
            .add(agent::Column::OrganizationId.eq(org))
            .add(agent::Column::TeamId.eq(team)),
    )
    .await
}

/// Moves every member of `from` into `to`.
pub async fn move_members(
    tx: &DatabaseTransaction,
    org: Uuid,
    from: Uuid,
    to: Uuid,
) -> ApiResult<()> {
    agent::Entity::update_many()
        .col_expr(agent::Column::TeamId, Expr::value(to))
        .filter(agent::Column::OrganizationId.eq(org))
        .filter(agent::Column::TeamId.eq(from))
        .exec(tx)
        .await?;
    Ok(())
}

/// The agents holding a skill, as the rows that keep it from being deleted.
pub async fn holders_of<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    skill_id: Uuid,
) -> ApiResult<Vec<Conflict>> {
    named(
        db,
        Condition::all()
            .add(agent::Column::OrganizationId.eq(org))
            .add(
                agent::Column::Id.in_subquery(
                    SqlQuery::select()
                        .column(agent_skill::Column::AgentId)
                        .from(agent_skill::Entity)
                        .and_where(agent_skill::Column::OrganizationId.eq(org))
                        .and_where(agent_skill::Column::SkillId.eq(skill_id))
                        .to_owned(),
                ),
            ),
    )
    .await
}
