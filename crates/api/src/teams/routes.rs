//! `/api/teams`: the team hierarchy. Everyone reads the teams they see; admins and
//! supervisors change them (supervisors only below the teams they manage).

use actix_web::{HttpMessage, HttpRequest, HttpResponse, delete, get, patch, post, web};
use cc_types::teams::{CreateTeamRequest, DeleteTeamQuery, Team, TeamListQuery, UpdateTeamRequest};
use cc_types::{Page, Problem};
use uuid::Uuid;

use super::service;
use crate::audit::AuditTarget;
use crate::auth::{Access, AnyRole, Auth, SupervisorOrAdmin, access};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// Lists the teams the caller sees, by name: all for admins and analysts, the managed
/// teams and those below them for supervisors, their own for agents.
#[utoipa::path(
    tag = "teams",
    params(TeamListQuery),
    responses((status = 200, description = "One page of teams", body = Page<Team>))
)]
#[get("/teams")]
pub async fn list_teams(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    Query(q): Query<TeamListQuery>,
) -> ApiResult<web::Json<Page<Team>>> {
    Ok(web::Json(service::list(&state, &auth, &q).await?))
}

/// Creates a team; a supervisor only below a team they manage.
#[utoipa::path(
    tag = "teams",
    request_body = CreateTeamRequest,
    responses(
        (status = 201, description = "Created", body = Team),
        (status = 404, description = "The parent team or the manager does not exist (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Name already in use", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/teams")]
pub async fn create_team(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    Json(body): Json<CreateTeamRequest>,
) -> ApiResult<HttpResponse> {
    let team = service::create(&state, &auth, body).await?;
    req.extensions_mut()
        .insert(AuditTarget(team.id.to_string()));
    Ok(HttpResponse::Created().json(team))
}

/// One team the caller sees.
#[utoipa::path(
    tag = "teams",
    params(("id" = Uuid, Path, description = "Team id")),
    responses((status = 200, description = "The team", body = Team))
)]
#[get("/teams/{id}")]
pub async fn get_team(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Team>> {
    Ok(web::Json(service::get(&state, &auth, *id).await?))
}

/// Renames a team, moves it under another parent (never under itself or a team below
/// it: 422 `team_cycle`), or changes its manager.
#[utoipa::path(
    tag = "teams",
    params(("id" = Uuid, Path, description = "Team id")),
    request_body = UpdateTeamRequest,
    responses(
        (status = 200, description = "Updated", body = Team),
        (status = 409, description = "Name already in use", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/teams/{id}")]
pub async fn update_team(
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
    Json(body): Json<UpdateTeamRequest>,
) -> ApiResult<web::Json<Team>> {
    Ok(web::Json(service::update(&state, &auth, *id, body).await?))
}

/// Deletes a team. Its child teams and members move to `move_to`; without it, a team
/// with any answers 409 `team_not_empty` listing them in `conflicts`.
#[utoipa::path(
    tag = "teams",
    params(("id" = Uuid, Path, description = "Team id"), DeleteTeamQuery),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "The team has child teams or members and no `move_to`", body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/teams/{id}")]
pub async fn delete_team(
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
    Query(q): Query<DeleteTeamQuery>,
) -> ApiResult<HttpResponse> {
    service::delete(&state, &auth, *id, &q).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Who may call each operation of this module.
pub const POLICIES: &[(&str, Access)] = &[
    ("list_teams", access::<AnyRole>()),
    ("create_team", access::<SupervisorOrAdmin>()),
    ("get_team", access::<AnyRole>()),
    ("update_team", access::<SupervisorOrAdmin>()),
    ("delete_team", access::<SupervisorOrAdmin>()),
];

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_teams)
        .service(create_team)
        .service(get_team)
        .service(update_team)
        .service(delete_team);
}
