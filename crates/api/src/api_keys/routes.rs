//! `/api/api-keys`: admin management of integrator keys.

use actix_web::{HttpMessage, HttpRequest, HttpResponse, delete, get, post, web};
use cc_types::api_keys::{ApiKey, ApiKeyListQuery, CreateApiKeyRequest, CreatedApiKey};
use cc_types::{Page, Problem};
use uuid::Uuid;

use super::service;
use crate::audit::AuditTarget;
use crate::auth::{Access, AdminOnly, Auth, access};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// Lists the organization's API keys (never their secrets).
#[utoipa::path(
    tag = "api-keys",
    params(ApiKeyListQuery),
    responses((status = 200, description = "One page of keys", body = Page<ApiKey>))
)]
#[get("/api-keys")]
pub async fn list_api_keys(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    Query(q): Query<ApiKeyListQuery>,
) -> ApiResult<web::Json<Page<ApiKey>>> {
    Ok(web::Json(
        service::list(&state, auth.organization_id, q.limit, q.offset).await?,
    ))
}

/// Creates an API key. The secret is shown in this answer only.
#[utoipa::path(
    tag = "api-keys",
    request_body = CreateApiKeyRequest,
    responses(
        (status = 201, description = "Created; store `key` now", body = CreatedApiKey),
        (status = 409, description = "Name already in use", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/api-keys")]
pub async fn create_api_key(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    Json(body): Json<CreateApiKeyRequest>,
) -> ApiResult<HttpResponse> {
    let created = service::create(&state, &auth, body).await?;
    req.extensions_mut()
        .insert(AuditTarget(created.api_key.id.to_string()));
    Ok(HttpResponse::Created().json(created))
}

/// Revokes an API key.
#[utoipa::path(
    tag = "api-keys",
    params(("id" = Uuid, Path, description = "API key id")),
    responses((status = 200, description = "Revoked", body = ApiKey))
)]
#[delete("/api-keys/{id}")]
pub async fn revoke_api_key(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<ApiKey>> {
    Ok(web::Json(
        service::revoke(&state, auth.organization_id, *id).await?,
    ))
}

/// Who may call each operation of this module; the OpenAPI security requirements are
/// generated from it, and the role matrix test checks it against the handlers' `Auth<P>`.
pub const POLICIES: &[(&str, Access)] = &[
    ("list_api_keys", access::<AdminOnly>()),
    ("create_api_key", access::<AdminOnly>()),
    ("revoke_api_key", access::<AdminOnly>()),
];

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_api_keys)
        .service(create_api_key)
        .service(revoke_api_key);
}
