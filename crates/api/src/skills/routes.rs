//! `/api/skills`: the organization's skill catalogue. Everyone reads it; admins and
//! supervisors change it.

use actix_web::{HttpMessage, HttpRequest, HttpResponse, delete, get, patch, post, web};
use cc_types::skills::{Skill, SkillListQuery, SkillRequest};
use cc_types::{Page, Problem};
use uuid::Uuid;

use super::service;
use crate::audit::AuditTarget;
use crate::auth::{Access, AnyRole, Auth, SupervisorOrAdmin, access};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// Lists the skill catalogue by name.
#[utoipa::path(
    tag = "skills",
    params(SkillListQuery),
    responses((status = 200, description = "One page of skills", body = Page<Skill>))
)]
#[get("/skills")]
pub async fn list_skills(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    Query(q): Query<SkillListQuery>,
) -> ApiResult<web::Json<Page<Skill>>> {
    Ok(web::Json(
        service::list(&state, auth.organization_id, &q).await?,
    ))
}

/// Adds a skill to the catalogue.
#[utoipa::path(
    tag = "skills",
    request_body = SkillRequest,
    responses(
        (status = 201, description = "Created", body = Skill),
        (status = 409, description = "Name already in use", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/skills")]
pub async fn create_skill(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    Json(body): Json<SkillRequest>,
) -> ApiResult<HttpResponse> {
    let skill = service::create(&state, auth.organization_id, body).await?;
    req.extensions_mut()
        .insert(AuditTarget(skill.id.to_string()));
    Ok(HttpResponse::Created().json(skill))
}

/// Renames a skill; every assignment keeps it.
#[utoipa::path(
    tag = "skills",
    params(("id" = Uuid, Path, description = "Skill id")),
    request_body = SkillRequest,
    responses(
        (status = 200, description = "Renamed", body = Skill),
        (status = 409, description = "Name already in use", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/skills/{id}")]
pub async fn rename_skill(
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
    Json(body): Json<SkillRequest>,
) -> ApiResult<web::Json<Skill>> {
    Ok(web::Json(
        service::rename(&state, auth.organization_id, *id, body).await?,
    ))
}

/// Removes a skill from the catalogue; one that agents hold answers 409 `skill_in_use`
/// naming them in `conflicts`.
#[utoipa::path(
    tag = "skills",
    params(("id" = Uuid, Path, description = "Skill id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Agents hold the skill", body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/skills/{id}")]
pub async fn delete_skill(
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    service::delete(&state, auth.organization_id, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Who may call each operation of this module.
pub const POLICIES: &[(&str, Access)] = &[
    ("list_skills", access::<AnyRole>()),
    ("create_skill", access::<SupervisorOrAdmin>()),
    ("rename_skill", access::<SupervisorOrAdmin>()),
    ("delete_skill", access::<SupervisorOrAdmin>()),
];

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_skills)
        .service(create_skill)
        .service(rename_skill)
        .service(delete_skill);
}
