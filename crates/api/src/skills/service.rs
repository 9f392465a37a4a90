//! The skill catalogue: names unique per organization (whatever the case); renaming keeps
//! every assignment, since agents and queues refer to the id.

use cc_types::skills::{Skill, SkillListQuery, SkillRequest};
use cc_types::{ErrorCode, Page};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use uuid::Uuid;

use super::entity as skill;
use crate::db::{like_pattern, lock_organization, on_unique, page};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The DTO of a row.
pub fn to_dto(m: skill::Model) -> Skill {
    Skill {
        id: m.id,
        organization_id: m.organization_id,
        name: m.name,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// One page of the catalogue, by name.
pub async fn list(state: &AppState, org: Uuid, q: &SkillListQuery) -> ApiResult<Page<Skill>> {
    let mut select = skill::Entity::find()
        .filter(skill::Column::OrganizationId.eq(org))
        .order_by_asc(skill::Column::NameKey)
        .order_by_asc(skill::Column::Id);
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        select = select.filter(Expr::col(skill::Column::NameKey).like(like_pattern(text)));
    }
    page(select, q.limit, q.offset, &state.infra.db, to_dto).await
}

/// A skill of the organization, or `not_found`.
pub async fn get(state: &AppState, org: Uuid, id: Uuid) -> ApiResult<skill::Model> {
    skill::Entity::find_by_id(id)
        .filter(skill::Column::OrganizationId.eq(org))
        .one(&state.infra.db)
        .await?
        .ok_or(ApiError::Client(ErrorCode::NotFound))
}

fn counted(action: &'static str) {
    metrics::counter!("workforce_skill_changes_total", "action" => action).increment(1);
}

/// Adds a skill to the catalogue.
pub async fn create(state: &AppState, org: Uuid, req: SkillRequest) -> ApiResult<Skill> {
    let now = state.infra.clock.now();
    let name = req.name.trim().to_owned();
    let row = skill::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org),
        name_key: Set(name.to_lowercase()),
        name: Set(name),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&state.infra.db)
    .await
    .map_err(on_unique(ErrorCode::NameTaken, "name"))?;
    counted("create");
    Ok(to_dto(row))
}

/// Renames a skill; assignments follow the id, so nothing else changes.
pub async fn rename(state: &AppState, org: Uuid, id: Uuid, req: SkillRequest) -> ApiResult<Skill> {
    let mut active = get(state, org, id).await?.into_active_model();
    let name = req.name.trim().to_owned();
    active.name_key = Set(name.to_lowercase());
    active.name = Set(name);
    active.updated_at = Set(state.infra.clock.now());
    let saved = active
        .update(&state.infra.db)
        .await
        .map_err(on_unique(ErrorCode::NameTaken, "name"))?;
    counted("rename");
    Ok(to_dto(saved))
}

/// Removes a skill from the catalogue; a skill agents hold is refused with 409 naming
/// them (under the organization's lock, so no agent takes it up meanwhile).
pub async fn delete(state: &AppState, org: Uuid, id: Uuid) -> ApiResult<()> {
    get(state, org, id).await?;
    let tx = state.infra.db.begin().await?;
    lock_organization(&tx, org).await?;
    let holders = crate::agents::service::holders_of(&tx, org, id).await?;
    if !holders.is_empty() {
        return Err(ApiError::Blocked {
            code: ErrorCode::SkillInUse,
            conflicts: holders,
        });
    }
    skill::Entity::delete_many()
        .filter(skill::Column::OrganizationId.eq(org))
        .filter(skill::Column::Id.eq(id))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    counted("delete");
    Ok(())
}
