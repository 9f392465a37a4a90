//! `/healthz` (the process answers), `/readyz` (database and Redis reachable) and
//! `/metrics` (Prometheus text format).

use actix_web::{HttpRequest, HttpResponse, get, web};
use cc_types::ErrorCode;
use sea_orm::ConnectionTrait;
use serde::Serialize;

use crate::error::problem_response;
use crate::state::AppState;

/// Readiness of each dependency.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// Database answered a query.
    pub database: bool,
    /// Redis answered PING (`true` when not configured).
    pub redis: bool,
    /// This instance follows the cross-instance event channel.
    pub events: bool,
    /// This instance follows (and has merged) the shared revocation set.
    pub revocations: bool,
}

/// The process is up.
#[utoipa::path(tag = "system", responses((status = 200, description = "Alive", body = String)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// The database and Redis are reachable.
#[utoipa::path(
    tag = "system",
    responses((status = 200, description = "Ready", body = Readiness), (status = 503, description = "Not ready", body = Readiness))
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let r = readiness(&state).await;
    if r.all() {
        HttpResponse::Ok().json(r)
    } else {
        HttpResponse::ServiceUnavailable().json(r)
    }
}

impl Readiness {
    fn all(&self) -> bool {
        self.database && self.redis && self.events && self.revocations
    }

    fn checks(&self) -> [(&'static str, bool); 4] {
        [
            ("database", self.database),
            ("redis", self.redis),
            ("events", self.events),
            ("revocations", self.revocations),
        ]
    }
}

/// Asks each dependency now.
async fn readiness(state: &AppState) -> Readiness {
    let database = state.infra.db.execute_unprepared("SELECT 1").await.is_ok();
    let redis = match &state.infra.redis {
        None => true,
        Some(pool) => match pool.get().await {
            Ok(mut c) => deadpool_redis::redis::cmd("PING")
                .query_async::<String>(&mut c)
                .await
                .is_ok(),
            Err(_) => false,
        },
    };
    Readiness {
        database,
        redis,
        events: state.infra.bus.is_live(),
        revocations: state.auth.revocations.is_live(),
    }
}

/// Prometheus metrics of this instance (admin allow-list applies).
#[utoipa::path(tag = "system", responses((status = 200, description = "Prometheus text format", body = String), (status = 403, description = "Network not allowed")))]
#[get("/metrics")]
pub async fn get_metrics(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let ip = crate::middleware::client_ip(&req, &state.infra.config);
    if !crate::middleware::ip_allow::admits(&state.infra.config.admin_allowlist, ip) {
        return problem_response(ErrorCode::IpNotAllowed, &[]);
    }
    let (open, idle) = crate::db::pool_usage(&state.infra.db);
    ::metrics::gauge!("db_pool_connections", "state" => "open").set(f64::from(open));
    ::metrics::gauge!("db_pool_connections", "state" => "idle").set(idle as f64);
    ::metrics::gauge!("db_pool_connections", "state" => "in_use")
        .set(f64::from(open).max(idle as f64) - idle as f64);
    // Readiness as a gauge, so that a scrape sees what /readyz would say (alerts.yml).
    for (check, ok) in readiness(&state).await.checks() {
        ::metrics::gauge!("cc_ready", "check" => check).set(if ok { 1.0 } else { 0.0 });
    }
    let body = crate::telemetry::metrics_handle()
        .map(|h| h.render())
        .unwrap_or_default();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body)
}
