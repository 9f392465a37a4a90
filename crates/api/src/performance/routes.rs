//! `GET /api/agents/{id}/performance` and `GET /api/teams/{id}/performance`: everyone reads
//! the performance of the agents and teams they see.

use actix_web::{get, web};
use cc_types::performance::{Performance, PerformanceQuery};
use uuid::Uuid;

use super::service;
use crate::auth::{Access, AnyRole, Auth, access};
use crate::error::ApiResult;
use crate::extract::Query;
use crate::state::AppState;

/// An agent's time in each state per interval (from the state log), occupancy and
/// utilization (cc-core), calls handled and average handle time (from call records), over
/// at most 31 days, counted up to now. Days and weeks begin at midnight (Monday's) in
/// `time_zone`.
#[utoipa::path(
    tag = "performance",
    params(("id" = Uuid, Path, description = "Agent id"), PerformanceQuery),
    responses((status = 200, description = "The agent's performance", body = Performance))
)]
#[get("/agents/{id}/performance")]
pub async fn agent_performance(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    id: web::Path<Uuid>,
    Query(q): Query<PerformanceQuery>,
) -> ApiResult<web::Json<Performance>> {
    Ok(web::Json(service::of_agent(&state, &auth, *id, &q).await?))
}

/// The same for a team's current members, summed, with a line per agent.
#[utoipa::path(
    tag = "performance",
    params(("id" = Uuid, Path, description = "Team id"), PerformanceQuery),
    responses((status = 200, description = "The team's performance", body = Performance))
)]
#[get("/teams/{id}/performance")]
pub async fn team_performance(
    state: web::Data<AppState>,
    auth: Auth<AnyRole>,
    id: web::Path<Uuid>,
    Query(q): Query<PerformanceQuery>,
) -> ApiResult<web::Json<Performance>> {
    Ok(web::Json(service::of_team(&state, &auth, *id, &q).await?))
}

/// Who may call each operation of this module.
pub const POLICIES: &[(&str, Access)] = &[
    ("agent_performance", access::<AnyRole>()),
    ("team_performance", access::<AnyRole>()),
];

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(agent_performance).service(team_performance);
}
