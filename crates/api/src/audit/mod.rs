//! The audit trail: every mutating request is recorded with who, what, which
//! organization, when, the outcome and the correlation id. Admins read it at `/api/audit`.

pub mod entity;
pub mod routes;
pub mod service;

/// The id of the resource a handler created, for the audit row (set in request extensions).
#[derive(Debug, Clone)]
pub struct AuditTarget(pub String);
