//! User management (`/api/users`).

use cc_types::Page;
use cc_types::users::{CreateUserRequest, UpdateUserRequest, User, UserListQuery};
use uuid::Uuid;

use super::client::with_query;
use super::{Api, ApiError};

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
