//! `/api/users`: admin management of the organization's users.

use actix_web::http::header::ContentType;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, delete, get, patch, post, web};
use cc_types::users::{CreateUserRequest, UpdateUserRequest, User, UserListQuery};
use cc_types::{Page, Problem};
use uuid::Uuid;

use super::service;
use crate::audit::AuditTarget;
use crate::auth::{Access, AdminOnly, Auth, access};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;

/// Lists the organization's users, newest first, with filters.
#[utoipa::path(
    tag = "users",
    params(UserListQuery),
    responses((status = 200, description = "One page of users", body = Page<User>))
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    Query(q): Query<UserListQuery>,
) -> ApiResult<HttpResponse> {
    let body = service::list_cached(&state, auth.organization_id, &q).await?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body))
}

/// Creates a user with a role and an initial password.
#[utoipa::path(
    tag = "users",
    request_body = CreateUserRequest,
    responses(
        (status = 201, description = "Created", body = User),
        (status = 409, description = "Email already in use", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/users")]
pub async fn create_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    Json(body): Json<CreateUserRequest>,
) -> ApiResult<HttpResponse> {
    let user = service::create(&state, auth.organization_id, body).await?;
    req.extensions_mut()
        .insert(AuditTarget(user.id.to_string()));
    Ok(HttpResponse::Created().json(user))
}

/// One user of the organization.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses((status = 200, description = "The user", body = User))
)]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<User>> {
    Ok(web::Json(service::to_dto(
        &service::get(&state, auth.organization_id, *id).await?,
    )))
}

/// Changes a user's name, role or language.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    request_body = UpdateUserRequest,
    responses((status = 200, description = "Updated", body = User))
)]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    id: web::Path<Uuid>,
    Json(body): Json<UpdateUserRequest>,
) -> ApiResult<web::Json<User>> {
    Ok(web::Json(service::update(&state, &auth, *id, body).await?))
}

/// Deactivates a user: they cannot sign in and every session ends at once.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses((status = 200, description = "Deactivated", body = User))
)]
#[post("/users/{id}/deactivate")]
pub async fn deactivate_user(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<User>> {
    Ok(web::Json(
        service::set_active(&state, &auth, *id, false).await?,
    ))
}

/// Lets a deactivated user sign in again.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses((status = 200, description = "Reactivated", body = User))
)]
#[post("/users/{id}/reactivate")]
pub async fn reactivate_user(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    id: web::Path<Uuid>,
) -> ApiResult<web::Json<User>> {
    Ok(web::Json(
        service::set_active(&state, &auth, *id, true).await?,
    ))
}

/// Deletes a user and ends their sessions.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path, description = "User id")),
    responses((status = 204, description = "Deleted"))
)]
#[delete("/users/{id}")]
pub async fn delete_user(
    state: web::Data<AppState>,
    auth: Auth<AdminOnly>,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    service::delete(&state, &auth, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Who may call each operation of this module; the OpenAPI security requirements are
/// generated from it, and the role matrix test checks it against the handlers' `Auth<P>`.
pub const POLICIES: &[(&str, Access)] = &[
    ("list_users", access::<AdminOnly>()),
    ("create_user", access::<AdminOnly>()),
    ("get_user", access::<AdminOnly>()),
    ("update_user", access::<AdminOnly>()),
    ("deactivate_user", access::<AdminOnly>()),
    ("reactivate_user", access::<AdminOnly>()),
    ("delete_user", access::<AdminOnly>()),
];

/// Registers the routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(deactivate_user)
        .service(reactivate_user)
        .service(delete_user);
}
