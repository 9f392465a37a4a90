//! Creating, listing, revoking and authenticating API keys.

use cc_types::api_keys::{ApiKey, ApiScope, CreateApiKeyRequest, CreatedApiKey};
use cc_types::{ErrorCode, Page, Role};
use chrono::Duration;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::entity as api_key;
use crate::auth::Principal;
use crate::auth::service::{hash_secret, random_secret};
use crate::db::on_unique;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::users::entity as user;

const KEY_PREFIX: &str = "cck_";

/// True for secrets shaped like our API keys (JWTs never start this way).
pub fn looks_like_key(secret: &str) -> bool {
    secret.starts_with(KEY_PREFIX)
}

fn scopes_to_str(scopes: &[ApiScope]) -> String {
    let mut names: Vec<&str> = scopes
        .iter()
        .map(|s| {
            if *s == ApiScope::Read {
                "read"
            } else {
                "write"
            }
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names.join(",")
}

fn scopes_from_str(s: &str) -> Vec<ApiScope> {
    s.split(',')
        .filter_map(|n| match n {
            "read" => Some(ApiScope::Read),
            "write" => Some(ApiScope::Write),
            _ => None,
        })
        .collect()
}

/// The DTO of a row (never the hash).
pub fn to_dto(m: &api_key::Model) -> ApiKey {
    ApiKey {
        id: m.id,
        name: m.name.clone(),
        prefix: m.prefix.clone(),
        role: m.role.into(),
        scopes: scopes_from_str(&m.scopes),
        expires_at: m.expires_at,
        revoked_at: m.revoked_at,
        last_used_at: m.last_used_at,
        created_at: m.created_at,
    }
}

/// The person a new key answers to: the caller, or for a key the person behind it, so
/// that every key ends with its person's deactivation.
async fn owner_of(state: &AppState, caller: &Principal) -> ApiResult<Uuid> {
    if let Some(user) = caller.user_id {
        return Ok(user);
    }
    let key = caller
        .api_key_id
        .ok_or(ApiError::Client(ErrorCode::Forbidden))?;
    let row = api_key::Entity::find_by_id(key)
        .filter(api_key::Column::OrganizationId.eq(caller.organization_id))
        .one(&state.infra.db)
        .await?
        .ok_or(ApiError::Client(ErrorCode::Forbidden))?;
    Ok(row.created_by)
}

/// A key may mint only what it holds: its own role (an admin key: any role) and a subset
/// of its scopes. People create keys with their role's full use.
fn within_caller(caller: &Principal, req: &CreateApiKeyRequest) -> ApiResult<()> {
    let Some(scopes) = &caller.scopes else {
        return Ok(());
    };
    let role_ok = caller.role == Role::Admin || req.role == caller.role;
    let scopes_ok = req.scopes.iter().all(|s| scopes.contains(s));
    if role_ok && scopes_ok {
        Ok(())
    } else {
        Err(ErrorCode::ApiKeyExceedsCaller.into())
    }
}

/// Creates a key; the secret is in the answer and nowhere else.
pub async fn create(
    state: &AppState,
    caller: &Principal,
    req: CreateApiKeyRequest,
) -> ApiResult<CreatedApiKey> {
    within_caller(caller, &req)?;
    let creator = owner_of(state, caller).await?;
    let now = state.infra.clock.now();
    let secret = format!("{KEY_PREFIX}{}", random_secret());
    let row = api_key::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(caller.organization_id),
        name: Set(req.name.trim().to_owned()),
        prefix: Set(secret.chars().take(12).collect()),
        key_hash: Set(hash_secret(&secret)),
        role: Set(req.role.into()),
        scopes: Set(scopes_to_str(&req.scopes)),
        created_by: Set(creator),
        expires_at: Set(req
            .expires_in_days
            .map(|days| now + chrono::Duration::days(days.into()))),
        revoked_at: Set(None),
        last_used_at: Set(None),
        created_at: Set(now),
    }
    .insert(&state.infra.db)
    .await
    .map_err(on_unique(ErrorCode::NameTaken, "name"))?;
    Ok(CreatedApiKey {
        key: secret,
        api_key: to_dto(&row),
    })
}

/// One page of the organization's keys, newest first.
pub async fn list(
    state: &AppState,
    org: Uuid,
    limit: Option<u64>,
    offset: Option<u64>,
) -> ApiResult<Page<ApiKey>> {
    let select = api_key::Entity::find()
        .filter(api_key::Column::OrganizationId.eq(org))
        .order_by_desc(api_key::Column::Id);
    crate::db::page(select, limit, offset, &state.infra.db, |m| to_dto(&m)).await
}

/// Revokes a key of the organization; it is refused from the next request on.
pub async fn revoke(state: &AppState, org: Uuid, id: Uuid) -> ApiResult<ApiKey> {
    let row = api_key::Entity::find_by_id(id)
        .filter(api_key::Column::OrganizationId.eq(org))
        .one(&state.infra.db)
        .await?
        .ok_or(ApiError::Client(ErrorCode::NotFound))?;
    if row.revoked_at.is_some() {
        return Ok(to_dto(&row));
    }
    let mut active: api_key::ActiveModel = row.into();
    active.revoked_at = Set(Some(state.infra.clock.now()));
    Ok(to_dto(&active.update(&state.infra.db).await?))
}

/// The id of a key that has authenticated on this instance, without IO; `None` for a key
/// never seen (or forgotten). Only for counting requests: it proves nothing about the
/// key's validity now.
pub fn known_key_id(state: &AppState, secret: &str) -> Option<Uuid> {
    state.auth.api_key_ids.get(&hash_secret(secret))
}

/// Resolves a presented key to a principal, or refuses it. A key whose person was
/// deactivated or deleted is refused like a revoked one.
pub async fn authenticate(state: &AppState, secret: &str) -> ApiResult<Principal> {
    let hash = hash_secret(secret);
    let row = api_key::Entity::find()
        .filter(api_key::Column::KeyHash.eq(hash.as_str()))
        .one(&state.infra.db)
        .await?
        .ok_or(ApiError::Client(ErrorCode::InvalidToken))?;
    let now = state.infra.clock.now();
    if row.revoked_at.is_some() {
        return Err(ErrorCode::TokenRevoked.into());
    }
    let owner_active = user::Entity::find_by_id(row.created_by)
        .filter(user::Column::OrganizationId.eq(row.organization_id))
        .one(&state.infra.db)
        .await?
        .is_some_and(|u| u.active);
    if !owner_active {
        return Err(ErrorCode::TokenRevoked.into());
    }
    if row.expires_at.is_some_and(|t| t <= now) {
        return Err(ErrorCode::InvalidToken.into());
    }
    // Recording every use would make each read a write; a minute's precision is enough.
    if row
        .last_used_at
        .is_none_or(|t| now - t > Duration::minutes(1))
    {
        api_key::Entity::update_many()
            .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
            .filter(api_key::Column::Id.eq(row.id))
            .exec(&state.infra.db)
            .await?;
    }
    state.auth.api_key_ids.insert(hash, row.id);
    Ok(Principal {
        organization_id: row.organization_id,
        user_id: None,
        api_key_id: Some(row.id),
        role: row.role.into(),
        label: Some(row.name.clone()),
        token: None,
        session_id: None,
        scopes: Some(scopes_from_str(&row.scopes)),
    })
}
