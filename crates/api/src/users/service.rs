//! User management inside one organization. Every query is scoped by the caller's
//! organization; another organization's ids are simply not found.

use actix_web::web::Bytes;
use cc_types::events::{DomainEvent, Topic};
use cc_types::page::DEFAULT_LIMIT;
use cc_types::users::{
    ChangePasswordRequest, CreateUserRequest, UpdateProfileRequest, UpdateUserRequest, User,
    UserListQuery,
};
use cc_types::{ErrorCode, Language, Page, Role};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::entity as user;
use crate::auth::Principal;
use crate::auth::service as sessions;
use crate::db::enums::{DbLanguage, DbRole};
use crate::db::{like_pattern, on_unique};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The DTO of a row.
pub fn to_dto(m: &user::Model) -> User {
    User {
        id: m.id,
        organization_id: m.organization_id,
        email: m.email.clone(),
        display_name: m.display_name.clone(),
        role: m.role.into(),
        language: m.preferred_language.map(Into::into),
        active: m.active,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// Drops what this instance cached about a user and its organization's pages (other
/// instances do the same when the user event reaches them).
fn forget(state: &AppState, org: Uuid, id: Uuid) {
    state.users.cache.invalidate(&id);
    state.users.pages.invalidate_where(|(o, _)| *o == org);
}

/// [`list`] through the per-instance page cache, as the JSON body of the answer: a hit
/// is served without serializing again.
pub async fn list_cached(state: &AppState, org: Uuid, q: &UserListQuery) -> ApiResult<Bytes> {
    let key = (org, serde_json::to_string(q).map_err(anyhow::Error::from)?);
    if let Some(body) = state.users.pages.get(&key) {
        return Ok(body);
    }
    let generation = state.users.pages.generation();
    let page = list(state, org, q).await?;
    let body = Bytes::from(serde_json::to_vec(&page).map_err(anyhow::Error::from)?);
    state
        .users
        .pages
        .insert_if_current(key, body.clone(), generation);
    Ok(body)
}

/// One page of the organization's users, newest first.
pub async fn list(state: &AppState, org: Uuid, q: &UserListQuery) -> ApiResult<Page<User>> {
    let mut cond = Condition::all().add(user::Column::OrganizationId.eq(org));
    if let Some(role) = q.role {
        cond = cond.add(user::Column::Role.eq(DbRole::from(role)));
    }
    if let Some(active) = q.active {
        cond = cond.add(user::Column::Active.eq(active));
    }
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        cond = cond.add(
            Condition::any()
                .add(Expr::col(user::Column::Email).like(like_pattern(text)))
                .add(
                    Expr::expr(Func::lower(Expr::col(user::Column::DisplayName)))
                        .like(like_pattern(text)),
                ),
        );
    }
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    let offset = q.offset.unwrap_or(0);
    // One round trip: the page and, on every row, the count of all matches.
    let rows = user::Entity::find()
        .filter(cond.clone())
        .select_only()
        .columns(LISTED_COLUMNS)
        .column_as(Expr::cust("COUNT(*) OVER ()"), "total")
        .order_by_desc(user::Column::CreatedAt)
        .order_by_desc(user::Column::Id)
        .limit(limit)
        .offset(offset)
        .into_model::<ListedUser>()
        .all(&state.infra.db)
        .await?;
    let total = match rows.first() {
        Some(r) => u64::try_from(r.total).unwrap_or(0),
        None if offset == 0 => 0,
        None => {
            user::Entity::find()
                .filter(cond)
                .count(&state.infra.db)
                .await?
        }
    };
    Ok(Page {
        items: rows.into_iter().map(ListedUser::into_dto).collect(),
        total,
        limit,
        offset,
    })
}

const LISTED_COLUMNS: [user::Column; 9] = [
    user::Column::Id,
    user::Column::OrganizationId,
    user::Column::Email,
    user::Column::DisplayName,
    user::Column::Role,
    user::Column::PreferredLanguage,
    user::Column::Active,
    user::Column::CreatedAt,
    user::Column::UpdatedAt,
];

/// A row of the list query: the user's public columns and the total match count.
#[derive(Debug, FromQueryResult)]
struct ListedUser {
    id: Uuid,
    organization_id: Uuid,
    email: String,
    display_name: String,
    role: DbRole,
    preferred_language: Option<DbLanguage>,
    active: bool,
    created_at: chrono::DateTime<Utc>,
    updated_at: chrono::DateTime<Utc>,
    total: i64,
}

impl ListedUser {
    fn into_dto(self) -> User {
        User {
            id: self.id,
            organization_id: self.organization_id,
            role: self.role.into(),
            language: self.preferred_language.map(Into::into),
            email: self.email,
            display_name: self.display_name,
            active: self.active,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// A user of the organization, or `not_found`.
pub async fn get(state: &AppState, org: Uuid, id: Uuid) -> ApiResult<user::Model> {
    user::Entity::find_by_id(id)
        .filter(user::Column::OrganizationId.eq(org))
        .one(&state.infra.db)
        .await?
        .ok_or(ApiError::Client(ErrorCode::NotFound))
}

/// Inserts a user; a taken email is a 409 on `email`.
pub async fn insert(state: &AppState, org: Uuid, req: CreateUserRequest) -> ApiResult<user::Model> {
    insert_on(&state.infra.db, state, org, req).await
}

/// [`insert`] on a given connection or transaction.
pub async fn insert_on<C: ConnectionTrait>(
    db: &C,
    state: &AppState,
    org: Uuid,
    req: CreateUserRequest,
) -> ApiResult<user::Model> {
    let hash = state.auth.passwords.hash(req.password).await?;
    let now = state.infra.clock.now();
    let row = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org),
        email: Set(req.email.trim().to_lowercase()),
        display_name: Set(req.display_name.trim().to_owned()),
        role: Set(req.role.into()),
        language: Set(req.language.unwrap_or_default().into()),
        preferred_language: Set(req.language.map(Into::into)),
        password_hash: Set(hash),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    };
    row.insert(db)
        .await
        .map_err(on_unique(ErrorCode::EmailTaken, "email"))
}

/// Creates a user and tells the organization.
pub async fn create(state: &AppState, org: Uuid, req: CreateUserRequest) -> ApiResult<User> {
    let row = insert(state, org, req).await?;
    forget(state, org, row.id);
    let role = Role::from(row.role);
    state
        .infra
        .bus
        .publish(
            org,
            Topic::Organization,
            DomainEvent::UserCreated {
                user_id: row.id,
                role,
            },
        )
        .await;
    Ok(to_dto(&row))
}

fn refuse_self(caller: &Principal, id: Uuid) -> ApiResult<()> {
    if caller.user_id == Some(id) {
        Err(ErrorCode::CannotChangeOwnAccount.into())
    } else {
        Ok(())
    }
}

/// Changes name, role or language. A role change ends the user's current access tokens
/// so that their next refresh carries the new role.
pub async fn update(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    req: UpdateUserRequest,
) -> ApiResult<User> {
    let org = caller.organization_id;
    let row = get(state, org, id).await?;
    let role_changed = req.role.is_some_and(|r| DbRole::from(r) != row.role);
    if role_changed {
        refuse_self(caller, id)?;
    }
    let mut active = row.into_active_model();
    if let Some(name) = req.display_name {
        active.display_name = Set(name.trim().to_owned());
    }
    if let Some(role) = req.role {
        active.role = Set(role.into());
    }
    if let Some(lang) = req.language {
        choose_language(&mut active, lang);
    }
    active.updated_at = Set(state.infra.clock.now());
    let saved = active.update(&state.infra.db).await?;
    forget(state, org, id);
    if role_changed {
        sessions::expire_access_tokens(state, org, id).await?;
    }
    state
        .infra
        .bus
        .publish(
            org,
            Topic::Organization,
            DomainEvent::UserUpdated { user_id: id },
        )
        .await;
    Ok(to_dto(&saved))
}

/// Deactivates or reactivates a user; deactivation revokes every session at once.
pub async fn set_active(
    state: &AppState,
    caller: &Principal,
    id: Uuid,
    active_now: bool,
) -> ApiResult<User> {
    let org = caller.organization_id;
    refuse_self(caller, id)?;
    let row = get(state, org, id).await?;
    let mut active = row.into_active_model();
    active.active = Set(active_now);
    active.updated_at = Set(state.infra.clock.now());
    let saved = active.update(&state.infra.db).await?;
    forget(state, org, id);
    if !active_now {
        sessions::revoke_user_sessions(state, org, id).await?;
        state
            .infra
            .bus
            .publish(
                org,
                Topic::Organization,
                DomainEvent::UserDeactivated { user_id: id },
            )
            .await;
    } else {
        state
            .infra
            .bus
            .publish(
                org,
                Topic::Organization,
                DomainEvent::UserUpdated { user_id: id },
            )
            .await;
    }
    Ok(to_dto(&saved))
}

/// Deletes a user after revoking their sessions.
pub async fn delete(state: &AppState, caller: &Principal, id: Uuid) -> ApiResult<()> {
    let org = caller.organization_id;
    refuse_self(caller, id)?;
    get(state, org, id).await?;
    sessions::revoke_user_sessions(state, org, id).await?;
    user::Entity::delete_many()
        .filter(user::Column::OrganizationId.eq(org))
        .filter(user::Column::Id.eq(id))
        .exec(&state.infra.db)
        .await?;
    forget(state, org, id);
    state
        .infra
        .bus
        .publish(
            org,
            Topic::Organization,
            DomainEvent::UserDeactivated { user_id: id },
        )
        .await;
    Ok(())
}

fn own_id(caller: &Principal) -> ApiResult<Uuid> {
    caller.user_id.ok_or(ApiError::Client(ErrorCode::Forbidden))
}

/// The signed-in user's row.
pub async fn me(state: &AppState, caller: &Principal) -> ApiResult<user::Model> {
    get(state, caller.organization_id, own_id(caller)?).await
}

/// The signed-in user's row for reading, served from the per-instance cache when fresh.
/// Writers invalidate it, and user events from any instance invalidate it on every one.
pub async fn me_cached(state: &AppState, caller: &Principal) -> ApiResult<user::Model> {
    let id = own_id(caller)?;
    if let Some(row) = state
        .users
        .cache
        .get(&id)
        .filter(|u| u.organization_id == caller.organization_id)
    {
        return Ok(row);
    }
    let generation = state.users.cache.generation();
    let row = get(state, caller.organization_id, id).await?;
    state
        .users
        .cache
        .insert_if_current(id, row.clone(), generation);
    Ok(row)
}

/// Records a language choice (`None`: follow the browser).
fn choose_language(active: &mut user::ActiveModel, lang: Option<Language>) {
    active.language = Set(lang.unwrap_or_default().into());
    active.preferred_language = Set(lang.map(Into::into));
}

/// Changes the signed-in user's own name or language.
pub async fn update_profile(
    state: &AppState,
    caller: &Principal,
    req: UpdateProfileRequest,
) -> ApiResult<User> {
    let mut active = me(state, caller).await?.into_active_model();
    if let Some(name) = req.display_name {
        active.display_name = Set(name.trim().to_owned());
    }
    if let Some(lang) = req.language {
        choose_language(&mut active, lang);
    }
    active.updated_at = Set(state.infra.clock.now());
    let saved = active.update(&state.infra.db).await?;
    forget(state, saved.organization_id, saved.id);
    let event = DomainEvent::UserUpdated { user_id: saved.id };
    state
        .infra
        .bus
        .publish(saved.organization_id, Topic::Organization, event)
        .await;
    Ok(to_dto(&saved))
}

/// Changes the signed-in user's password after checking the current one; every other
/// session of the user is ended.
pub async fn change_password(
    state: &AppState,
    caller: &Principal,
    req: ChangePasswordRequest,
) -> ApiResult<()> {
    let row = me(state, caller).await?;
    if !state
        .auth
        .passwords
        .verify(req.current_password, Some(row.password_hash.clone()))
        .await?
    {
        return Err(ErrorCode::CurrentPasswordIncorrect.into());
    }
    let hash = state.auth.passwords.hash(req.new_password).await?;
    let (org, id) = (row.organization_id, row.id);
    let mut active = row.into_active_model();
    active.password_hash = Set(hash);
    active.updated_at = Set(state.infra.clock.now());
    active.update(&state.infra.db).await?;
    forget(state, org, id);
    sessions::revoke_user_sessions(state, org, id).await?;
    Ok(())
}
