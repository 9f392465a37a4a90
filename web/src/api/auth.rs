//! Signing in and the signed-in user's own account (`/api/auth/*`). Renewing and ending
//! the session belong to the client itself ([`super::Api`]).

use cc_types::auth::{LoginRequest, Me, TokenResponse};
use cc_types::users::{ChangePasswordRequest, UpdateProfileRequest, User};
use serde::de::IgnoredAny;

use super::{Api, ApiError, PublicApi};

pub async fn login(api: PublicApi, req: &LoginRequest) -> Result<TokenResponse, ApiError> {
    api.post("/api/auth/login", req).await
}

pub async fn get_me(api: Api) -> Result<Me, ApiError> {
    api.get("/api/auth/me").await
}

pub async fn update_me(api: Api, req: &UpdateProfileRequest) -> Result<User, ApiError> {
    api.patch("/api/auth/me", req).await
}

pub async fn change_password(api: Api, req: &ChangePasswordRequest) -> Result<(), ApiError> {
    api.post::<_, Option<IgnoredAny>>("/api/auth/password", req)
        .await
        .map(drop)
}
