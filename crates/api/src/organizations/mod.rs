//! Organizations (tenants): creation with a first admin, and lookups.

pub mod entity;
pub mod service;

use std::time::Duration;

use uuid::Uuid;

use crate::cache::TtlCache;

/// What the organizations domain owns.
pub struct OrganizationsState {
    /// Organization names (immutable once created).
    pub names: TtlCache<Uuid, String>,
}

impl Default for OrganizationsState {
    fn default() -> Self {
        OrganizationsState {
            names: TtlCache::new(Duration::from_secs(300), 10_000),
        }
    }
}
