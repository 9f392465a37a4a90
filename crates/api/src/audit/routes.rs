//! `GET /api/audit`.

use actix_web::{get, web};
use cc_types::Page;
use cc_types::audit::{AuditEntry, AuditQuery};

use super::service;
use crate::auth::{Access, AdminOnly, Auth, access};
use crate::error::ApiResult;
use crate::extract::Query;
use crate::state::AppState;

/// The organization's audit trail, newest first, with filters.
#[utoipa::path(
    tag = "audit",
    params(AuditQuery),
    responses((status = 200, description = "One page of audit rows", body = Page<AuditEntry>))
)]
#[get("/audit")]
pub async fn list_audit(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    Query(q): Query<AuditQuery>,
) -> ApiResult<web::Json<Page<AuditEntry>>> {
    Ok(web::Json(
        service::list(&state, auth.organization_id, &q).await?,
    ))
}

/// Who may call each operation of this module; the OpenAPI security requirements are
/// generated from it, and the role matrix test checks it against the handlers' `Auth<P>`.
pub const POLICIES: &[(&str, Access)] = &[("list_audit", access::<AdminOnly>())];

/// Registers the route.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit);
}
