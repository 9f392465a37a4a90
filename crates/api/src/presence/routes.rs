//! Presence over HTTP: an agent changes their own state; supervisors and admins force one
//! (recorded as forced, audited); everyone reads the not-ready reasons, admins change them.

use actix_web::{HttpMessage, HttpRequest, HttpResponse, delete, get, post, put, web};
use cc_types::presence::{
    AgentPresence, ChangeStateRequest, NotReadyReasonDef, NotReadyReasonRequest,
};
use cc_types::{ErrorCode, Problem};
use uuid::Uuid;

use super::reasons;
use super::service::{self, Target};
use crate::audit::AuditTarget;
use crate::auth::{Access, AdminOnly, AnyPerson, AnyRole, Auth, SupervisorOrAdmin, access};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::state::AppState;

/// Changes the caller's own state (log in, ready, not ready for a reason, log out).
#[utoipa::path(
    tag = "presence",
    request_body = ChangeStateRequest,
    responses(
        (status = 200, description = "The new state", body = AgentPresence),
        (status = 404, description = "The caller has no agent profile, or the reason does not exist (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not possible in the current state (`invalid_transition`, naming the state and the event)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/agents/me/state")]
pub async fn change_my_state(
    state: web::Data<AppState>,
    auth: Auth<AnyPerson>,
    Json(body): Json<ChangeStateRequest>,
) -> ApiResult<web::Json<AgentPresence>> {
    Ok(web::Json(
        service::change(&state, &auth, Target::Me, &body).await?,
    ))
}

/// Forces an agent's state (supervisors: the agents of their teams and the unassigned).
#[utoipa::path(
    tag = "presence",
    params(("id" = Uuid, Path, description = "Agent id")),
    request_body = ChangeStateRequest,
    responses(
        (status = 200, description = "The new state, `forced`", body = AgentPresence),
        (status = 409, description = "Not possible in the current state", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/agents/{id}/state")]
pub async fn force_agent_state(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
    Json(body): Json<ChangeStateRequest>,
) -> ApiResult<web::Json<AgentPresence>> {
    let changed = service::change(&state, &auth, Target::Agent(*id), &body).await?;
    // Named only once the agent is known to be the caller's to force.
    req.extensions_mut().insert(AuditTarget(id.to_string()));
    Ok(web::Json(changed))
}

/// The organization's not-ready reasons: the built-in ones, then its own.
#[utoipa::path(
    tag = "presence",
    responses((status = 200, description = "Every reason", body = Vec<NotReadyReasonDef>))
)]
#[get("/not-ready-reasons")]
pub async fn list_not_ready_reasons(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
) -> ApiResult<web::Json<Vec<NotReadyReasonDef>>> {
    Ok(web::Json(
        reasons::list(&state.infra.db, auth.organization_id).await?,
    ))
}

fn checked(code: &str) -> ApiResult<()> {
    let ok = (1..=40).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ApiError::Client(ErrorCode::NotFound))
    }
}

/// Adds a reason, or changes one (a built-in one's longest duration).
#[utoipa::path(
    tag = "presence",
    params(("code" = String, Path, description = "Reason code: lower-case letters, digits, `_`", pattern = r"^[a-z0-9_]{1,40}$")),
    request_body = NotReadyReasonRequest,
    responses(
        (status = 200, description = "The reason", body = NotReadyReasonDef),
        (status = 409, description = "The organization has 100 reasons of its own already (`limit_reached`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/not-ready-reasons/{code}")]
pub async fn put_not_ready_reason(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    code: web::Path<String>,
    Json(body): Json<NotReadyReasonRequest>,
) -> ApiResult<web::Json<NotReadyReasonDef>> {
    checked(&code)?;
    let saved = reasons::put(&state, auth.organization_id, &code, body).await?;
    req.extensions_mut().insert(AuditTarget(code.to_string()));
    Ok(web::Json(saved))
}

/// Deletes one of the organization's own reasons (built-in ones answer 409).
#[utoipa::path(
    tag = "presence",
    params(("code" = String, Path, description = "Reason code", pattern = r"^[a-z0-9_]{1,40}$")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "A built-in reason (`reason_built_in`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/not-ready-reasons/{code}")]
pub async fn delete_not_ready_reason(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    checked(&code)?;
    reasons::delete(&state, auth.organization_id, &code).await?;
    req.extensions_mut().insert(AuditTarget(code.to_string()));
    Ok(HttpResponse::NoContent().finish())
}

/// Who may call each operation of this module.
pub const POLICIES: &[(&str, Access)] = &[
    ("change_my_state", access::<AnyPerson>()),
    ("force_agent_state", access::<SupervisorOrAdmin>()),
    ("list_not_ready_reasons", access::<AnyRole>()),
    ("put_not_ready_reason", access::<AdminOnly>()),
    ("delete_not_ready_reason", access::<AdminOnly>()),
];

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(change_my_state)
        .service(force_agent_state)
        .service(list_not_ready_reasons)
        .service(put_not_ready_reason)
        .service(delete_not_ready_reason);
}
