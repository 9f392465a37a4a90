//! API keys for integrators (`/api/api-keys`).

use cc_types::Page;
use cc_types::api_keys::{ApiKey, ApiKeyListQuery, CreateApiKeyRequest, CreatedApiKey};
use uuid::Uuid;

use super::client::with_query;
use super::{Api, ApiError};

pub async fn list_api_keys(api: Api, query: &ApiKeyListQuery) -> Result<Page<ApiKey>, ApiError> {
    api.get(&with_query("/api/api-keys", query)).await
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
