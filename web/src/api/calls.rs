//! One function per endpoint the app uses, named like the API's operation ids.

use cc_types::Page;
use cc_types::api_keys::{ApiKey, ApiKeyListQuery, CreateApiKeyRequest, CreatedApiKey};
use cc_types::audit::{AuditEntry, AuditQuery};
use cc_types::auth::{LoginRequest, Me, TokenResponse, WsTicket};
use cc_types::users::{
    ChangePasswordRequest, CreateUserRequest, UpdateProfileRequest, UpdateUserRequest, User,
    UserListQuery,
};
use serde::Serialize;
use serde::de::IgnoredAny;
use uuid::Uuid;

use super::{Api, ApiError, PublicApi};

fn with_query<Q: Serialize>(path: &str, query: &Q) -> String {
    match serde_urlencoded::to_string(query) {
        Ok(q) if !q.is_empty() => format!("{path}?{q}"),
        _ => path.to_owned(),
    }
}

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

pub async fn list_users(api: Api, query: &UserListQuery) -> Result<Page<User>, ApiError> {
    api.get(&with_query("/api/users", query)).await
}

pub async fn create_user(api: Api, req: &CreateUserRequest) -> Result<User, ApiError> {
    api.post("/api/users", req).await
}

pub async fn update_user(api: Api, id: Uuid, req: &UpdateUserRequest) -> Result<User, ApiError> {
    api.patch(&format!("/api/users/{id}"), req).await
}

pub async fn deactivate_user(api: Api, id: Uuid) -> Result<User, ApiError> {
    api.post(&format!("/api/users/{id}/deactivate"), &()).await
}

pub async fn reactivate_user(api: Api, id: Uuid) -> Result<User, ApiError> {
    api.post(&format!("/api/users/{id}/reactivate"), &()).await
}

pub async fn list_api_keys(api: Api, page: &ApiKeyListQuery) -> Result<Page<ApiKey>, ApiError> {
    api.get(&with_query("/api/api-keys", page)).await
}

pub async fn create_api_key(
    api: Api,
    req: &CreateApiKeyRequest,
) -> Result<CreatedApiKey, ApiError> {
    api.post("/api/api-keys", req).await
}

pub async fn revoke_api_key(api: Api, id: Uuid) -> Result<ApiKey, ApiError> {
    api.delete(&format!("/api/api-keys/{id}")).await
}

pub async fn list_audit(api: Api, query: &AuditQuery) -> Result<Page<AuditEntry>, ApiError> {
    api.get(&with_query("/api/audit", query)).await
}

pub async fn create_ws_ticket(api: Api) -> Result<WsTicket, ApiError> {
    api.post("/api/ws/ticket", &()).await
}
