//! Creating organizations and reading their names.

use cc_types::users::CreateUserRequest;
use cc_types::{ErrorCode, Role};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};
use uuid::Uuid;
use validator::Validate;

use super::entity as organization;
use crate::error::{ApiError, ApiResult};
use crate::extract::issues;
use crate::state::AppState;
use crate::users::service as users;

/// The display name of an organization (cached: names do not change).
pub async fn name(state: &AppState, org: Uuid) -> ApiResult<String> {
    if let Some(name) = state.organizations.names.get(&org) {
        return Ok(name);
    }
    let row = organization::Entity::find_by_id(org)
        .one(&state.infra.db)
        .await?
        .ok_or(ApiError::Client(ErrorCode::NotFound))?;
    state.organizations.names.insert(org, row.name.clone());
    Ok(row.name)
}

/// Finds an organization by its unique name.
pub async fn find_by_name(state: &AppState, name: &str) -> ApiResult<Option<organization::Model>> {
    Ok(organization::Entity::find()
        .filter(organization::Column::Name.eq(name))
        .one(&state.infra.db)
        .await?)
}

/// Creates an organization and its first admin; neither exists if either fails.
pub async fn create_with_admin(
    state: &AppState,
    name: &str,
    admin_email: &str,
    admin_password: &str,
) -> ApiResult<Uuid> {
    let admin = CreateUserRequest {
        email: admin_email.to_owned(),
        display_name: "Administrator".into(),
        role: Role::Admin,
        password: admin_password.to_owned(),
        language: None,
    };
    admin
        .validate()
        .map_err(|e| ApiError::Validation(issues(&e)))?;
    let txn = state.infra.db.begin().await?;
    let org = organization::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.trim().to_owned()),
        created_at: Set(state.infra.clock.now()),
    }
    .insert(&txn)
    .await
    .map_err(crate::db::on_unique(ErrorCode::NameTaken, "name"))?;
    // An organization without its admin would be unreachable: both or neither.
    users::insert_on(&txn, state, org.id, admin).await?;
    txn.commit().await?;
    Ok(org.id)
}
