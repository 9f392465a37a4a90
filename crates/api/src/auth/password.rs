//! argon2id password hashing. Hashing is deliberately slow and memory-hungry, so it runs
//! on the blocking thread pool, never on the request threads, and at most as many hashes
//! run at once as fit in `CC_ARGON2_MAX_MEMORY_MIB`: a flood of logins waits briefly for
//! a slot and is then told to come back (503), instead of exhausting memory.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::{OnceCell, Semaphore};

/// How long a hash waits for a free slot before the request is refused.
const SLOT_WAIT: Duration = Duration::from_secs(2);

/// Why a password could not be checked or hashed.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Every hashing slot stayed busy; retry after a moment (503).
    #[error("password hashing is at capacity")]
    Busy,
    /// Anything else (a bug, an unreadable stored hash).
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Cost parameters of argon2id and the slots that bound concurrent hashes.
#[derive(Clone)]
pub struct PasswordPolicy {
    memory_kib: u32,
    iterations: u32,
    slots: Arc<Semaphore>,
    // A hash of a random string at the configured cost, made on first use, so that an
    // unknown account costs exactly what a known one does.
    dummy: Arc<OnceCell<String>>,
}

impl std::fmt::Debug for PasswordPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordPolicy")
            .field("memory_kib", &self.memory_kib)
            .field("iterations", &self.iterations)
            .field("slots", &self.slots.available_permits())
            .finish()
    }
}

impl PasswordPolicy {
    /// A policy with the given memory (KiB) and passes, one lane, running at most as many
    /// hashes at once as fit in `max_memory_mib`.
    pub fn new(memory_kib: u32, iterations: u32, max_memory_mib: u32) -> Self {
        let slots = (u64::from(max_memory_mib) * 1024 / u64::from(memory_kib.max(1))).max(1);
        PasswordPolicy {
            memory_kib,
            iterations,
            slots: Arc::new(Semaphore::new(slots.min(4096) as usize)),
            dummy: Arc::new(OnceCell::new()),
        }
    }

    /// Hashes that may run at once.
    pub fn capacity(&self) -> usize {
        self.slots.available_permits()
    }

    fn argon(&self) -> anyhow::Result<Argon2<'static>> {
        let params = Params::new(self.memory_kib, self.iterations, 1, None)
            .map_err(|e| anyhow::anyhow!("argon2 params: {e}"))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// Runs `work` on the blocking pool once a slot is free.
    async fn in_slot<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PasswordError> {
        let permit = tokio::time::timeout(SLOT_WAIT, Arc::clone(&self.slots).acquire_owned())
            .await
            .map_err(|_| {
                metrics::counter!("auth_password_hash_busy_total").increment(1);
                PasswordError::Busy
            })?
            .context("password slots closed")?;
        let out = actix_web::web::block(move || {
            let out = work();
            drop(permit);
            out
        })
        .await
        .context("password hashing task")?;
        Ok(out)
    }

    /// Hashes a password into a PHC string.
    pub async fn hash(&self, password: String) -> Result<String, PasswordError> {
        let argon = self.argon()?;
        self.in_slot(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
        })
        .await?
        .map_err(|e| PasswordError::Other(anyhow::anyhow!("hashing password: {e}")))
    }

    /// Checks a password against a PHC string. A missing hash is checked against a dummy
    /// of the same cost so that unknown accounts take as long as known ones.
    pub async fn verify(
        &self,
        password: String,
        hash: Option<String>,
    ) -> Result<bool, PasswordError> {
        let argon = self.argon()?;
        let dummy = hash.is_none();
        let hash = match hash {
            Some(h) => h,
            None => self.dummy_hash().await?,
        };
        let ok = self
            .in_slot(move || {
                PasswordHash::new(&hash)
                    .map(|parsed| argon.verify_password(password.as_bytes(), &parsed).is_ok())
            })
            .await?
            .map_err(|e| anyhow::anyhow!("stored password hash unreadable: {e}"))?;
        Ok(ok && !dummy)
    }

    async fn dummy_hash(&self) -> Result<String, PasswordError> {
        let made = self
            .dummy
            .get_or_try_init(|| async {
                let mut bytes = [0u8; 24];
                rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut bytes);
                self.hash(hex::encode(bytes)).await
            })
            .await?;
        Ok(made.clone())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_dummy_hash_has_the_configured_cost() {
        let policy = PasswordPolicy::new(8 * 1024, 1, 64);
        assert!(!policy.verify("x".into(), None).await.unwrap());
        let dummy = policy.dummy.get().unwrap();
        assert!(dummy.contains("m=8192,t=1,p=1"), "{dummy}");
    }

    #[test]
    fn slots_follow_the_memory_budget() {
        assert_eq!(PasswordPolicy::new(19 * 1024, 2, 512).capacity(), 26);
        assert_eq!(PasswordPolicy::new(64 * 1024, 2, 8).capacity(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_pool_refuses_instead_of_queueing_forever() {
        let policy = PasswordPolicy::new(8 * 1024, 1, 8);
        let held = Arc::clone(&policy.slots).acquire_owned().await.unwrap();
        let started = tokio::time::Instant::now();
        let refused = policy.hash("pw".into()).await;
        assert!(matches!(refused, Err(PasswordError::Busy)), "{refused:?}");
        assert!(started.elapsed() >= SLOT_WAIT);
        drop(held);
        assert!(policy.hash("pw".into()).await.is_ok());
    }
}
