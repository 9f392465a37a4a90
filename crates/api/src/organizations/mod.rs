//! Organizations (tenants): creation with a first admin, and lookups.

pub mod entity;
pub mod service;
