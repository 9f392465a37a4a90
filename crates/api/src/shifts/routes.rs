//! `/api/shifts` and `/api/shift-templates`: schedules. Everyone reads the shifts of the
//! agents they see; admins and supervisors plan them (supervisors: for the agents of
//! their teams and the unassigned pool).

use actix_web::{HttpMessage, HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use cc_types::adherence::{AdherenceQuery, AgentAdherence};
use cc_types::shifts::{
    CreateShiftRequest, CurrentShifts, CurrentShiftsQuery, ScheduleRequest, ScheduleResult, Shift,
    ShiftListQuery, ShiftTemplate, ShiftTemplateListQuery, ShiftTemplateRequest,
    UpdateShiftRequest,
};
use cc_types::{Page, Problem};
use uuid::Uuid;

use super::{adherence, current, schedule, service, templates};
use crate::audit::AuditTarget;
use crate::auth::{Access, AnyRole, Auth, SupervisorOrAdmin, access};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// Lists the shifts the caller sees that overlap `[from, to)`, by start.
#[utoipa::path(
    tag = "shifts",
    params(ShiftListQuery),
    responses((status = 200, description = "One page of shifts", body = Page<Shift>))
)]
#[get("/shifts")]
pub async fn list_shifts(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    Query(q): Query<ShiftListQuery>,
) -> ApiResult<web::Json<Page<Shift>>> {
    Ok(web::Json(service::list(&state, &auth, &q).await?))
}

/// Schedules one shift for an agent the caller manages. The end must be after the start
/// and at most 24 hours later, breaks inside the shift and apart (422 naming the field);
/// a shift that overlaps another of the agent's answers 409 `shift_overlap` naming it.
#[utoipa::path(
    tag = "shifts",
    request_body = CreateShiftRequest,
    responses(
        (status = 201, description = "Created", body = Shift),
        (status = 404, description = "The agent does not exist (`agent_id` in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The agent has another shift then (`shift_overlap`, named in `conflicts`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/shifts")]
pub async fn create_shift(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    Json(body): Json<CreateShiftRequest>,
) -> ApiResult<HttpResponse> {
    let shift = service::create(&state, &auth, body).await?;
    req.extensions_mut()
        .insert(AuditTarget(shift.id.to_string()));
    Ok(HttpResponse::Created().json(shift))
}

/// Who is scheduled now among the agents the caller sees (optionally one team's), and
/// whether each is logged in, on a break, or missing.
#[utoipa::path(
    tag = "shifts",
    params(CurrentShiftsQuery),
    responses((status = 200, description = "The agents scheduled now", body = CurrentShifts))
)]
#[get("/shifts/current")]
pub async fn current_shifts(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    Query(q): Query<CurrentShiftsQuery>,
) -> ApiResult<web::Json<CurrentShifts>> {
    Ok(web::Json(current::now(&state, &auth, &q).await?))
}

/// Applies a weekly pattern: the template's shift for each agent on each chosen weekday
/// from `from` to `to`, in the agent's time zone, except the dates listed. All or
/// nothing: an overlap refuses the whole request (409 naming it).
#[utoipa::path(
    tag = "shifts",
    request_body = ScheduleRequest,
    responses(
        (status = 201, description = "The shifts created", body = ScheduleResult),
        (status = 404, description = "The template or an agent does not exist (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A shift would overlap another (`shift_overlap`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/shifts/schedule")]
pub async fn schedule_shifts(
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    Json(body): Json<ScheduleRequest>,
) -> ApiResult<HttpResponse> {
    let result = schedule::apply(&state, &auth, body).await?;
    Ok(HttpResponse::Created().json(result))
}

/// A shift the caller sees.
#[utoipa::path(
    tag = "shifts",
    params(("id" = Uuid, Path, description = "Shift id")),
    responses((status = 200, description = "The shift", body = Shift))
)]
#[get("/shifts/{id}")]
pub async fn get_shift(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<Shift>> {
    Ok(web::Json(service::get(&state, &auth, *id).await?))
}

/// Moves or resizes a shift, or replaces its breaks; the same rules as creating one.
#[utoipa::path(
    tag = "shifts",
    params(("id" = Uuid, Path, description = "Shift id")),
    request_body = UpdateShiftRequest,
    responses(
        (status = 200, description = "Updated", body = Shift),
        (status = 409, description = "The agent has another shift then (`shift_overlap`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/shifts/{id}")]
pub async fn update_shift(
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
    Json(body): Json<UpdateShiftRequest>,
) -> ApiResult<web::Json<Shift>> {
    Ok(web::Json(service::update(&state, &auth, *id, body).await?))
}

/// Deletes a shift.
#[utoipa::path(
    tag = "shifts",
    params(("id" = Uuid, Path, description = "Shift id")),
    responses((status = 204, description = "Deleted"))
)]
#[delete("/shifts/{id}")]
pub async fn delete_shift(
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    service::delete(&state, &auth, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Lists the organization's shift templates by name.
#[utoipa::path(
    tag = "shifts",
    params(ShiftTemplateListQuery),
    responses((status = 200, description = "One page of templates", body = Page<ShiftTemplate>))
)]
#[get("/shift-templates")]
pub async fn list_shift_templates(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    Query(q): Query<ShiftTemplateListQuery>,
) -> ApiResult<web::Json<Page<ShiftTemplate>>> {
    Ok(web::Json(
        templates::list(&state, auth.organization_id, q.limit, q.offset).await?,
    ))
}

/// Adds a shift template; breaks must lie inside it and apart (422).
#[utoipa::path(
    tag = "shifts",
    request_body = ShiftTemplateRequest,
    responses(
        (status = 201, description = "Created", body = ShiftTemplate),
        (status = 409, description = "Name already in use", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/shift-templates")]
pub async fn create_shift_template(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    Json(body): Json<ShiftTemplateRequest>,
) -> ApiResult<HttpResponse> {
    let tpl = templates::create(&state, auth.organization_id, body).await?;
    req.extensions_mut().insert(AuditTarget(tpl.id.to_string()));
    Ok(HttpResponse::Created().json(tpl))
}

/// Replaces a template; shifts already made from it stay as they are.
#[utoipa::path(
    tag = "shifts",
    params(("id" = Uuid, Path, description = "Template id")),
    request_body = ShiftTemplateRequest,
    responses(
        (status = 200, description = "Replaced", body = ShiftTemplate),
        (status = 409, description = "Name already in use", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/shift-templates/{id}")]
pub async fn replace_shift_template(
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
    Json(body): Json<ShiftTemplateRequest>,
) -> ApiResult<web::Json<ShiftTemplate>> {
    Ok(web::Json(
        templates::replace(&state, auth.organization_id, *id, body).await?,
    ))
}

/// Deletes a template; shifts made from it stay.
#[utoipa::path(
    tag = "shifts",
    params(("id" = Uuid, Path, description = "Template id")),
    responses((status = 204, description = "Deleted"))
)]
#[delete("/shift-templates/{id}")]
pub async fn delete_shift_template(
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    templates::delete(&state, auth.organization_id, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// An agent's schedule adherence over a span (default: today in the agent's zone, up to
/// now): minutes scheduled, in and out of adherence, adherence and conformance, and the
/// breakdown by interval.
#[utoipa::path(
    tag = "shifts",
    params(("id" = Uuid, Path, description = "Agent id"), AdherenceQuery),
    responses((status = 200, description = "The agent's adherence", body = AgentAdherence))
)]
#[get("/agents/{id}/adherence")]
pub async fn agent_adherence(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    id: web::Path<Uuid>,
    Query(q): Query<AdherenceQuery>,
) -> ApiResult<web::Json<AgentAdherence>> {
    Ok(web::Json(
        adherence::of_agent(&state, &auth, *id, &q).await?,
    ))
}

/// Who may call each operation of this module.
pub const POLICIES: &[(&str, Access)] = &[
    ("list_shifts", access::<AnyRole>()),
    ("create_shift", access::<SupervisorOrAdmin>()),
    ("current_shifts", access::<AnyRole>()),
    ("schedule_shifts", access::<SupervisorOrAdmin>()),
    ("get_shift", access::<AnyRole>()),
    ("update_shift", access::<SupervisorOrAdmin>()),
    ("delete_shift", access::<SupervisorOrAdmin>()),
    ("list_shift_templates", access::<AnyRole>()),
    ("create_shift_template", access::<SupervisorOrAdmin>()),
    ("replace_shift_template", access::<SupervisorOrAdmin>()),
    ("delete_shift_template", access::<SupervisorOrAdmin>()),
    ("agent_adherence", access::<AnyRole>()),
];

/// Registers the routes (`/shifts/current` and `/shifts/schedule` before `/shifts/{id}`).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_shifts)
        .service(create_shift)
        .service(current_shifts)
        .service(schedule_shifts)
        .service(get_shift)
        .service(update_shift)
        .service(delete_shift)
        .service(list_shift_templates)
        .service(create_shift_template)
        .service(replace_shift_template)
        .service(delete_shift_template)
        .service(agent_adherence);
}
