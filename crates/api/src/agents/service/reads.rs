//! Reading agent profiles: one, the caller's own, or a page, with users, skills, queues
//! and live states put together.

use std::collections::{BTreeSet, HashMap};

use cc_types::agents::{Agent, AgentListQuery, HeldSkill};
use cc_types::presence::{AgentPresence, PresenceState};
use cc_types::{ErrorCode, Page};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query as SqlQuery};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait,
};
use uuid::Uuid;

use crate::agents::entity::{agent, agent_queue, agent_skill};
use crate::agents::scope::Reach;
use crate::auth::Principal;
use crate::db::like_pattern;
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

/// Puts each agent's current state on their DTO (one read of the store for the page's
/// agents only, however many the organization has).
pub(super) async fn with_presence(
    state: &AppState,
    org: Uuid,
    mut items: Vec<Agent>,
) -> ApiResult<Vec<Agent>> {
    let ids: Vec<Uuid> = items.iter().map(|a| a.id).collect();
    let current: HashMap<Uuid, AgentPresence> = state
        .presence
        .store
        .many(org, &ids)
        .await?
        .into_iter()
        .map(|p| (p.agent_id, p))
        .collect();
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
pub(super) async fn row<C: ConnectionTrait>(
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

pub(super) async fn dto<C: ConnectionTrait>(db: &C, org: Uuid, id: Uuid) -> ApiResult<Agent> {
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
