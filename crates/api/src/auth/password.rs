//! argon2id password hashing. Hashing is deliberately slow, so it runs on the blocking
//! thread pool, never on the request threads.

use anyhow::Context;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

/// Cost parameters of argon2id.
#[derive(Debug, Clone, Copy)]
pub struct PasswordPolicy {
    memory_kib: u32,
    iterations: u32,
}

impl PasswordPolicy {
    /// A policy with the given memory (KiB) and passes; one lane.
    pub fn new(memory_kib: u32, iterations: u32) -> Self {
        PasswordPolicy {
            memory_kib,
            iterations,
        }
    }

    fn argon(&self) -> anyhow::Result<Argon2<'static>> {
        let params = Params::new(self.memory_kib, self.iterations, 1, None)
            .map_err(|e| anyhow::anyhow!("argon2 params: {e}"))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// Hashes a password into a PHC string (on the blocking pool).
    pub async fn hash(&self, password: String) -> anyhow::Result<String> {
        let argon = self.argon()?;
        actix_web::web::block(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
        })
        .await
        .context("password hashing task")?
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
    }

    /// Checks a password against a PHC string (on the blocking pool). A missing hash is
    /// checked against a dummy so that unknown accounts take as long as known ones.
    pub async fn verify(&self, password: String, hash: Option<String>) -> anyhow::Result<bool> {
        let argon = self.argon()?;
        let dummy = hash.is_none();
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let ok = actix_web::web::block(move || {
            PasswordHash::new(&hash)
                .map(|parsed| argon.verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await
        .context("password verification task")?
        .map_err(|e| anyhow::anyhow!("stored password hash unreadable: {e}"))?;
        Ok(ok && !dummy)
    }
}

/// A valid argon2id hash of a random string, for constant-time answers on unknown accounts.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4N5pbXcuEdcTTy7FDqAaJ3KYm4p7mZ9P6aUNpMKq8Yc";
