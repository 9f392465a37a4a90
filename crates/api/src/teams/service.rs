//! The rules of teams: who sees which, names unique per organization, moves that never
//! make a cycle, and deletions that say where members and child teams go.

use std::collections::{HashMap, HashSet};

use cc_types::events::{DomainEvent, Topic};
use cc_types::page::DEFAULT_LIMIT;
use cc_types::teams::{CreateTeamRequest, DeleteTeamQuery, Team, TeamListQuery, UpdateTeamRequest};
use cc_types::{Conflict, ErrorCode, Page, Role};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use uuid::Uuid;

use super::entity as team;
use super::tree;
use crate::auth::Principal;
use crate::db::{enums::DbRole, lock_organization, on_unique};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::users::entity as user;

/// The DTO of a row.
pub fn to_dto(m: &team::Model) -> Team {
    Team {
        id: m.id,
        organization_id: m.organization_id,
        name: m.name.clone(),
        parent_team_id: m.parent_team_id,
        manager_id: m.manager_id,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// Which teams a caller sees: everything (admins, analysts), or a set.
pub enum Scope {
    All,
    Only(HashSet<Uuid>),
}

impl Scope {
    /// True when the team is in the scope.
    pub fn sees(&self, id: Uuid) -> bool {
        match self {
            Scope::All => true,
            Scope::Only(set) => set.contains(&id),
        }
    }
}

/// Every team of the organization, by name.
pub async fn all<C: ConnectionTrait>(db: &C, org: Uuid) -> ApiResult<Vec<team::Model>> {
    Ok(team::Entity::find()
        .filter(team::Column::OrganizationId.eq(org))
        .order_by_asc(team::Column::NameKey)
        .all(db)
        .await?)
}

fn parents(teams: &[team::Model]) -> HashMap<Uuid, Option<Uuid>> {
    teams.iter().map(|t| (t.id, t.parent_team_id)).collect()
}

/// The organization's teams and the part of them the caller sees.
pub async fn scope_of<C: ConnectionTrait>(
    db: &C,
    caller: &Principal,
) -> ApiResult<(Vec<team::Model>, Scope)> {
    let teams = all(db, caller.organization_id).await?;
    let own = match (caller.role, caller.user_id) {
        (Role::Agent, Some(user)) => {
            crate::agents::service::own_profile(db, caller.organization_id, user)
                .await?
                .and_then(|a| a.team_id)
        }
        _ => None,
    };
    let scope = scope(caller, &teams, own);
    Ok((teams, scope))
}

/// An admin or analyst sees every team; a supervisor the teams they manage and all below
/// them; an agent their own team (`own`, from their profile).
fn scope(caller: &Principal, teams: &[team::Model], own: Option<Uuid>) -> Scope {
    match caller.role {
        Role::Admin | Role::Analyst => Scope::All,
        Role::Supervisor => {
            let managed: Vec<Uuid> = teams
                .iter()
                .filter(|t| caller.user_id.is_some() && t.manager_id == caller.user_id)
                .map(|t| t.id)
                .collect();
            Scope::Only(tree::subtree(&parents(teams), &managed))
        }
        Role::Agent => Scope::Only(own.into_iter().collect()),
    }
}

/// One page of the teams the caller sees, by name.
pub async fn list(
    state: &AppState,
    caller: &Principal,
    q: &TeamListQuery,
) -> ApiResult<Page<Team>> {
    let (teams, scope) = scope_of(&state.infra.db, caller).await?;
    let needle = q.q.as_deref().map(str::trim).map(str::to_lowercase);
    let matching: Vec<&team::Model> = teams
        .iter()
        .filter(|t| scope.sees(t.id))
        .filter(|t| needle.as_deref().is_none_or(|n| t.name_key.contains(n)))
        .collect();
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let offset = q.offset.unwrap_or(0);
    let items = matching
        .iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|t| to_dto(t))
        .collect();
    Ok(Page {
        items,
        total: matching.len() as u64,
        limit,
        offset,
    })
}

/// A team the caller sees, or `not_found`.
pub async fn get(state: &AppState, caller: &Principal, id: Uuid) -> ApiResult<Team> {
    let (teams, scope) = scope_of(&state.infra.db, caller).await?;
    visible(&scope, &teams, id).map(to_dto)
}

/// The team, when the scope holds it; else `not_found`.
pub fn visible<'a>(
    scope: &Scope,
    teams: &'a [team::Model],
    id: Uuid,
) -> ApiResult<&'a team::Model> {
    teams
        .iter()
        .find(|t| t.id == id)
        .filter(|t| scope.sees(t.id))
        .ok_or(ApiError::Client(ErrorCode::NotFound))
}

/// The new parent must be a team the caller sees.
fn check_parent(scope: &Scope, teams: &[team::Model], parent: Uuid) -> ApiResult<()> {
    if visible(scope, teams, parent).is_err() {
        return Err(ApiError::MissingReference("parent_team_id"));
    }
    Ok(())
}

/// A manager is an active supervisor or admin of the organization.
async fn check_manager<C: ConnectionTrait>(db: &C, org: Uuid, id: Uuid) -> ApiResult<()> {
    let row = user::Entity::find_by_id(id)
        .filter(user::Column::OrganizationId.eq(org))
        .one(db)
        .await?;
    match row {
        Some(u) if u.active && matches!(u.role, DbRole::Supervisor | DbRole::Admin) => Ok(()),
        None => Err(ApiError::MissingReference("manager_id")),
        Some(_) => Err(ApiError::Conflict {
            code: ErrorCode::WrongRole,
            field: "manager_id",
        }),
    }
}

async fn announce(state: &AppState, org: Uuid, team_id: Uuid) {
    metrics::counter!("workforce_team_changes_total").increment(1);
    state
        .infra
        .bus
        .publish(
            org,
            Topic::Organization,
            DomainEvent::TeamChanged { team_id },
        )
        .await;
}

/// Creates a team. Supervisors create teams only below one they manage.
pub async fn create(
    state: &AppState,
    caller: &Principal,
    req: CreateTeamRequest,
) -> ApiResult<Team> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    let (teams, scope) = scope_of(&tx, caller).await?;
    match req.parent_team_id {
        Some(parent) => check_parent(&scope, &teams, parent)?,
        None if caller.role != Role::Admin => return Err(ErrorCode::Forbidden.into()),
        None => {}
    }
    if let Some(manager) = req.manager_id {
        check_manager(&tx, org, manager).await?;
    }
    let now = state.infra.clock.now();
    let name = req.name.trim().to_owned();
    let row = team::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org),
        name_key: Set(name.to_lowercase()),
        name: Set(name),
        parent_team_id: Set(req.parent_team_id),
        manager_id: Set(req.manager_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await
    .map_err(on_unique(ErrorCode::NameTaken, "name"))?;
    tx.commit().await?;
    announce(state, org, row.id).await;
    Ok(to_dto(&row))
}

/// Renames, moves (never into a cycle) or changes the manager of a team the caller sees.
pub async fn update(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    req: UpdateTeamRequest,
) -> ApiResult<Team> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    let (teams, scope) = scope_of(&tx, caller).await?;
    let row = visible(&scope, &teams, id)?.clone();
    let mut active = row.into_active_model();
    if let Some(name) = req.name {
        let name = name.trim().to_owned();
        active.name_key = Set(name.to_lowercase());
        active.name = Set(name);
    }
    if let Some(parent) = req.parent_team_id {
        match parent {
            Some(p) => {
                check_parent(&scope, &teams, p)?;
                if tree::would_cycle(&parents(&teams), id, p) {
                    return Err(ErrorCode::TeamCycle.into());
                }
            }
            None if caller.role != Role::Admin => return Err(ErrorCode::Forbidden.into()),
            None => {}
        }
        active.parent_team_id = Set(parent);
    }
    if let Some(manager) = req.manager_id {
        if let Some(m) = manager {
            check_manager(&tx, org, m).await?;
        }
        active.manager_id = Set(manager);
    }
    active.updated_at = Set(state.infra.clock.now());
    let saved = active
        .update(&tx)
        .await
        .map_err(on_unique(ErrorCode::NameTaken, "name"))?;
    tx.commit().await?;
    announce(state, org, id).await;
    Ok(to_dto(&saved))
}

/// Deletes a team. Child teams and members move to `move_to`; without it, a team that has
/// any answers 409 naming them.
pub async fn delete(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    q: &DeleteTeamQuery,
) -> ApiResult<()> {
    let org = caller.organization_id;
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    let (teams, scope) = scope_of(&tx, caller).await?;
    visible(&scope, &teams, id)?;
    let children: Vec<&team::Model> = teams
        .iter()
        .filter(|t| t.parent_team_id == Some(id))
        .collect();
    let members = crate::agents::service::members_blocking(&tx, org, id).await?;
    match q.move_to {
        Some(target) => {
            if visible(&scope, &teams, target).is_err() {
                return Err(ApiError::MissingReference("move_to"));
            }
            if tree::would_cycle(&parents(&teams), id, target) {
                return Err(ErrorCode::TeamCycle.into());
            }
            team::Entity::update_many()
                .col_expr(team::Column::ParentTeamId, Expr::value(target))
                .filter(team::Column::OrganizationId.eq(org))
                .filter(team::Column::ParentTeamId.eq(id))
                .exec(&tx)
                .await?;
            crate::agents::service::move_members(&tx, org, id, target).await?;
        }
        None if !children.is_empty() || !members.is_empty() => {
            let conflicts = children
                .iter()
                .map(|t| Conflict {
                    kind: "team".into(),
                    id: t.id,
                    name: t.name.clone(),
                })
                .chain(members)
                .collect();
            return Err(ApiError::Blocked {
                code: ErrorCode::TeamNotEmpty,
                conflicts,
            });
        }
        None => {}
    }
    team::Entity::delete_many()
        .filter(team::Column::OrganizationId.eq(org))
        .filter(team::Column::Id.eq(id))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    announce(state, org, id).await;
    Ok(())
}
