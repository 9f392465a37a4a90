//! API keys for integrators: created by an admin, shown once, stored hashed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use crate::role::Role;

/// What an API key may do on top of its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApiScope {
    /// Safe methods (GET).
    Read,
    /// Mutating methods (POST, PUT, PATCH, DELETE).
    Write,
}

/// An API key as listed (never the secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    /// UUID v7.
    pub id: Uuid,
    /// Name given by the admin, unique in the organization.
    pub name: String,
    /// First characters of the key, to recognise it.
    pub prefix: String,
    /// The role the key acts as.
    pub role: Role,
    /// Read and/or write.
    pub scopes: Vec<ApiScope>,
    /// After this instant the key is refused.
    pub expires_at: Option<DateTime<Utc>>,
    /// Set when an admin revoked the key.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Last successful use.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When the key was created.
    pub created_at: DateTime<Utc>,
}

/// `POST /api/api-keys` (admin).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApiKeyRequest {
    /// A name that says who uses the key.
    #[validate(length(min = 1, max = 120), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 120,
            pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$"
        )
    )]
    pub name: String,
    /// The role the key acts as.
    pub role: Role,
    /// At least one scope.
    #[validate(length(min = 1, max = 2))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 2))]
    pub scopes: Vec<ApiScope>,
    /// Days until the key expires, 1 to 3650 (ten years); never when omitted. The
    /// answer's `expires_at` is the instant.
    #[validate(range(min = 1, max = 3650))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 3650))]
    pub expires_in_days: Option<u32>,
}

/// Answer of key creation: the only time the secret is shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    /// The secret, for `X-API-Key` or `Authorization: Bearer`. Store it now.
    pub key: String,
    /// The key's record.
    pub api_key: ApiKey,
}

/// Paging of `GET /api/api-keys`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ApiKeyListQuery {
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500))]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub limit: Option<u64>,
    /// Rows to skip, at most 1,000,000.
    #[validate(range(max = 1_000_000))]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1_000_000))]
    pub offset: Option<u64>,
}
