//! Building the application: state, routes, middleware, and the server that tests and
//! the binary both use (`Application::build` binds, `run_until_stopped` serves).

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use cc_types::ErrorCode;
use sea_orm::DatabaseConnection;
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use cc_types::events::DomainEvent;
use uuid::Uuid;

use crate::auth::keys::KeyRing;
use crate::auth::password::PasswordPolicy;
use crate::auth::revocation::Revocations;
use crate::cache::TtlCache;
use crate::config::Config;
use crate::error::ApiError;
use crate::middleware::{
    audit::audit_middleware, catch_panic::catch_panic_middleware,
    rate_limit::rate_limit_middleware, request::request_middleware,
};
use crate::realtime::{Bus, Hub};
use crate::store::{MemoryStore, RedisStore, Store};
use crate::{api_keys, audit, auth, health, openapi, realtime, users};

/// Everything a request handler may use, built once in [`build_state`].
pub struct AppState {
    /// The validated configuration.
    pub config: Arc<Config>,
    /// The database pool.
    pub db: DatabaseConnection,
    /// Redis pool, when configured.
    pub redis: Option<deadpool_redis::Pool>,
    /// Token keys.
    pub keys: Arc<KeyRing>,
    /// Counters and tickets.
    pub store: Arc<Store>,
    /// The `/api` rate limit; `None` when disabled (a limit of 0).
    pub rate_limiter: Option<crate::rate_limit::RateLimiter>,
    /// Revoked access tokens.
    pub revocations: Arc<Revocations>,
    /// This instance's WebSocket connections.
    pub hub: Arc<Hub>,
    /// Event publishing.
    pub bus: Arc<Bus>,
    /// argon2id costs.
    pub passwords: PasswordPolicy,
    /// `METHOD /template` to operation id, for audit action names.
    pub operations: Arc<HashMap<String, String>>,
    /// Recently read users (`GET /api/auth/me`), invalidated by user events from any instance.
    pub user_cache: Arc<TtlCache<Uuid, crate::users::entity::Model>>,
    /// Pages of `GET /api/users` by organization and query, as JSON bodies, invalidated
    /// like `user_cache`.
    pub user_pages: Arc<TtlCache<(Uuid, String), web::Bytes>>,
    /// Organization names (immutable once created).
    pub org_names: TtlCache<Uuid, String>,
    /// Ids of API keys that authenticated here, by hash: the rate limiter counts a key's
    /// requests as that key's only once it has proved itself.
    pub api_key_ids: TtlCache<String, Uuid>,
}

/// Connects to the database (migrating it) and Redis, loads keys, starts subscribers.
pub async fn build_state(config: Config) -> anyhow::Result<web::Data<AppState>> {
    let db = crate::db::connect(&config).await?;
    crate::db::migrate(&db).await?;
    let keys = Arc::new(KeyRing::load(&config)?);
    let hub = Hub::with_limits(config.ws_buffer, config.ws_max_connections_per_user);
    let (redis, store, revocations, bus) = match &config.redis_url {
        Some(url) => {
            let mut cfg = deadpool_redis::Config::from_url(url.clone());
            cfg.pool = Some(deadpool_redis::PoolConfig::new(config.redis_pool_size));
            let pool = cfg
                .create_pool(Some(deadpool_redis::Runtime::Tokio1))
                .context("creating the Redis pool")?;
            let prefix = &config.redis_prefix;
            let store = Store::Redis(RedisStore::new(pool.clone(), prefix));
            let revocations = Revocations::with_redis(pool.clone(), url, prefix);
            revocations.spawn_subscriber();
            let bus = Bus::redis(Arc::clone(&hub), pool.clone(), url, prefix);
            bus.spawn_subscriber();
            (Some(pool), store, revocations, bus)
        }
        None => (
            None,
            Store::Memory(MemoryStore::default()),
            Revocations::in_process(),
            Bus::local(Arc::clone(&hub)),
        ),
    };
    crate::telemetry::metrics_handle();
    let store = Arc::new(store);
    let rate_limiter = (config.rate_limit_per_minute > 0).then(|| {
        crate::rate_limit::RateLimiter::new(
            Arc::clone(&store),
            u64::from(config.rate_limit_per_minute),
            Duration::from_secs(60),
        )
    });
    let user_cache = Arc::new(TtlCache::new(Duration::from_secs(30), 50_000));
    let user_pages = Arc::new(TtlCache::new(Duration::from_secs(30), 10_000));
    let (users, pages) = (Arc::clone(&user_cache), Arc::clone(&user_pages));
    hub.listen(Box::new(move |org, event| match event {
        DomainEvent::UserCreated { user_id, .. }
        | DomainEvent::UserUpdated { user_id }
        | DomainEvent::UserDeactivated { user_id } => {
            users.invalidate(user_id);
            pages.invalidate_where(|(o, _)| *o == org);
        }
        DomainEvent::Notice { .. } => {}
    }));
    Ok(web::Data::new(AppState {
        user_cache,
        user_pages,
        org_names: TtlCache::new(Duration::from_secs(300), 10_000),
        api_key_ids: TtlCache::new(Duration::from_secs(600), 10_000),
        passwords: PasswordPolicy::new(
            config.argon2_memory_kib,
            config.argon2_iterations,
            config.argon2_max_memory_mib,
        ),
        config: Arc::new(config),
        db,
        redis,
        keys,
        store,
        rate_limiter,
        revocations,
        hub,
        bus,
        operations: Arc::new(operation_ids(&document())),
    }))
}

/// The whole application; with `state` absent it still yields the OpenAPI document.
pub fn app(
    state: Option<web::Data<AppState>>,
) -> (
    App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<impl MessageBody>,
            Error = actix_web::Error,
            InitError = (),
        >,
    >,
    utoipa::openapi::OpenApi,
) {
    let (body_limit, cors_origins) = state
        .as_ref()
        .map(|s| (s.config.body_limit_bytes, s.config.cors_origins.clone()))
        .unwrap_or((256 * 1024, Vec::new()));
    let mut app = App::new();
    if let Some(state) = state {
        app = app.app_data(state);
    }
    let (app, api) = app
        .app_data(web::PayloadConfig::new(body_limit))
        .app_data(
            web::PathConfig::default()
                .error_handler(|_, _| ApiError::Client(ErrorCode::NotFound).into()),
        )
        .wrap(from_fn(catch_panic_middleware))
        .wrap(cors(&cors_origins))
        .wrap(from_fn(request_middleware))
        .into_utoipa_app()
        .openapi(openapi::ApiDoc::openapi())
        .service(health::healthz)
        .service(health::readyz)
        .service(health::get_metrics)
        .service(auth::routes::jwks)
        .service(
            scope::scope("/api")
                .wrap(from_fn(audit_middleware))
                .wrap(from_fn(rate_limit_middleware))
                .configure(auth::routes::configure)
                .configure(users::routes::configure)
                .configure(api_keys::routes::configure)
                .configure(audit::routes::configure)
                .configure(realtime::routes::configure),
        )
        .openapi_service(|api| SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", api))
        .default_service(web::to(crate::web::spa_or_not_found))
        .split_for_parts();
    (app, api)
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            "authorization",
            "content-type",
            "x-api-key",
            "x-request-id",
            "accept-language",
        ])
        .expose_headers(["x-request-id", "retry-after"])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// The OpenAPI document (what `cc-api openapi` prints).
pub fn document() -> utoipa::openapi::OpenApi {
    app(None).1
}

fn operation_ids(doc: &utoipa::openapi::OpenApi) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let Ok(value) = serde_json::to_value(doc) else {
        return map;
    };
    let Some(paths) = value.get("paths").and_then(|p| p.as_object()) else {
        return map;
    };
    for (path, item) in paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                map.insert(format!("{} {path}", method.to_uppercase()), id.to_owned());
            }
        }
    }
    map
}

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
}

impl Application {
    /// Builds state and binds `config.bind` (port 0 picks a free port).
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let bind = config.bind;
        let state = build_state(config).await?;
        let listener = TcpListener::bind(bind).with_context(|| format!("binding {bind}"))?;
        Application::with_listener(state, listener)
    }

    /// Serves `state` on an already bound listener.
    pub fn with_listener(
        state: web::Data<AppState>,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let shared = state.clone();
        let server = HttpServer::new(move || app(Some(shared.clone())).0)
            .listen(listener)
            .context("listening")?
            .shutdown_timeout(5)
            .run();
        Ok(Application {
            port,
            server,
            state,
        })
    }

    /// The port bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The state shared by every worker.
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Serves until a stop signal.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    /// Splits into a handle that stops the server and the future that runs it.
    pub fn into_parts(self) -> (actix_web::dev::ServerHandle, Server) {
        (self.server.handle(), self.server)
    }
}
