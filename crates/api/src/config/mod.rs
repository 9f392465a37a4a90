//! Configuration: built-in defaults, then an optional `cc-lite.toml` (or the file named by
//! `CC_CONFIG`), then `CC_*` environment variables. Validated once at start-up; an error
//! names the setting and what is wrong with it.
//!
//! A setting has one name: its file key, and the same upper-cased behind `CC_` in the
//! environment. Sections (one per domain: `[retention]`, and `[twilio]`, `[openai]`… as
//! they arrive) nest with `__`: `[retention] audit_days = 400` is
//! `CC_RETENTION__AUDIT_DAYS=400`. The environment is mapped onto the file's tree
//! generically ([`load`]), so a new setting needs no loading code: a field with a default
//! and, if it has limits, a line in [`validate`].

mod load;
mod sections;
mod validate;

use std::net::SocketAddr;
use std::path::PathBuf;

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

pub use load::ConfigError;
pub use sections::{DisconnectPolicy, PresenceConfig, RetentionConfig};

/// Everything `cc-api` can be told.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to serve on (`CC_BIND`).
    pub bind: SocketAddr,
    /// Folder for the embedded database and generated keys (`CC_DATA_DIR`).
    pub data_dir: PathBuf,
    /// `sqlite://...` or `postgres://...` (`CC_DATABASE_URL`); empty means a SQLite file in `data_dir`.
    pub database_url: String,
    /// Redis for revocation, rate limits, tickets and pub/sub (`CC_REDIS_URL`); unset: in-process.
    pub redis_url: Option<String>,
    /// Prefix of every Redis key and channel (`CC_REDIS_PREFIX`), so instances of one deployment share and tests are isolated.
    pub redis_prefix: String,
    /// Connections kept open (`CC_DB_MIN_CONNECTIONS`).
    pub db_min_connections: u32,
    /// Upper bound of connections: the steady 10 plus 20 of overflow (`CC_DB_MAX_CONNECTIONS`).
    pub db_max_connections: u32,
    /// Redis pool size (`CC_REDIS_POOL_SIZE`).
    pub redis_pool_size: usize,
    /// PEM file of the Ed25519 signing key (`CC_JWT_SIGNING_KEY`); unset: generated in `data_dir/keys`.
    pub jwt_signing_key: Option<PathBuf>,
    /// Extra PEM public keys still accepted for verification during rotation (`CC_JWT_VERIFY_KEYS`, comma-separated).
    pub jwt_verify_keys: Vec<PathBuf>,
    /// Access-token lifetime in seconds (`CC_ACCESS_TOKEN_TTL`).
    #[serde(rename = "access_token_ttl")]
    pub access_token_ttl_secs: u64,
    /// Refresh-token lifetime in seconds (`CC_REFRESH_TOKEN_TTL`).
    #[serde(rename = "refresh_token_ttl")]
    pub refresh_token_ttl_secs: u64,
    /// Seconds after a refresh token's rotation during which presenting it again is refused
    /// without ending the session (`CC_REFRESH_REUSE_GRACE`; another tab, a lost answer);
    /// later reuse is theft and ends it. `0` treats every reuse as theft.
    pub refresh_reuse_grace: u64,
    /// Browser origins allowed by CORS (`CC_CORS_ORIGINS`, comma-separated).
    pub cors_origins: Vec<String>,
    /// Networks allowed to reach admin routes (`CC_ADMIN_ALLOWLIST`); empty allows all.
    #[serde(deserialize_with = "load::nets")]
    pub admin_allowlist: Vec<IpNet>,
    /// Networks allowed to reach telephony webhooks (`CC_WEBHOOK_ALLOWLIST`); empty allows all.
    #[serde(deserialize_with = "load::nets")]
    pub webhook_allowlist: Vec<IpNet>,
    /// The address carriers and browsers reach this deployment at (`CC_PUBLIC_URL`,
    /// e.g. `https://cc.example.com`); webhook signatures are checked against it.
    pub public_url: Option<String>,
    /// Take the client address from `X-Forwarded-For` (`CC_TRUST_FORWARDED`); only behind a proxy you run.
    pub trust_forwarded: bool,
    /// Networks of your own proxies (`CC_TRUSTED_PROXIES`): `X-Forwarded-For` hops from them
    /// are skipped; empty means the peer is the only proxy.
    #[serde(deserialize_with = "load::nets")]
    pub trusted_proxies: Vec<IpNet>,
    /// Requests per minute per client on `/api` (`CC_RATE_LIMIT_PER_MINUTE`).
    pub rate_limit_per_minute: u32,
    /// Failed logins per account within the window before 429 (`CC_LOGIN_MAX_FAILURES`).
    pub login_max_failures: u32,
    /// Failed logins per IP within the window before 429 (`CC_LOGIN_IP_MAX_FAILURES`).
    pub login_ip_max_failures: u32,
    /// Throttling window in seconds (`CC_LOGIN_WINDOW`).
    #[serde(rename = "login_window")]
    pub login_window_secs: u64,
    /// Largest JSON body accepted, in bytes (`CC_BODY_LIMIT`).
    #[serde(rename = "body_limit")]
    pub body_limit_bytes: usize,
    /// Largest uploaded file, in bytes (`CC_UPLOAD_LIMIT`); streamed to disk, never held.
    #[serde(rename = "upload_limit")]
    pub upload_limit_bytes: u64,
    /// argon2id memory cost in KiB (`CC_ARGON2_MEMORY_KIB`).
    pub argon2_memory_kib: u32,
    /// argon2id passes (`CC_ARGON2_ITERATIONS`).
    pub argon2_iterations: u32,
    /// Memory all concurrent password hashes may use together, in MiB
    /// (`CC_ARGON2_MAX_MEMORY_MIB`); a login past it waits briefly, then answers 503.
    pub argon2_max_memory_mib: u32,
    /// Absolute lifetime of a session in seconds, however often it is refreshed
    /// (`CC_SESSION_MAX_AGE`).
    #[serde(rename = "session_max_age")]
    pub session_max_age_secs: u64,
    /// What is kept how long (`[retention]`, `CC_RETENTION__*`).
    pub retention: RetentionConfig,
    /// Live presence (`[presence]`, `CC_PRESENCE__*`).
    pub presence: PresenceConfig,
    /// `json` or `pretty` (`CC_LOG_FORMAT`).
    pub log_format: String,
    /// tracing filter (`CC_LOG`), e.g. `info,cc_api=debug`.
    #[serde(rename = "log")]
    pub log_level: String,
    /// Events buffered per WebSocket before the client is told to resync (`CC_WS_BUFFER`).
    pub ws_buffer: usize,
    /// Seconds between WebSocket heartbeats (`CC_WS_HEARTBEAT`).
    #[serde(rename = "ws_heartbeat")]
    pub ws_heartbeat_secs: u64,
    /// Lifetime of a WebSocket ticket in seconds (`CC_WS_TICKET_TTL`).
    #[serde(rename = "ws_ticket_ttl")]
    pub ws_ticket_ttl_secs: u64,
    /// Topics one WebSocket may follow at once (`CC_WS_MAX_TOPICS`).
    pub ws_max_topics: usize,
    /// WebSockets one user may hold open on one instance (`CC_WS_MAX_CONNECTIONS_PER_USER`).
    pub ws_max_connections_per_user: usize,
    /// Folder of the built web app served at `/` (`CC_WEB_DIR`).
    pub web_dir: PathBuf,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: String::new(),
            redis_url: None,
            redis_prefix: "cc".into(),
            db_min_connections: 10,
            db_max_connections: 30,
            redis_pool_size: 16,
            jwt_signing_key: None,
            jwt_verify_keys: Vec::new(),
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_secs: 30 * 24 * 3600,
            refresh_reuse_grace: 10,
            cors_origins: Vec::new(),
            admin_allowlist: Vec::new(),
            webhook_allowlist: Vec::new(),
            public_url: None,
            trust_forwarded: false,
            trusted_proxies: Vec::new(),
            rate_limit_per_minute: 6000,
            login_max_failures: 5,
            login_ip_max_failures: 50,
            login_window_secs: 15 * 60,
            body_limit_bytes: 256 * 1024,
            upload_limit_bytes: 100 * 1024 * 1024,
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            argon2_max_memory_mib: 512,
            session_max_age_secs: 90 * 24 * 3600,
            retention: RetentionConfig::default(),
            presence: PresenceConfig::default(),
            log_format: "json".into(),
            log_level: "info".into(),
            ws_buffer: 256,
            ws_heartbeat_secs: 15,
            ws_ticket_ttl_secs: 30,
            ws_max_topics: 64,
            ws_max_connections_per_user: 16,
            web_dir: PathBuf::from("web/dist"),
        }
    }
}

impl Config {
    /// Loads from the process environment and the working directory.
    pub fn load() -> Result<Config, ConfigError> {
        let env: std::collections::HashMap<String, String> = std::env::vars()
            .filter(|(k, _)| k.starts_with("CC_"))
            .collect();
        Config::load_from(&env, std::path::Path::new("."))
    }

    /// Loads from the given variables, looking for `cc-lite.toml` in `dir`.
    pub fn load_from(
        env: &std::collections::HashMap<String, String>,
        dir: &std::path::Path,
    ) -> Result<Config, ConfigError> {
        let config = load::load(env, dir)?;
        config.validate()?;
        Ok(config)
    }

    /// The database URL in force: the configured one, or the embedded SQLite file.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("cc-lite.db").display()
            )
        } else {
            self.database_url.clone()
        }
    }
}

/// `url` with its password replaced by `***`, for errors and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            let hidden = if userinfo.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Everything but the secrets inside connection URLs.
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("redis_url", &self.redis_url.as_deref().map(redact_url))
            .field("redis_prefix", &self.redis_prefix)
            .field("db_min_connections", &self.db_min_connections)
            .field("db_max_connections", &self.db_max_connections)
            .field("redis_pool_size", &self.redis_pool_size)
            .field("jwt_signing_key", &self.jwt_signing_key)
            .field("jwt_verify_keys", &self.jwt_verify_keys)
            .field("access_token_ttl_secs", &self.access_token_ttl_secs)
            .field("refresh_token_ttl_secs", &self.refresh_token_ttl_secs)
            .field("refresh_reuse_grace", &self.refresh_reuse_grace)
            .field("cors_origins", &self.cors_origins)
            .field("admin_allowlist", &self.admin_allowlist)
            .field("webhook_allowlist", &self.webhook_allowlist)
            .field("public_url", &self.public_url)
            .field("trust_forwarded", &self.trust_forwarded)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("login_max_failures", &self.login_max_failures)
            .field("login_ip_max_failures", &self.login_ip_max_failures)
            .field("login_window_secs", &self.login_window_secs)
            .field("body_limit_bytes", &self.body_limit_bytes)
            .field("upload_limit_bytes", &self.upload_limit_bytes)
            .field("argon2_memory_kib", &self.argon2_memory_kib)
            .field("argon2_iterations", &self.argon2_iterations)
            .field("argon2_max_memory_mib", &self.argon2_max_memory_mib)
            .field("session_max_age_secs", &self.session_max_age_secs)
            .field("retention", &self.retention)
            .field("log_format", &self.log_format)
            .field("log_level", &self.log_level)
            .field("ws_buffer", &self.ws_buffer)
            .field("ws_heartbeat_secs", &self.ws_heartbeat_secs)
            .field("ws_ticket_ttl_secs", &self.ws_ticket_ttl_secs)
            .field("ws_max_topics", &self.ws_max_topics)
            .field(
                "ws_max_connections_per_user",
                &self.ws_max_connections_per_user,
            )
            .field("web_dir", &self.web_dir)
            .finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
