//! The application's state: the shared infrastructure ([`Infra`]) and one state per
//! domain built from it. `startup` only assembles these; domains never import `startup`.
//!
//! Adding a domain: give it a `<Domain>State` with what only it owns (caches, runtimes),
//! built by `<Domain>State::new(&infra)`, which also registers its event listeners on the
//! hub and its long-lived tasks on the runtime; add it as a field of [`AppState`].

use std::sync::Arc;

use anyhow::Context;
use sea_orm::DatabaseConnection;

use crate::clock::Clock;
use crate::config::Config;
use crate::realtime::{Bus, Hub};
use crate::runtime::Runtime;
use crate::store::{MemoryStore, RedisStore, Store};

/// What every domain shares: configuration, persistence, stores, realtime, time and the
/// registry of long-lived tasks.
pub struct Infra {
    /// The validated configuration.
    pub config: Arc<Config>,
    /// The database pool (migrated).
    pub db: DatabaseConnection,
    /// Redis pool, when configured.
    pub redis: Option<deadpool_redis::Pool>,
    /// Counters and tickets (Redis, or in-process).
    pub store: Arc<Store>,
    /// This instance's WebSocket connections.
    pub hub: Arc<Hub>,
    /// Event publishing, across instances with Redis.
    pub bus: Arc<Bus>,
    /// Time.
    pub clock: Clock,
    /// Long-lived tasks, drained at shutdown.
    pub runtime: Arc<Runtime>,
}

impl Infra {
    /// Connects to the database (migrating it) and Redis, and starts the event bus.
    pub async fn connect(config: Config, clock: Clock) -> anyhow::Result<Infra> {
        let db = crate::db::connect(&config).await?;
        crate::db::migrate(&db).await?;
        let hub = Hub::with_limits(config.ws_buffer, config.ws_max_connections_per_user);
        let runtime = Arc::new(Runtime::default());
        let (redis, store, bus) = match &config.redis_url {
            Some(url) => {
                let mut cfg = deadpool_redis::Config::from_url(url.clone());
                cfg.pool = Some(deadpool_redis::PoolConfig::new(config.redis_pool_size));
                let pool = cfg
                    .create_pool(Some(deadpool_redis::Runtime::Tokio1))
                    .context("creating the Redis pool")?;
                let prefix = &config.redis_prefix;
                let store = Store::Redis(RedisStore::new(pool.clone(), prefix));
                let bus = Bus::redis(Arc::clone(&hub), pool.clone(), url, prefix);
                bus.spawn_subscriber(&runtime);
                (Some(pool), store, bus)
            }
            None => (
                None,
                Store::Memory(MemoryStore::with_clock(clock.clone())),
                Bus::local(Arc::clone(&hub)),
            ),
        };
        crate::telemetry::metrics_handle();
        Ok(Infra {
            config: Arc::new(config),
            db,
            redis,
            store: Arc::new(store),
            hub,
            bus,
            clock,
            runtime,
        })
    }
}

/// Everything a request handler may use: the infrastructure and each domain's state.
pub struct AppState {
    /// Shared infrastructure.
    pub infra: Infra,
    /// Keys, revocations, passwords, API-key lookups.
    pub auth: crate::auth::AuthState,
    /// User caches.
    pub users: crate::users::UsersState,
    /// Organization lookups.
    pub organizations: crate::organizations::OrganizationsState,
    /// Rate limit and operation names of the HTTP layer.
    pub http: crate::middleware::HttpState,
    /// Durable job queues.
    pub jobs: crate::jobs::JobsState,
    /// Agents' live states.
    pub presence: crate::presence::PresenceState,
}
