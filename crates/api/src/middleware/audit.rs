//! Records every mutating request (POST, PUT, PATCH, DELETE) whose organization is known,
//! after the handler answered, with its outcome. Reads are not audited.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};

use crate::audit::AuditTarget;
use crate::audit::service::{self, Record};
use crate::auth::Principal;
use crate::state::AppState;
use crate::telemetry::request_context;

/// The audit middleware.
pub async fn audit_middleware(
    state: web::Data<AppState>,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.call(req).await;
    }
    let method = req.method().to_string();
    let template = req.match_pattern().unwrap_or_else(|| req.path().to_owned());
    let path_id = req.match_info().get("id").map(str::to_owned);
    let ip = super::service_client_ip(&req, &state.infra.config).map(|i| i.to_string());
    let res = next.call(req).await?;
    let principal = res.request().extensions().get::<Principal>().cloned();
    let Some(p) = principal else { return Ok(res) };
    let target = res
        .request()
        .extensions()
        .get::<AuditTarget>()
        .map(|t| t.0.clone());
    let route = format!("{method} {template}");
    let record = Record {
        organization_id: p.organization_id,
        actor_user_id: p.user_id,
        actor_api_key_id: p.api_key_id,
        actor_label: p.label,
        action: state
            .http
            .operations
            .get(&route)
            .cloned()
            .unwrap_or_else(|| route.clone()),
        route,
        target_id: target.or(path_id),
        status: res.status().as_u16(),
        request_id: request_context().request_id,
        ip,
    };
    if let Err(e) = service::record(&state, record).await {
        tracing::error!(error = %e, "audit record not written");
    }
    Ok(res)
}
