//! Building the application: state, routes, middleware, and the server that tests and
//! the binary both use (`Application::build` binds, `run_until_stopped` serves).

use std::collections::HashMap;
use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use cc_types::ErrorCode;
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::AuthState;
use crate::clock::Clock;
use crate::config::Config;
use crate::error::ApiError;
use crate::middleware::HttpState;
use crate::middleware::{
    audit::audit_middleware, catch_panic::catch_panic_middleware,
    rate_limit::rate_limit_middleware, request::request_middleware,
};
use crate::organizations::OrganizationsState;
pub use crate::state::AppState;
use crate::state::Infra;
use crate::users::UsersState;
use crate::{
    agents, api_keys, audit, auth, health, openapi, performance, presence, realtime, shifts,
    skills, staffing, teams, users, webhooks,
};

/// Connects the infrastructure and builds every domain's state on it.
pub async fn build_state(config: Config) -> anyhow::Result<web::Data<AppState>> {
    build_state_with(config, Clock::system()).await
}

/// [`build_state`] with a given clock (tests pass a manual one).
pub async fn build_state_with(config: Config, clock: Clock) -> anyhow::Result<web::Data<AppState>> {
    let infra = Infra::connect(config, clock).await?;
    let state = web::Data::new(AppState {
        auth: AuthState::new(&infra)?,
        users: UsersState::new(&infra),
        organizations: OrganizationsState::default(),
        http: HttpState::new(&infra, operation_ids(&document())),
        jobs: crate::jobs::JobsState::new(&infra).await?,
        presence: crate::presence::PresenceState::new(&infra).await?,
        infra,
    });
    // Tasks that act through other domains' services start once the state is whole.
    crate::presence::timers::start(state.clone());
    Ok(state)
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
        .map(|s| {
            let c = &s.infra.config;
            (c.body_limit_bytes, c.cors_origins.clone())
        })
        .unwrap_or((256 * 1024, Vec::new()));
    let mut app = App::new();
    if let Some(state) = state {
        app = app.app_data(state);
    }
    let (app, api) = app
        .app_data(web::PayloadConfig::new(body_limit))
        .app_data(
            // A path segment that is not an id: 404, unless a route written out for this
            // path exists with other methods (`PATCH /api/agents/me`): then 405.
            web::PathConfig::default().error_handler(|_, req| {
                let allowed = req
                    .app_data::<web::Data<AppState>>()
                    .map(|s| s.http.allowed_methods(req.path()).join(", "))
                    .unwrap_or_default();
                if !allowed.is_empty() && !allowed.split(", ").any(|m| m == req.method().as_str()) {
                    return ApiError::MethodNotAllowed(allowed).into();
                }
                ApiError::Client(ErrorCode::NotFound).into()
            }),
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
                .configure(teams::routes::configure)
                .configure(skills::routes::configure)
                .configure(presence::routes::configure)
                .configure(agents::routes::configure)
                .configure(shifts::routes::configure)
                .configure(shifts::time_off_routes::configure)
                .configure(staffing::routes::configure)
                .configure(performance::routes::configure)
                .configure(api_keys::routes::configure)
                .configure(audit::routes::configure)
                .configure(realtime::routes::configure),
        )
        .service(
            scope::scope("/webhooks")
                .app_data(web::PayloadConfig::new(webhooks::BODY_LIMIT))
                .wrap(from_fn(webhooks::webhook_guard))
                .configure(webhooks::configure),
        )
        // The docs live at `/docs/`; people type `/docs`.
        .route(
            "/docs",
            web::get().to(|| async {
                actix_web::HttpResponse::PermanentRedirect()
                    .insert_header((actix_web::http::header::LOCATION, "/docs/"))
                    .finish()
            }),
        )
        .openapi_service(|mut api| {
            openapi::finish(&mut api);
            SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", api)
        })
        .default_service(web::to(crate::web::spa_or_not_found))
        .split_for_parts();
    let mut api = api;
    openapi::finish(&mut api);
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

    /// Serves until a stop signal (SIGTERM, SIGINT), then drains the long-lived tasks.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        let aborted = self
            .state
            .infra
            .runtime
            .drain(std::time::Duration::from_secs(5))
            .await;
        tracing::info!(aborted, "stopped");
        served
    }

    /// Splits into a handle that stops the server and the future that runs it.
    pub fn into_parts(self) -> (actix_web::dev::ServerHandle, Server) {
        (self.server.handle(), self.server)
    }
}
