//! Who is calling, and the one visible way a route declares who may call it:
//! the `Auth<Policy>` extractor. `Auth<AdminOnly>` in a handler's arguments is the role
//! check; the role matrix test proves every route's declaration against the OpenAPI
//! document's security scopes.

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use cc_types::api_keys::ApiScope;
use cc_types::{ErrorCode, Role};
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Principal {
    /// Tenant of every query this caller makes.
    pub organization_id: Uuid,
    /// Set for people.
    pub user_id: Option<Uuid>,
    /// Set for integrators.
    pub api_key_id: Option<Uuid>,
    /// The role in force.
    pub role: Role,
    /// Email or key name, for the audit trail.
    pub label: Option<String>,
    /// Access token id and expiry (people only), for logout.
    pub token: Option<(Uuid, i64)>,
    /// Session (refresh-token family) of the access token.
    pub session_id: Option<Uuid>,
    /// Scopes of an API key; `None` for people (full use of their role).
    pub scopes: Option<Vec<ApiScope>>,
}

/// A set of roles a route admits.
pub trait Policy {
    /// The roles allowed.
    const ROLES: &'static [Role];
    /// Routes of the admin group also obey the admin IP allow-list.
    const ADMIN_GROUP: bool = false;
    /// Only people (access tokens), never API keys: a person's own profile and session.
    const PEOPLE_ONLY: bool = false;
}

/// What a policy admits, as the OpenAPI document states it.
#[derive(Debug, Clone, Copy)]
pub struct Access {
    /// The roles.
    pub roles: &'static [Role],
    /// Access tokens only.
    pub people_only: bool,
}

/// The [`Access`] of policy `P`: routes modules list `(operation id, access::<P>())` for
/// their handlers, and the document's security requirements are generated from it.
pub const fn access<P: Policy>() -> Access {
    Access {
        roles: P::ROLES,
        people_only: P::PEOPLE_ONLY,
    }
}

/// Organization administration.
pub struct AdminOnly;
impl Policy for AdminOnly {
    const ROLES: &'static [Role] = &[Role::Admin];
    const ADMIN_GROUP: bool = true;
}

/// Any signed-in user or API key.
pub struct AnyRole;
impl Policy for AnyRole {
    const ROLES: &'static [Role] = &Role::ALL;
}

/// Any signed-in person (not an API key): their own profile, session and password.
pub struct AnyPerson;
impl Policy for AnyPerson {
    const ROLES: &'static [Role] = &Role::ALL;
    const PEOPLE_ONLY: bool = true;
}

/// Running the floor: supervisors and admins (teams, shifts, queues, live monitoring).
pub struct SupervisorOrAdmin;
impl Policy for SupervisorOrAdmin {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Supervisor];
}

/// Reading what the floor did: admins, supervisors and analysts (reports, statistics).
pub struct StaffRead;
impl Policy for StaffRead {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Supervisor, Role::Analyst];
}

/// Working contacts: agents, supervisors and admins (customers, calls, dispositions).
pub struct ContactWork;
impl Policy for ContactWork {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Supervisor, Role::Agent];
}

/// An authenticated caller whose role the policy `P` admits.
pub struct Auth<P: Policy> {
    /// The caller.
    pub principal: Principal,
    _policy: PhantomData<P>,
}

impl<P: Policy> std::ops::Deref for Auth<P> {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.principal
    }
}

impl<P: Policy + 'static> FromRequest for Auth<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state missing")))?
                .clone();
            if P::ADMIN_GROUP {
                let ip = crate::middleware::client_ip(&req, &state.infra.config);
                if !crate::middleware::ip_allow::admits(&state.infra.config.admin_allowlist, ip) {
                    return Err(ErrorCode::IpNotAllowed.into());
                }
            }
            let principal = authenticate(&state, &req).await?;
            // Recorded before the role check so that refused attempts are audited too.
            req.extensions_mut().insert(principal.clone());
            if !P::ROLES.contains(&principal.role)
                || (P::PEOPLE_ONLY && principal.user_id.is_none())
            {
                return Err(ErrorCode::Forbidden.into());
            }
            if let Some(scopes) = &principal.scopes {
                let needed = if matches!(*req.method(), Method::GET | Method::HEAD) {
                    ApiScope::Read
                } else {
                    ApiScope::Write
                };
                if !scopes.contains(&needed) {
                    return Err(ErrorCode::InsufficientScope.into());
                }
            }
            Ok(Auth {
                principal,
                _policy: PhantomData,
            })
        })
    }
}

/// The credential of a request: `Authorization: Bearer …` or `X-API-Key: …`.
pub fn credential(req: &HttpRequest) -> Option<&str> {
    if let Some(v) = req.headers().get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(v.trim());
    }
    let auth = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, value) = auth.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| value.trim())
}

async fn authenticate(state: &AppState, req: &HttpRequest) -> Result<Principal, ApiError> {
    let Some(secret) = credential(req) else {
        return Err(ErrorCode::Unauthenticated.into());
    };
    if crate::api_keys::service::looks_like_key(secret) {
        return crate::api_keys::service::authenticate(state, secret).await;
    }
    let token = state
        .auth
        .keys
        .verify(secret)
        .ok_or(ApiError::Client(ErrorCode::InvalidToken))?;
    if state.auth.revocations.is_revoked(&token.jti) {
        return Err(ErrorCode::TokenRevoked.into());
    }
    let claims = token.claims;
    Ok(Principal {
        organization_id: claims.org,
        user_id: Some(token.subject),
        api_key_id: None,
        role: claims.role,
        label: Some(claims.email),
        token: Some((token.jti, token.exp)),
        session_id: Some(claims.sid),
        scopes: None,
    })
}
