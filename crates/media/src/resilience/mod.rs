//! Keeping calls alive when providers misbehave: a per-provider circuit breaker
//! ([`breaker`]), retries with exponential backoff and jitter for idempotent requests
//! ([`retry`]), ordered mid-call failover between speech-to-speech providers, which also
//! reconnects a lone provider ([`failover`]), and reopening a dropped transcription stream
//! ([`reconnect`]).
//!
//! Both take time from the caller (an `Instant` or a sleep function) instead of reading the
//! clock or sleeping themselves, so their behaviour is tested exactly and a simulator can run
//! them on virtual time.

pub mod breaker;
pub mod failover;
pub mod reconnect;
pub mod retry;
