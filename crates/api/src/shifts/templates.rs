//! Shift templates: named local start and end times with breaks, unique names per
//! organization. Shifts made from a template are copies: changing or deleting the template
//! leaves them as they are.

use cc_types::shifts::{ShiftTemplate, ShiftTemplateRequest, TemplateBreak};
use cc_types::{ErrorCode, Page};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::entity::template;
use super::time::{check_template, template_minutes};
use crate::db::{on_unique, page};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The template's breaks as stored.
pub fn breaks_of(m: &template::Model) -> Vec<TemplateBreak> {
    serde_json::from_str(&m.breaks).unwrap_or_default()
}

/// The DTO of a row.
pub fn to_dto(m: template::Model) -> ShiftTemplate {
    ShiftTemplate {
        breaks: breaks_of(&m),
        minutes: template_minutes(&m.start_time, &m.end_time),
        id: m.id,
        organization_id: m.organization_id,
        name: m.name,
        start_time: m.start_time,
        end_time: m.end_time,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// Every template of the organization, by name (one page).
pub async fn list(
    state: &AppState,
    org: Uuid,
    limit: Option<u64>,
    offset: Option<u64>,
) -> ApiResult<Page<ShiftTemplate>> {
    let select = template::Entity::find()
        .filter(template::Column::OrganizationId.eq(org))
        .order_by_asc(template::Column::NameKey)
        .order_by_asc(template::Column::Id);
    page(select, limit, offset, &state.infra.db, to_dto).await
}

/// A template of the organization, or `not_found`.
pub async fn get<C: sea_orm::ConnectionTrait>(
    db: &C,
    org: Uuid,
    id: Uuid,
) -> ApiResult<template::Model> {
    template::Entity::find_by_id(id)
        .filter(template::Column::OrganizationId.eq(org))
        .one(db)
        .await?
        .ok_or(ApiError::Client(ErrorCode::NotFound))
}

fn checked(req: &ShiftTemplateRequest) -> ApiResult<String> {
    check_template(
        template_minutes(&req.start_time, &req.end_time),
        &req.breaks,
    )
    .map_err(ApiError::Validation)?;
    let mut breaks = req.breaks.clone();
    breaks.sort_by_key(|b| b.after_minutes);
    Ok(serde_json::to_string(&breaks).unwrap_or_else(|_| "[]".into()))
}

fn counted(action: &'static str) {
    metrics::counter!("workforce_shift_template_changes_total", "action" => action).increment(1);
}

/// Adds a template.
pub async fn create(
    state: &AppState,
    org: Uuid,
    req: ShiftTemplateRequest,
) -> ApiResult<ShiftTemplate> {
    let breaks = checked(&req)?;
    let now = state.infra.clock.now();
    let name = req.name.trim().to_owned();
    let row = template::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org),
        name_key: Set(name.to_lowercase()),
        name: Set(name),
        start_time: Set(req.start_time),
        end_time: Set(req.end_time),
        breaks: Set(breaks),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&state.infra.db)
    .await
    .map_err(on_unique(ErrorCode::NameTaken, "name"))?;
    counted("create");
    Ok(to_dto(row))
}

/// Replaces a template's name, times and breaks.
pub async fn replace(
    state: &AppState,
    org: Uuid,
    id: Uuid,
    req: ShiftTemplateRequest,
) -> ApiResult<ShiftTemplate> {
    let mut active = get(&state.infra.db, org, id).await?.into_active_model();
    let breaks = checked(&req)?;
    let name = req.name.trim().to_owned();
    active.name_key = Set(name.to_lowercase());
    active.name = Set(name);
    active.start_time = Set(req.start_time);
    active.end_time = Set(req.end_time);
    active.breaks = Set(breaks);
    active.updated_at = Set(state.infra.clock.now());
    let saved = active
        .update(&state.infra.db)
        .await
        .map_err(on_unique(ErrorCode::NameTaken, "name"))?;
    counted("update");
    Ok(to_dto(saved))
}

/// Deletes a template; shifts made from it stay.
pub async fn delete(state: &AppState, org: Uuid, id: Uuid) -> ApiResult<()> {
    get(&state.infra.db, org, id).await?;
    template::Entity::delete_many()
        .filter(template::Column::OrganizationId.eq(org))
        .filter(template::Column::Id.eq(id))
        .exec(&state.infra.db)
        .await?;
    counted("delete");
    Ok(())
}
