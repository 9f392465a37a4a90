//! Sessions: login with throttling, refresh-token rotation with reuse detection, logout
//! and revocation of a user's sessions.

use base64::Engine;
use cc_types::ErrorCode;
use cc_types::auth::TokenResponse;
use chrono::Duration;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use sha2::Digest;
use uuid::Uuid;

use super::entity as refresh_token;
use super::keys::AccessClaims;
use super::session;
use crate::error::{ApiError, ApiResult};
use crate::realtime::hub::Disconnect;
use crate::state::AppState;
use crate::users::entity as user;

/// SHA-256 hex of a secret: refresh tokens and API keys are stored only this way.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(sha2::Sha256::digest(secret.as_bytes()))
}

/// 32 random bytes, base64url.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The outcome of a login attempt the audit trail should attribute.
pub struct LoginOutcome {
    /// Tokens, when the attempt succeeded.
    pub result: ApiResult<TokenResponse>,
    /// The account the attempt named, when it exists.
    pub user: Option<user::Model>,
}

/// Checks credentials under per-account and per-IP throttling and opens a session.
///
/// Each attempt is counted *before* the password is hashed, so parallel guesses cannot
/// all pass a check that none of them has yet counted: of N concurrent wrong passwords,
/// at most the configured number are checked and the rest are throttled. A success gives
/// its attempt back.
pub async fn login(
    state: &AppState,
    email: &str,
    password: String,
    ip: Option<std::net::IpAddr>,
) -> ApiResult<LoginOutcome> {
    let email = email.trim().to_lowercase();
    let acct_key = format!("login:acct:{email}");
    let ip_key = format!("login:ip:{}", ip.map(|i| i.to_string()).unwrap_or_default());
    let cfg = &state.infra.config;
    let limits = [
        (&acct_key, cfg.login_max_failures),
        (&ip_key, cfg.login_ip_max_failures),
    ];
    let mut counted = Vec::with_capacity(2);
    for (key, max) in limits {
        match state.infra.store.hit(key, cfg.login_window_secs).await {
            Ok(w) if w.count > u64::from(max) => {
                // Refused attempts are not attempts: give back what this one took.
                counted.push(key);
                give_back(state, &counted).await;
                metrics::counter!("auth_logins_total", "outcome" => "throttled").increment(1);
                return Err(ApiError::Throttled {
                    code: ErrorCode::LoginThrottled,
                    retry_after: w.ttl_secs.max(1),
                });
            }
            Ok(_) => counted.push(key),
            Err(e) => tracing::warn!(
                error = format!("{e:#}"),
                "login throttle unavailable; allowing attempt"
            ),
        }
    }
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(&email))
        .one(&state.infra.db)
        .await?;
    let checked = state
        .auth
        .passwords
        .verify(password, found.as_ref().map(|u| u.password_hash.clone()))
        .await;
    let ok = match checked {
        Ok(ok) => ok,
        Err(e) => {
            // Not checked (server busy): the attempt does not count against the account.
            give_back(state, &counted).await;
            return Err(e.into());
        }
    };
    let (Some(account), true) = (found.clone(), ok) else {
        metrics::counter!("auth_logins_total", "outcome" => "failure").increment(1);
        return Ok(LoginOutcome {
            result: Err(ErrorCode::InvalidCredentials.into()),
            user: found,
        });
    };
    // A right password is not a failure: neither the account nor the address pays for it.
    if let Err(e) = state.infra.store.reset(&acct_key).await {
        tracing::warn!(error = format!("{e:#}"), "could not reset login throttle");
    }
    counted.retain(|k| **k == ip_key);
    give_back(state, &counted).await;
    if !account.active {
        metrics::counter!("auth_logins_total", "outcome" => "disabled").increment(1);
        return Ok(LoginOutcome {
            result: Err(ErrorCode::AccountDisabled.into()),
            user: Some(account),
        });
    }
    let tokens = open_session(state, &account).await?;
    metrics::counter!("auth_logins_total", "outcome" => "success").increment(1);
    Ok(LoginOutcome {
        result: Ok(tokens),
        user: Some(account),
    })
}

async fn give_back(state: &AppState, keys: &[&String]) {
    for key in keys {
        if let Err(e) = state.infra.store.unhit(key, 1).await {
            tracing::warn!(error = format!("{e:#}"), "could not return a login attempt");
        }
    }
}

/// Issues an access token and a refresh token in session `family`.
async fn issue<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    account: &user::Model,
    family: Uuid,
) -> ApiResult<TokenResponse> {
    let role = cc_types::Role::from(account.role);
    let jti = Uuid::now_v7();
    let ttl = state.infra.config.access_token_ttl_secs;
    let claims = AccessClaims {
        org: account.organization_id,
        role,
        sid: family,
        email: account.email.clone(),
    };
    let access_token = state.auth.keys.sign(account.id, jti, claims, ttl)?;
    let refresh = random_secret();
    let now = state.infra.clock.now();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(account.organization_id),
        user_id: Set(account.id),
        family_id: Set(family),
        token_hash: Set(hash_secret(&refresh)),
        access_jti: Set(jti),
        expires_at: Set(now + Duration::seconds(state.infra.config.refresh_token_ttl_secs as i64)),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(TokenResponse {
        access_token,
        refresh_token: refresh,
        token_type: "Bearer".into(),
        expires_in: ttl,
    })
}

/// Opens a session for `account`: its row and its first pair of tokens, together.
async fn open_session(state: &AppState, account: &user::Model) -> ApiResult<TokenResponse> {
    let txn = state.infra.db.begin().await?;
    let family = Uuid::now_v7();
    session::ActiveModel {
        id: Set(family),
        organization_id: Set(account.organization_id),
        user_id: Set(account.id),
        revoked_at: Set(None),
        created_at: Set(state.infra.clock.now()),
    }
    .insert(&txn)
    .await?;
    let tokens = issue(state, &txn, account, family).await?;
    txn.commit().await?;
    Ok(tokens)
}

/// Rotates a refresh token. Presenting a token that was already rotated revokes the
/// whole session: someone holds a copy.
pub async fn refresh(state: &AppState, presented: &str) -> ApiResult<TokenResponse> {
    let hash = hash_secret(presented);
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash))
        .one(&state.infra.db)
        .await?
    else {
        return Err(ErrorCode::RefreshTokenInvalid.into());
    };
    if let Some(used_at) = row.used_at {
        // Moments after its rotation, a second use is another tab of the same browser or
        // a retry whose answer was lost, not a thief: refuse it without ending the
        // session (no tokens are issued either way). Later, someone holds a copy.
        let grace = Duration::seconds(state.infra.config.refresh_reuse_grace as i64);
        if state.infra.clock.now() < used_at + grace {
            metrics::counter!("auth_refresh_reuse_total", "outcome" => "within_grace").increment(1);
            return Err(ErrorCode::RefreshTokenInvalid.into());
        }
        revoke_family(state, row.organization_id, row.family_id).await?;
        metrics::counter!("auth_refresh_reuse_total", "outcome" => "revoked").increment(1);
        return Err(ErrorCode::RefreshTokenReused.into());
    }
    if row.revoked_at.is_some() || row.expires_at <= state.infra.clock.now() {
        return Err(ErrorCode::RefreshTokenInvalid.into());
    }
    let txn = state.infra.db.begin().await?;
    match rotate(state, &txn, &row).await {
        Ok(tokens) => {
            txn.commit().await?;
            Ok(tokens)
        }
        Err(e) => {
            // Release the session's lock now, not whenever the pool gets to it.
            txn.rollback().await?;
            if matches!(e, ApiError::Client(ErrorCode::RefreshTokenReused)) {
                revoke_family(state, row.organization_id, row.family_id).await?;
            }
            Err(e)
        }
    }
}

/// Inside the rotation's transaction: checks the session, claims the presented token and
/// issues its successor.
async fn rotate(
    state: &AppState,
    txn: &sea_orm::DatabaseTransaction,
    row: &refresh_token::Model,
) -> ApiResult<TokenResponse> {
    // The session's lock orders this rotation with any revocation of the session: a
    // revocation that got there first is seen here; one that comes later waits for this
    // commit and then revokes the token issued here too. The lock is taken by a write
    // (not `SELECT … FOR UPDATE`), so that SQLite takes its write lock first too, waiting
    // for a busy writer instead of failing to upgrade a read.
    session::Entity::update_many()
        .col_expr(
            session::Column::RevokedAt,
            Expr::col(session::Column::RevokedAt),
        )
        .filter(session::Column::Id.eq(row.family_id))
        .filter(session::Column::OrganizationId.eq(row.organization_id))
        .exec(txn)
        .await?;
    let max_age = Duration::seconds(state.infra.config.session_max_age_secs as i64);
    let live = session::Entity::find_by_id(row.family_id)
        .filter(session::Column::OrganizationId.eq(row.organization_id))
        .one(txn)
        .await?
        .filter(|s| s.revoked_at.is_none() && s.created_at + max_age > state.infra.clock.now());
    if live.is_none() {
        return Err(ErrorCode::RefreshTokenInvalid.into());
    }
    // The conditional update is the race guard: of two concurrent uses, one wins.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(
            refresh_token::Column::UsedAt,
            Expr::value(state.infra.clock.now()),
        )
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(ErrorCode::RefreshTokenReused.into());
    }
    let account = user::Entity::find_by_id(row.user_id)
        .filter(user::Column::OrganizationId.eq(row.organization_id))
        .one(txn)
        .await?
        .filter(|u| u.active)
        .ok_or(ApiError::Client(ErrorCode::RefreshTokenInvalid))?;
    issue(state, txn, &account, row.family_id).await
}

/// Which sessions a revocation ends.
#[derive(Debug, Clone, Copy)]
enum Sessions {
    /// One session (logout, a reused refresh token).
    One(Uuid),
    /// Every session of a user (deactivation, password change).
    OfUser(Uuid),
}

/// Revokes every token of one session (refresh family) and its live access tokens.
pub async fn revoke_family(state: &AppState, org: Uuid, family: Uuid) -> ApiResult<()> {
    revoke(state, org, Sessions::One(family)).await
}

/// Revokes every session of a user (deactivation, password change by an admin).
pub async fn revoke_user_sessions(state: &AppState, org: Uuid, user_id: Uuid) -> ApiResult<()> {
    revoke(state, org, Sessions::OfUser(user_id)).await
}

/// Revokes only the live access tokens of a user, keeping sessions: their next refresh
/// picks up a changed role.
pub async fn expire_access_tokens(state: &AppState, org: Uuid, user_id: Uuid) -> ApiResult<()> {
    for (jti, exp) in
        live_access_tokens(state, org, refresh_token::Column::UserId.eq(user_id)).await?
    {
        state.auth.revocations.revoke(jti, exp).await;
    }
    // Sockets carry the role they were opened with: close them so they reopen with the new one.
    state
        .infra
        .bus
        .disconnect(org, Disconnect::User(user_id))
        .await;
    Ok(())
}

async fn live_access_tokens(
    state: &AppState,
    org: Uuid,
    cond: sea_orm::sea_query::SimpleExpr,
) -> ApiResult<Vec<(Uuid, i64)>> {
    let ttl = state.infra.config.access_token_ttl_secs as i64;
    let since = state.infra.clock.now() - Duration::seconds(ttl + 60);
    let rows = refresh_token::Entity::find()
        .filter(refresh_token::Column::OrganizationId.eq(org))
        .filter(cond)
        .filter(refresh_token::Column::CreatedAt.gt(since))
        .all(&state.infra.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.access_jti, r.created_at.timestamp() + ttl + 30))
        .collect())
}

async fn revoke(state: &AppState, org: Uuid, which: Sessions) -> ApiResult<()> {
    let now = state.infra.clock.now();
    let (sessions, tokens) = match which {
        Sessions::One(id) => (
            session::Column::Id.eq(id),
            refresh_token::Column::FamilyId.eq(id),
        ),
        Sessions::OfUser(id) => (
            session::Column::UserId.eq(id),
            refresh_token::Column::UserId.eq(id),
        ),
    };
    let txn = state.infra.db.begin().await?;
    // Taking the sessions' locks first waits for a rotation in flight, so the tokens it
    // issued are committed, and seen by the next statement, before they are revoked.
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::OrganizationId.eq(org))
        .filter(sessions)
        .filter(session::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::OrganizationId.eq(org))
        .filter(tokens.clone())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    for (jti, exp) in live_access_tokens(state, org, tokens).await? {
        state.auth.revocations.revoke(jti, exp).await;
    }
    let target = match which {
        Sessions::One(id) => Disconnect::Session(id),
        Sessions::OfUser(id) => Disconnect::User(id),
    };
    state.infra.bus.disconnect(org, target).await;
    metrics::counter!("auth_sessions_revoked_total").increment(1);
    Ok(())
}
