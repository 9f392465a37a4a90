//! `/api/time-off`: agents ask for time off; supervisors who manage them decide.

use actix_web::{HttpMessage, HttpRequest, HttpResponse, delete, get, post, web};
use cc_types::time_off::{TimeOff, TimeOffDecision, TimeOffListQuery, TimeOffRequest};
use cc_types::{Page, Problem};
use uuid::Uuid;

use super::time_off;
use crate::audit::AuditTarget;
use crate::auth::{Access, AnyRole, Auth, ContactWork, SupervisorOrAdmin, access};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// Lists the time-off requests of the agents the caller sees, newest first.
#[utoipa::path(
    tag = "shifts",
    params(TimeOffListQuery),
    responses((status = 200, description = "One page of requests", body = Page<TimeOff>))
)]
#[get("/time-off")]
pub async fn list_time_off(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    Query(q): Query<TimeOffListQuery>,
) -> ApiResult<web::Json<Page<TimeOff>>> {
    Ok(web::Json(time_off::list(&state, &auth, &q).await?))
}

/// Asks for time off: for the caller's own profile (no `agent_id`), or for an agent the
/// caller manages. The end must follow the start within 31 days (422); a span over
/// another pending or approved request of the agent answers 409 `time_off_overlap`.
#[utoipa::path(
    tag = "shifts",
    request_body = TimeOffRequest,
    responses(
        (status = 201, description = "Requested (pending)", body = TimeOff),
        (status = 404, description = "No such agent, or the caller has no profile (`agent_id` in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another request covers part of the span (`time_off_overlap`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/time-off")]
pub async fn request_time_off(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth<ContactWork>,
    Json(body): Json<TimeOffRequest>,
) -> ApiResult<HttpResponse> {
    let made = time_off::request(&state, &auth, body).await?;
    req.extensions_mut()
        .insert(AuditTarget(made.id.to_string()));
    Ok(HttpResponse::Created().json(made))
}

/// Approves or denies a pending request of an agent the caller manages (once: a decided
/// request answers 409 `already_decided`).
#[utoipa::path(
    tag = "shifts",
    params(("id" = Uuid, Path, description = "Request id")),
    request_body = TimeOffDecision,
    responses(
        (status = 200, description = "Decided", body = TimeOff),
        (status = 409, description = "Decided or cancelled already (`already_decided`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/time-off/{id}/decision")]
pub async fn decide_time_off(
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
    Json(body): Json<TimeOffDecision>,
) -> ApiResult<web::Json<TimeOff>> {
    Ok(web::Json(time_off::decide(&state, &auth, *id, body).await?))
}

/// Cancels a request: the agent their own pending one, a manager any pending or approved
/// one. The row stays, cancelled, with who cancelled it.
#[utoipa::path(
    tag = "shifts",
    params(("id" = Uuid, Path, description = "Request id")),
    responses(
        (status = 200, description = "Cancelled", body = TimeOff),
        (status = 409, description = "Decided or cancelled already (`already_decided`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/time-off/{id}")]
pub async fn cancel_time_off(
    state: web::Data<AppState>,
    auth: Auth<ContactWork>,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<TimeOff>> {
    Ok(web::Json(time_off::cancel(&state, &auth, *id).await?))
}

/// Who may call each operation of this module.
pub const POLICIES: &[(&str, Access)] = &[
    ("list_time_off", access::<AnyRole>()),
    ("request_time_off", access::<ContactWork>()),
    ("decide_time_off", access::<SupervisorOrAdmin>()),
    ("cancel_time_off", access::<ContactWork>()),
];

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_time_off)
        .service(request_time_off)
        .service(decide_time_off)
        .service(cancel_time_off);
}
