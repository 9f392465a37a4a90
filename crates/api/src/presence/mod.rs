//! Live presence: agents' states (store shared by instances, append-only log, events),
//! the organization's not-ready reasons, and the timers that act on presence (reason
//! overruns, disconnection grace).

pub mod entity;
pub mod reasons;
pub mod routes;
pub mod service;
pub mod store;
pub mod timers;

use std::sync::Arc;

use cc_core::agent::AgentPolicy;
use sea_orm::{EntityTrait, Statement};

use self::entity::state_log;
use self::store::PresenceStore;
use crate::state::Infra;

/// The presence domain's state: the store of current states and the state machine's
/// policy.
pub struct PresenceState {
    /// Current states.
    pub store: Arc<PresenceStore>,
    /// The agent state machine's rules.
    pub policy: AgentPolicy,
}

impl PresenceState {
    /// Opens the store (Redis when configured) and, when it is empty (a fresh Redis, a
    /// new process), fills it from the log.
    pub async fn new(infra: &Infra) -> anyhow::Result<Self> {
        let store = match &infra.redis {
            Some(pool) => PresenceStore::Redis {
                pool: pool.clone(),
                prefix: infra.config.redis_prefix.clone(),
            },
            None => PresenceStore::memory(),
        };
        if store.is_empty().await? {
            rebuild(infra, &store).await?;
        }
        Ok(PresenceState {
            store: Arc::new(store),
            policy: AgentPolicy::default(),
        })
    }
}

/// Every agent's newest log row goes into the store.
async fn rebuild(infra: &Infra, store: &PresenceStore) -> anyhow::Result<()> {
    let db = &infra.db;
    let sql = "SELECT l.* FROM agent_state_log l WHERE l.version = \
        (SELECT MAX(m.version) FROM agent_state_log m WHERE m.agent_id = l.agent_id)";
    let rows = state_log::Entity::find()
        .from_raw_sql(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await?;
    for row in &rows {
        store
            .put_if_newer(row.organization_id, &service::from_log(row))
            .await?;
    }
    tracing::info!(agents = rows.len(), "presence rebuilt from the log");
    Ok(())
}
