//! Users of an organization: admin CRUD, deactivation, profiles and passwords.

pub mod entity;
pub mod routes;
pub mod service;

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use cc_types::events::DomainEvent;
use uuid::Uuid;

use crate::cache::TtlCache;
use crate::state::Infra;

/// What the users domain owns: read caches invalidated by user events from any instance.
pub struct UsersState {
    /// Recently read users (`GET /api/auth/me`).
    pub cache: Arc<TtlCache<Uuid, entity::Model>>,
    /// Pages of `GET /api/users` by organization and query, as JSON bodies.
    pub pages: Arc<TtlCache<(Uuid, String), web::Bytes>>,
}

impl UsersState {
    /// Empty caches, invalidated by the user events the hub delivers.
    pub fn new(infra: &Infra) -> UsersState {
        let cache = Arc::new(TtlCache::new(Duration::from_secs(30), 50_000));
        let pages = Arc::new(TtlCache::new(Duration::from_secs(30), 10_000));
        let (users, by_org) = (Arc::clone(&cache), Arc::clone(&pages));
        infra.hub.listen(Box::new(move |org, event| match event {
            DomainEvent::UserCreated { user_id, .. }
            | DomainEvent::UserUpdated { user_id }
            | DomainEvent::UserDeactivated { user_id } => {
                users.invalidate(user_id);
                by_org.invalidate_where(|(o, _)| *o == org);
            }
            DomainEvent::TeamChanged { .. }
            | DomainEvent::AgentChanged { .. }
            | DomainEvent::AgentStateChanged(_)
            | DomainEvent::AgentStateOverrun { .. }
            | DomainEvent::ShiftsChanged { .. }
            | DomainEvent::Notice { .. } => {}
        }));
        UsersState { cache, pages }
    }
}
