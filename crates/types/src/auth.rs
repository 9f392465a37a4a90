//! Login, token refresh and logout bodies.

use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::users::User;

/// `POST /api/auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// The account's email address.
    #[validate(email, length(max = 254))]
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 254))]
    pub email: String,
    /// The account's password.
    #[validate(length(min = 1, max = 1024))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    pub password: String,
}

/// Answer of login and refresh.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// Ed25519-signed JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Opaque token for `/api/auth/refresh`; single use.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: u64,
}

/// `POST /api/auth/refresh`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    #[validate(length(min = 16, max = 256))]
    #[cfg_attr(feature = "openapi", schema(min_length = 16, max_length = 256))]
    pub refresh_token: String,
}

/// `GET /api/auth/me`: the signed-in user and what they may do.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// The user.
    pub user: User,
    /// The organization's display name.
    pub organization_name: String,
    /// `user` for a person, `api_key` for an integrator key.
    pub principal: String,
}

/// `POST /api/ws/ticket`: a single-use ticket for opening `/api/ws`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WsTicket {
    /// Pass as `?ticket=` to `GET /api/ws` within `expires_in` seconds.
    pub ticket: String,
    /// Seconds until the ticket expires.
    pub expires_in: u64,
}
