//! Users of an organization and the bodies that manage them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

use crate::role::{Language, Role};

/// A person who signs in to CC-Lite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// UUID v7.
    pub id: Uuid,
    /// The organization the user belongs to.
    pub organization_id: Uuid,
    /// Sign-in email, unique in the organization.
    pub email: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// What the user may do.
    pub role: Role,
    /// The interface language the person chose; `null` follows the browser (the web
    /// app's locale, the API's `Accept-Language`).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub language: Option<Language>,
    /// Deactivated users cannot sign in.
    pub active: bool,
    /// When the user was created.
    pub created_at: DateTime<Utc>,
    /// When the user last changed.
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/users` (admin).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateUserRequest {
    /// Sign-in email.
    #[validate(email, length(max = 254))]
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 254))]
    pub email: String,
    /// Name shown to colleagues.
    #[validate(length(min = 1, max = 120), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 120,
            pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$"
        )
    )]
    pub display_name: String,
    /// Role to grant.
    pub role: Role,
    /// Initial password, 10 to 128 characters.
    #[validate(length(min = 10, max = 128))]
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 128))]
    pub password: String,
    /// Interface language; omitted or `null`, the person's browser decides.
    #[serde(default)]
    pub language: Option<Language>,
}

/// `PATCH /api/users/{id}` (admin): only the fields given change.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateUserRequest {
    /// New display name.
    #[validate(length(min = 1, max = 120), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 120,
            pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$"
        )
    )]
    pub display_name: Option<String>,
    /// New role.
    pub role: Option<Role>,
    /// New language; `null` goes back to following the browser, omitted keeps it.
    #[serde(
        default,
        deserialize_with = "crate::rules::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Language>))]
    pub language: Option<Option<Language>>,
}

/// `PATCH /api/auth/me`: the signed-in user's own profile.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateProfileRequest {
    /// New display name.
    #[validate(length(min = 1, max = 120), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 120,
            pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$"
        )
    )]
    pub display_name: Option<String>,
    /// New preferred language; `null` goes back to following the browser, omitted keeps
    /// it.
    #[serde(
        default,
        deserialize_with = "crate::rules::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Language>))]
    pub language: Option<Option<Language>>,
}

/// `POST /api/auth/password`: change one's own password.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    /// The password in use now.
    #[validate(length(min = 1, max = 1024))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    pub current_password: String,
    /// The new password, 10 to 128 characters.
    #[validate(length(min = 10, max = 128))]
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 128))]
    pub new_password: String,
}

/// Filters of `GET /api/users`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct UserListQuery {
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500))]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub limit: Option<u64>,
    /// Rows to skip, at most 1,000,000.
    #[validate(range(max = 1_000_000))]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1_000_000))]
    pub offset: Option<u64>,
    /// Only users with this role.
    pub role: Option<Role>,
    /// Only active (`true`) or deactivated (`false`) users.
    pub active: Option<bool>,
    /// Case-insensitive substring of email or display name.
    #[validate(length(max = 120), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        param(max_length = 120, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")
    )]
    pub q: Option<String>,
}
