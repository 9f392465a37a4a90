//! Keeping calls alive when providers misbehave: a per-provider circuit breaker
//! ([`breaker`]), retries with exponential backoff and jitter for idempotent requests
//! ([`retry`]) and ordered mid-call failover between speech-to-speech providers
//! ([`failover`]).
//!
//! Both take time from the caller (an `Instant` or a sleep function) instead of reading the
//! clock or sleeping themselves, so their behaviour is tested exactly and a simulator can run
//! them on virtual time. Reconnecting a dropped socket to the same provider is not done
//! here; failover moves to the next provider instead.

pub mod breaker;
pub mod failover;
pub mod retry;
