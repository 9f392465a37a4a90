//! Authentication: keys and access tokens, passwords, sessions (refresh tokens),
//! revocation, and the `Auth<Policy>` extractor that every protected route uses.

pub mod entity;
pub mod keys;
pub mod password;
pub mod principal;
pub mod revocation;
pub mod routes;
pub mod service;
pub mod session;

pub use principal::{
    Access, AdminOnly, AnyPerson, AnyRole, Auth, ContactWork, Policy, Principal, StaffRead,
    SupervisorOrAdmin, access,
};

use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;

use crate::cache::TtlCache;
use crate::state::Infra;

/// What authentication owns.
pub struct AuthState {
    /// Token keys.
    pub keys: Arc<keys::KeyRing>,
    /// Revoked access tokens.
    pub revocations: Arc<revocation::Revocations>,
    /// argon2id costs and slots.
    pub passwords: password::PasswordPolicy,
    /// Ids of API keys that authenticated here, by hash: the rate limiter counts a key's
    /// requests as that key's only once it has proved itself.
    pub api_key_ids: TtlCache<String, Uuid>,
}

impl AuthState {
    /// Loads keys and starts following revocations.
    pub fn new(infra: &Infra) -> anyhow::Result<AuthState> {
        let config = &infra.config;
        let revocations = match (&infra.redis, &config.redis_url) {
            (Some(pool), Some(url)) => {
                revocation::Revocations::with_redis(pool.clone(), url, &config.redis_prefix)
            }
            _ => revocation::Revocations::in_process(),
        };
        revocations.spawn_subscriber(&infra.runtime);
        Ok(AuthState {
            keys: Arc::new(keys::KeyRing::load(config)?),
            revocations,
            passwords: password::PasswordPolicy::new(
                config.argon2_memory_kib,
                config.argon2_iterations,
                config.argon2_max_memory_mib,
            ),
            api_key_ids: TtlCache::new(Duration::from_secs(600), 10_000),
        })
    }
}
