//! API keys for integrators: created by an admin and shown once, stored as a hash,
//! limited by role, scopes and expiry, revocable.

pub mod entity;
pub mod routes;
pub mod service;
