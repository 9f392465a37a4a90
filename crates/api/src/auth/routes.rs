//! `/api/auth/*` and `/.well-known/jwks.json`.

use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, patch, post, web};
use cc_types::auth::{LoginRequest, Me, RefreshRequest, TokenResponse};
use cc_types::users::{ChangePasswordRequest, UpdateProfileRequest, User};
use cc_types::{ErrorCode, Problem};

use super::keys::Jwks;
use super::{Access, AnyPerson, Auth, Principal, access, service};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::middleware::client_ip;
use crate::state::AppState;
use crate::users::service as users;

/// Signs in with email and password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Account deactivated", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    Json(body): Json<LoginRequest>,
) -> ApiResult<web::Json<TokenResponse>> {
    let ip = client_ip(&req, &state.infra.config);
    let outcome = service::login(&state, &body.email, body.password, ip).await?;
    if let Some(u) = &outcome.user {
        // Attributes the attempt, successful or not, in the account's organization.
        req.extensions_mut().insert(Principal {
            organization_id: u.organization_id,
            user_id: Some(u.id),
            api_key_id: None,
            role: u.role.into(),
            label: Some(u.email.clone()),
            token: None,
            session_id: None,
            scopes: None,
        });
    }
    outcome.result.map(web::Json)
}

/// Exchanges a refresh token for a new pair; the old refresh token stops working.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "Invalid, expired or reused refresh token", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    Json(body): Json<RefreshRequest>,
) -> ApiResult<web::Json<TokenResponse>> {
    Ok(web::Json(
        service::refresh(&state, &body.refresh_token).await?,
    ))
}

/// Signs out: the access token and its whole session are revoked.
#[utoipa::path(
    tag = "auth",
    responses((status = 204, description = "Signed out"))
)]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, auth: Auth<AnyPerson>) -> ApiResult<HttpResponse> {
    let (Some((jti, exp)), Some(session)) = (auth.token, auth.session_id) else {
        return Err(ApiError::Client(ErrorCode::Forbidden));
    };
    state.auth.revocations.revoke(jti, exp).await;
    service::revoke_family(&state, auth.organization_id, session).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "The caller", body = Me))
)]
#[get("/auth/me")]
pub async fn get_me(state: web::Data<AppState>, auth: Auth<AnyPerson>) -> ApiResult<web::Json<Me>> {
    let row = users::me_cached(&state, &auth).await?;
    let organization_name =
        crate::organizations::service::name(&state, auth.organization_id).await?;
    Ok(web::Json(Me {
        user: users::to_dto(&row),
        organization_name,
        principal: "user".into(),
    }))
}

/// Changes the signed-in user's name or preferred language.
#[utoipa::path(
    tag = "auth",
    request_body = UpdateProfileRequest,
    responses((status = 200, description = "Updated profile", body = User))
)]
#[patch("/auth/me")]
pub async fn update_me(
    state: web::Data<AppState>,
    auth: Auth<AnyPerson>,
    Json(body): Json<UpdateProfileRequest>,
) -> ApiResult<web::Json<User>> {
    Ok(web::Json(users::update_profile(&state, &auth, body).await?))
}

/// Changes the signed-in user's password; every session of the user ends, this one too.
#[utoipa::path(
    tag = "auth",
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Password changed; sign in again"),
        (status = 403, description = "The current password is incorrect (`current_password_incorrect`), or the role or key is not allowed", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    auth: Auth<AnyPerson>,
    Json(body): Json<ChangePasswordRequest>,
) -> ApiResult<HttpResponse> {
    users::change_password(&state, &auth, body).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Public keys that verify access tokens.
#[utoipa::path(tag = "auth", responses((status = 200, description = "JSON Web Key Set", body = Jwks)))]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=300"))
        .json(state.auth.keys.jwks())
}

/// Who may call each operation of this module; the OpenAPI security requirements are
/// generated from it, and the role matrix test checks it against the handlers' `Auth<P>`.
pub const POLICIES: &[(&str, Access)] = &[
    ("logout", access::<AnyPerson>()),
    ("get_me", access::<AnyPerson>()),
    ("update_me", access::<AnyPerson>()),
    ("change_password", access::<AnyPerson>()),
];

/// Registers the `/api/auth` routes.
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login)
        .service(refresh)
        .service(logout)
        .service(get_me)
        .service(update_me)
        .service(change_password);
}
