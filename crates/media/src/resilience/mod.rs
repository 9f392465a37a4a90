//! Keeping calls alive when providers misbehave: a per-provider circuit breaker
//! ([`breaker`]) and retries with exponential backoff and jitter for idempotent requests
//! ([`retry`]).
//!
//! Both take time from the caller (an `Instant` or a sleep function) instead of reading the
//! clock or sleeping themselves, so their behaviour is tested exactly and a simulator can run
//! them on virtual time. Socket reconnection and mid-call failover across providers build on
//! these and are not in this module yet.

pub mod breaker;
pub mod retry;
