//! `/api/agents`: agent profiles. Everyone reads the profiles they see; admins and
//! supervisors change them (supervisors: agents of their teams and the unassigned pool).

use actix_web::{HttpMessage, HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use cc_types::agents::{
    Agent, AgentListQuery, AssignAgentRequest, CreateAgentRequest, UpdateAgentRequest,
};
use cc_types::{Page, Problem};
use uuid::Uuid;

use super::service;
use crate::audit::AuditTarget;
use crate::auth::{Access, AdminOnly, AnyPerson, AnyRole, Auth, SupervisorOrAdmin, access};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// Lists the agent profiles the caller sees, by name: all for admins and analysts; the
/// members of their teams (and below) and the unassigned agents for supervisors; their
/// own and their team's for agents.
#[utoipa::path(
    tag = "agents",
    params(AgentListQuery),
    responses((status = 200, description = "One page of agents", body = Page<Agent>))
)]
#[get("/agents")]
pub async fn list_agents(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    Query(q): Query<AgentListQuery>,
) -> ApiResult<web::Json<Page<Agent>>> {
    Ok(web::Json(service::list(&state, &auth, &q).await?))
}

/// Creates the agent profile of a user with the agent or supervisor role (supervisors:
/// agents only, into a team they manage or none).
#[utoipa::path(
    tag = "agents",
    request_body = CreateAgentRequest,
    responses(
        (status = 201, description = "Created", body = Agent),
        (status = 404, description = "The user, a skill or the team does not exist (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The user has a profile already (`agent_exists`), or the extension is taken (`extension_taken`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/agents")]
pub async fn create_agent(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    Json(body): Json<CreateAgentRequest>,
) -> ApiResult<HttpResponse> {
    let agent = service::create(&state, &auth, body).await?;
    req.extensions_mut()
        .insert(AuditTarget(agent.id.to_string()));
    Ok(HttpResponse::Created().json(agent))
}

/// The caller's own agent profile (404 when they have none).
#[utoipa::path(
    tag = "agents",
    responses(
        (status = 200, description = "The profile", body = Agent),
        (status = 404, description = "The caller has no agent profile", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/agents/me")]
pub async fn get_my_agent(
    state: web::Data<AppState>,
    auth: Auth<AnyPerson>,
) -> ApiResult<web::Json<Agent>> {
    Ok(web::Json(service::me(&state, &auth).await?))
}

/// One profile the caller sees.
#[utoipa::path(
    tag = "agents",
    params(("id" = Uuid, Path, description = "Agent id")),
    responses((status = 200, description = "The profile", body = Agent))
)]
#[get("/agents/{id}")]
pub async fn get_agent(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Agent>> {
    Ok(web::Json(service::get(&state, &auth, *id).await?))
}

/// Changes a profile: extension, languages, skills, queues, time zone, wrap-up, AI handoffs.
#[utoipa::path(
    tag = "agents",
    params(("id" = Uuid, Path, description = "Agent id")),
    request_body = UpdateAgentRequest,
    responses(
        (status = 200, description = "Updated", body = Agent),
        (status = 409, description = "The extension is taken", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/agents/{id}")]
pub async fn update_agent(
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
    Json(body): Json<UpdateAgentRequest>,
) -> ApiResult<web::Json<Agent>> {
    Ok(web::Json(service::update(&state, &auth, *id, body).await?))
}

/// Puts an agent into a team, or (`team_id: null`) out of any.
#[utoipa::path(
    tag = "agents",
    params(("id" = Uuid, Path, description = "Agent id")),
    request_body = AssignAgentRequest,
    responses((status = 200, description = "Assigned", body = Agent))
)]
#[put("/agents/{id}/assign")]
pub async fn assign_agent(
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
    Json(body): Json<AssignAgentRequest>,
) -> ApiResult<web::Json<Agent>> {
    Ok(web::Json(
        service::assign(&state, &auth, *id, body.team_id).await?,
    ))
}

/// Deletes an agent profile; the user account stays.
#[utoipa::path(
    tag = "agents",
    params(("id" = Uuid, Path, description = "Agent id")),
    responses((status = 204, description = "Deleted"))
)]
#[delete("/agents/{id}")]
pub async fn delete_agent(
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    service::delete(&state, &auth, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The members of a team the caller sees, by name.
#[utoipa::path(
    tag = "teams",
    params(("id" = Uuid, Path, description = "Team id"), AgentListQuery),
    responses((status = 200, description = "One page of the team's agents", body = Page<Agent>))
)]
#[get("/teams/{id}/agents")]
pub async fn list_team_agents(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    id: web::Path<Uuid>,
    Query(mut q): Query<AgentListQuery>,
) -> ApiResult<web::Json<Page<Agent>>> {
    crate::teams::service::get(&state, &auth, *id).await?;
    q.team_id = Some(*id);
    Ok(web::Json(service::list(&state, &auth, &q).await?))
}

/// Creates and updates agent profiles from a CSV file (see the body's description for
/// the columns). All or nothing: when any row is wrong nothing changes and the report
/// lists every wrong cell (`applied: false`); `dry_run` only checks. Answers 200 with the
/// report either way.
#[utoipa::path(
    tag = "agents",
    request_body = cc_types::agent_import::AgentImportRequest,
    responses((status = 200, description = "The report", body = cc_types::agent_import::AgentImportReport))
)]
#[post("/agents/import")]
pub async fn import_agents(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    Json(body): Json<cc_types::agent_import::AgentImportRequest>,
) -> ApiResult<web::Json<cc_types::agent_import::AgentImportReport>> {
    Ok(web::Json(super::import::run(&state, &auth, body).await?))
}

/// Who may call each operation of this module.
pub const POLICIES: &[(&str, Access)] = &[
    ("list_agents", access::<AnyRole>()),
    ("create_agent", access::<SupervisorOrAdmin>()),
    ("get_my_agent", access::<AnyPerson>()),
    ("get_agent", access::<AnyRole>()),
    ("update_agent", access::<SupervisorOrAdmin>()),
    ("assign_agent", access::<SupervisorOrAdmin>()),
    ("delete_agent", access::<SupervisorOrAdmin>()),
    ("list_team_agents", access::<AnyRole>()),
    ("import_agents", access::<AdminOnly>()),
];

/// Registers the routes (`/agents/me` before `/agents/{id}`).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_agents)
        .service(import_agents)
        .service(create_agent)
        .service(get_my_agent)
        .service(get_agent)
        .service(update_agent)
        .service(assign_agent)
        .service(delete_agent)
        .service(list_team_agents);
}
