//! `/api/teams/{id}/forecast` and `/api/teams/{id}/staffing`: everyone who sees a team
//! reads its forecast and staffing; admins and the supervisors who manage it forecast.

use actix_web::{HttpMessage, HttpRequest, get, put, web};
use cc_types::Problem;
use cc_types::staffing::{
    ForecastDayRequest, ForecastQuery, StaffingQuery, TeamForecast, TeamStaffing,
};
use uuid::Uuid;

use super::{forecast, report};
use crate::audit::AuditTarget;
use crate::auth::{Access, AnyRole, Auth, SupervisorOrAdmin, access};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// The team's forecast of a local day; a day nobody has forecast answers empty `calls`
/// with the defaults (30 minutes, 80 % in 20 s, 180 s handle time, 60 s patience).
#[utoipa::path(
    tag = "staffing",
    params(("id" = Uuid, Path, description = "Team id"), ForecastQuery),
    responses((status = 200, description = "The day's forecast", body = TeamForecast))
)]
#[get("/teams/{id}/forecast")]
pub async fn get_team_forecast(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    id: web::Path<Uuid>,
    Query(q): Query<ForecastQuery>,
) -> ApiResult<web::Json<TeamForecast>> {
    Ok(web::Json(forecast::get(&state, &auth, *id, &q).await?))
}

/// Saves the forecast of a local day, replacing the team's forecast of that day; an empty
/// `calls` removes it. More calls than the day has intervals answer 422 `day_intervals`;
/// a day overlapping another day of the team saved in another zone, 409
/// `forecast_overlap`.
#[utoipa::path(
    tag = "staffing",
    params(("id" = Uuid, Path, description = "Team id")),
    request_body = ForecastDayRequest,
    responses(
        (status = 200, description = "Saved", body = TeamForecast),
        (status = 409, description = "Another day of the team's forecast overlaps (`forecast_overlap`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/teams/{id}/forecast")]
pub async fn put_team_forecast(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth<SupervisorOrAdmin>,
    id: web::Path<Uuid>,
    Json(body): Json<ForecastDayRequest>,
) -> ApiResult<web::Json<TeamForecast>> {
    let saved = forecast::put(&state, &auth, *id, body).await?;
    req.extensions_mut().insert(AuditTarget(id.to_string()));
    Ok(web::Json(saved))
}

/// Per interval of the span: the forecast calls, the agents Erlang C and Erlang A require
/// for the forecast's service-level target, the agents scheduled on the phones (shifts
/// minus breaks and approved time off of the team's members), Erlang A's predicted service
/// level and abandon rate with them, and whether the interval is understaffed. At most
/// seven days (422 `max_days`).
#[utoipa::path(
    tag = "staffing",
    params(("id" = Uuid, Path, description = "Team id"), StaffingQuery),
    responses((status = 200, description = "The staffing report", body = TeamStaffing))
)]
#[get("/teams/{id}/staffing")]
pub async fn team_staffing(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    id: web::Path<Uuid>,
    Query(q): Query<StaffingQuery>,
) -> ApiResult<web::Json<TeamStaffing>> {
    Ok(web::Json(report::of_team(&state, &auth, *id, &q).await?))
}

/// Who may call each operation of this module.
pub const POLICIES: &[(&str, Access)] = &[
    ("get_team_forecast", access::<AnyRole>()),
    ("put_team_forecast", access::<SupervisorOrAdmin>()),
    ("team_staffing", access::<AnyRole>()),
];

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_team_forecast)
        .service(put_team_forecast)
        .service(team_staffing);
}
