//! Test harness: starts the real application on a random port against its own database
//! (a SQLite file, or a PostgreSQL database cloned from a migrated template) and its own
//! Redis key prefix, and talks HTTP/WebSocket to it.
#![allow(dead_code)]

use std::net::TcpListener;
use std::time::{Duration, Instant};

use awc::Client;
use cc_api::config::Config;
use cc_api::startup::{AppState, Application, build_state_with};
use cc_types::Role;
use serde_json::{Value, json};
use uuid::Uuid;

pub const PASSWORD: &str = "correct-horse-battery";

/// Which backend the suite runs on (`CC_TEST_BACKEND`: `sqlite` or `postgres`).
pub fn postgres() -> bool {
    std::env::var("CC_TEST_BACKEND").is_ok_and(|v| v == "postgres")
}

pub struct TestApp {
    pub base: String,
    pub port: u16,
    pub state: actix_web::web::Data<AppState>,
    pub org: Uuid,
    pub admin_email: String,
    handle: actix_web::dev::ServerHandle,
    _dir: tempfile::TempDir,
}

/// Settings of one test world, before the app is built.
pub struct World {
    pub config: Config,
    pub dir: tempfile::TempDir,
}

/// A configuration for a fresh, isolated world on the backend of this run.
pub async fn world() -> World {
    world_on(postgres()).await
}

/// A fresh world on PostgreSQL + Redis, whatever the run's backend.
pub async fn world_pg() -> World {
    world_on(true).await
}

async fn world_on(postgres: bool) -> World {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.path().to_path_buf(),
        argon2_memory_kib: 8 * 1024,
        argon2_iterations: 1,
        log_level: "warn".into(),
        db_min_connections: 1,
        db_max_connections: 8,
        ..Config::default()
    };
    if postgres {
        config.database_url = pg::fresh_database().await;
        config.redis_url = Some(
            std::env::var("CC_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into()),
        );
        config.redis_prefix = format!("cctest:{}", Uuid::now_v7().simple());
    }
    World { config, dir }
}

/// An embedded-default configuration whose data lives in `dir/data` (where the `cc-api`
/// binary of the CLI tests keeps it too), with cheap password hashing.
pub fn sqlite_config(dir: &std::path::Path) -> Config {
    Config {
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.join("data"),
        argon2_memory_kib: 8192,
        argon2_iterations: 1,
        ..Config::default()
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_world(world().await).await
}

pub async fn spawn_with(f: impl FnOnce(&mut Config)) -> TestApp {
    let mut w = world().await;
    f(&mut w.config);
    spawn_world(w).await
}

/// Starts an app on a world's configuration and creates its first organization.
pub async fn spawn_world(w: World) -> TestApp {
    let mut app = start(w.config, w.dir).await;
    let admin_email = format!("admin-{}@org.test", Uuid::now_v7().simple());
    app.org = create_org(&app.state, &admin_email).await;
    app.admin_email = admin_email;
    app
}

/// Starts an app without creating anything in it.
pub async fn start(config: Config, dir: tempfile::TempDir) -> TestApp {
    cc_api::telemetry::init_logging(&config);
    let state = build_state_with(config, cc_api::clock::Clock::manual())
        .await
        .expect("building state");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let app = Application::with_listener(state.clone(), listener).unwrap();
    let port = app.port();
    let (handle, server) = app.into_parts();
    actix_web::rt::spawn(server);
    TestApp {
        base: format!("http://127.0.0.1:{port}"),
        port,
        state,
        org: Uuid::nil(),
        admin_email: String::new(),
        handle,
        _dir: dir,
    }
}

pub async fn create_org(state: &AppState, admin_email: &str) -> Uuid {
    let name = format!("Org {}", Uuid::now_v7().simple());
    cc_api::organizations::service::create_with_admin(state, &name, admin_email, PASSWORD)
        .await
        .unwrap()
}

pub fn client() -> Client {
    Client::builder().timeout(Duration::from_secs(20)).finish()
}

/// A response's status, headers and JSON body (Null when not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: awc::http::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// One request to the server at `base` (an instance, or a proxy in front of several).
pub async fn request(
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Reply {
    let method = awc::http::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = client().request(method, format!("{base}{path}"));
    if let Some(t) = token {
        req = req.insert_header(("Authorization", format!("Bearer {t}")));
    }
    for (k, v) in headers {
        req = req.insert_header((*k, *v));
    }
    let mut res = match body {
        Some(b) => req.send_json(&b).await.unwrap(),
        None => req.send().await.unwrap(),
    };
    let bytes = res.body().limit(4 * 1024 * 1024).await.unwrap();
    Reply {
        status: res.status().as_u16(),
        headers: res.headers().clone(),
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        self.send_with(method, path, token, body, &[]).await
    }

    pub async fn send_with(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        request(&self.base, method, path, token, body, headers).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.send("GET", path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.send("POST", path, Some(token), Some(body)).await
    }

    /// `POST /api/auth/refresh` with `token` (a JSON value, as token bodies carry it).
    pub async fn refresh(&self, token: &Value) -> Reply {
        self.send(
            "POST",
            "/api/auth/refresh",
            None,
            Some(json!({"refresh_token": token})),
        )
        .await
    }

    /// Logs in and answers the token response body.
    pub async fn login_tokens(&self, email: &str, password: &str) -> Value {
        let r = self
            .send(
                "POST",
                "/api/auth/login",
                None,
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(r.status, 200, "login of {email} failed: {}", r.body);
        r.body
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        self.login_tokens(email, password).await["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.login(&self.admin_email.clone(), PASSWORD).await
    }

    /// Creates a user of `role` through the API; answers (id, email).
    pub async fn create_user(&self, admin: &str, role: Role) -> (String, String) {
        let email = format!("{}-{}@org.test", role.as_str(), Uuid::now_v7().simple());
        let r = self.post("/api/users", admin, json!({"email": email, "display_name": "Test User", "role": role, "password": PASSWORD})).await;
        assert_eq!(r.status, 201, "{}", r.body);
        (r.body["id"].as_str().unwrap().to_owned(), email)
    }

    /// Decodes a successful reply into a cc-types DTO, or panics with what came back.
    pub fn dto<T: serde::de::DeserializeOwned>(reply: Reply, expected: u16) -> T {
        assert_eq!(reply.status, expected, "{}", reply.body);
        serde_json::from_value(reply.body).expect("the body is the documented DTO")
    }

    /// Creates a user of `role` through the API, as a DTO.
    pub async fn new_user(&self, admin: &str, role: Role) -> cc_types::users::User {
        let email = format!("{}-{}@org.test", role.as_str(), Uuid::now_v7().simple());
        let req = cc_types::users::CreateUserRequest {
            email,
            display_name: "Test User".into(),
            role,
            password: PASSWORD.into(),
            language: Default::default(),
        };
        let reply = self
            .post("/api/users", admin, serde_json::to_value(&req).unwrap())
            .await;
        Self::dto(reply, 201)
    }

    /// Creates an API key with `credential`; the reply when it is refused.
    pub async fn new_api_key(
        &self,
        credential: &str,
        req: &cc_types::api_keys::CreateApiKeyRequest,
    ) -> Result<cc_types::api_keys::CreatedApiKey, Reply> {
        let reply = self
            .post(
                "/api/api-keys",
                credential,
                serde_json::to_value(req).unwrap(),
            )
            .await;
        if reply.status == 201 {
            Ok(Self::dto(reply, 201))
        } else {
            Err(reply)
        }
    }

    /// `GET /api/auth/me` as a DTO.
    pub async fn me(&self, token: &str) -> cc_types::auth::Me {
        Self::dto(self.get("/api/auth/me", token).await, 200)
    }

    /// A token for a new user of `role`.
    pub async fn token_for(&self, admin: &str, role: Role) -> String {
        if role == Role::Admin {
            return admin.to_owned();
        }
        let (_, email) = self.create_user(admin, role).await;
        self.login(&email, PASSWORD).await
    }

    pub fn stop(&self) {
        drop(self.handle.stop(false));
    }

    /// Stops the server and waits until it has: its port refuses connections.
    pub async fn shut_down(&self) {
        self.handle.stop(false).await;
    }

    /// Moves the application's clock forward.
    pub fn advance(&self, by: Duration) {
        self.state.infra.clock.advance(by);
    }
}

/// Polls `check` until it answers true or `timeout` passes.
pub async fn eventually<F, Fut>(timeout: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if check().await {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
}

/// PostgreSQL: one migrated template per migration set, one database per test.
pub mod pg {
    use migration::MigratorTrait;
    use sea_orm::{ConnectionTrait, Database};

    fn server_url() -> String {
        std::env::var("CC_TEST_DATABASE_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
    }

    fn with_db(url: &str, db: &str) -> String {
        match url.rfind('/') {
            Some(i) => format!("{}/{db}", &url[..i]),
            None => format!("{url}/{db}"),
        }
    }

    /// One template per version of the migrations' code, not of their names: a migration
    /// edited in place gets a fresh template.
    fn template_name() -> String {
        format!("cctpl_{}", migration::SOURCE_HASH)
    }

    /// A new database with nothing in it (not even the migrations).
    pub async fn empty_database() -> String {
        let admin = Database::connect(server_url())
            .await
            .expect("PostgreSQL reachable");
        let name = format!("cct_{}", uuid::Uuid::now_v7().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap();
        admin.close().await.unwrap();
        with_db(&server_url(), &name)
    }

    pub async fn fresh_database() -> String {
        // One connection, so that the advisory lock and its unlock share a session.
        let mut opts = sea_orm::ConnectOptions::new(server_url());
        opts.max_connections(1)
            .min_connections(1)
            .sqlx_logging(false);
        let admin = Database::connect(opts).await.expect("PostgreSQL reachable");
        let template = template_name();
        // Serializes template creation across test processes.
        admin
            .execute_unprepared("SELECT pg_advisory_lock(7331001)")
            .await
            .unwrap();
        let exists = admin
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!("SELECT 1 FROM pg_database WHERE datname = '{template}'"),
            ))
            .await
            .unwrap()
            .is_some();
        if !exists {
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{template}\""))
                .await
                .unwrap();
            let t = Database::connect(with_db(&server_url(), &template))
                .await
                .unwrap();
            migration::Migrator::up(&t, None).await.unwrap();
            t.close().await.unwrap();
        }
        let name = format!("cct_{}", uuid::Uuid::now_v7().simple());
        let created = admin
            .execute_unprepared(&format!(
                "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
            ))
            .await;
        admin
            .execute_unprepared("SELECT pg_advisory_unlock(7331001)")
            .await
            .unwrap();
        created.unwrap();
        admin.close().await.unwrap();
        with_db(&server_url(), &name)
    }
}
