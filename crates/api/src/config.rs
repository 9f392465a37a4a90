//! Configuration: built-in defaults, then an optional `cc-lite.toml` (or the file named by
//! `CC_CONFIG`), then `CC_*` environment variables. Validated once at start-up; an error
//! names the setting and what is wrong with it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde::Deserialize;

/// Everything `cc-api` can be told.
#[derive(Clone, Deserialize)]
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
    pub access_token_ttl_secs: u64,
    /// Refresh-token lifetime in seconds (`CC_REFRESH_TOKEN_TTL`).
    pub refresh_token_ttl_secs: u64,
    /// Browser origins allowed by CORS (`CC_CORS_ORIGINS`, comma-separated).
    pub cors_origins: Vec<String>,
    /// Networks allowed to reach admin routes (`CC_ADMIN_ALLOWLIST`); empty allows all.
    pub admin_allowlist: Vec<IpNet>,
    /// Networks allowed to reach telephony webhooks (`CC_WEBHOOK_ALLOWLIST`); empty allows all.
    pub webhook_allowlist: Vec<IpNet>,
    /// The address carriers and browsers reach this deployment at (`CC_PUBLIC_URL`,
    /// e.g. `https://cc.example.com`); webhook signatures are checked against it.
    pub public_url: Option<String>,
    /// Take the client address from `X-Forwarded-For` (`CC_TRUST_FORWARDED`); only behind a proxy you run.
    pub trust_forwarded: bool,
    /// Networks of your own proxies (`CC_TRUSTED_PROXIES`): `X-Forwarded-For` hops from them
    /// are skipped; empty means the peer is the only proxy.
    pub trusted_proxies: Vec<IpNet>,
    /// Requests per minute per client on `/api` (`CC_RATE_LIMIT_PER_MINUTE`).
    pub rate_limit_per_minute: u32,
    /// Failed logins per account within the window before 429 (`CC_LOGIN_MAX_FAILURES`).
    pub login_max_failures: u32,
    /// Failed logins per IP within the window before 429 (`CC_LOGIN_IP_MAX_FAILURES`).
    pub login_ip_max_failures: u32,
    /// Throttling window in seconds (`CC_LOGIN_WINDOW`).
    pub login_window_secs: u64,
    /// Largest JSON body accepted, in bytes (`CC_BODY_LIMIT`).
    pub body_limit_bytes: usize,
    /// Largest uploaded file, in bytes (`CC_UPLOAD_LIMIT`); streamed to disk, never held.
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
    pub session_max_age_secs: u64,
    /// Days refresh tokens and sessions are kept after they ended (`CC_RETENTION_SESSION_DAYS`).
    pub retention_session_days: u32,
    /// Days audit rows are kept (`CC_RETENTION_AUDIT_DAYS`).
    pub retention_audit_days: u32,
    /// Seconds between retention runs (`CC_RETENTION_INTERVAL`).
    pub retention_interval_secs: u64,
    /// `json` or `pretty` (`CC_LOG_FORMAT`).
    pub log_format: String,
    /// tracing filter (`CC_LOG`), e.g. `info,cc_api=debug`.
    pub log_level: String,
    /// Events buffered per WebSocket before the client is told to resync (`CC_WS_BUFFER`).
    pub ws_buffer: usize,
    /// Seconds between WebSocket heartbeats (`CC_WS_HEARTBEAT`).
    pub ws_heartbeat_secs: u64,
    /// Lifetime of a WebSocket ticket in seconds (`CC_WS_TICKET_TTL`).
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
            retention_session_days: 30,
            retention_audit_days: 400,
            retention_interval_secs: 3600,
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

/// A setting that cannot be used, named as the operator wrote it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid configuration: {setting}: {problem}")]
pub struct ConfigError {
    /// The environment variable or file key.
    pub setting: String,
    /// What is wrong and what is expected.
    pub problem: String,
}

fn err(setting: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        setting: setting.into(),
        problem: problem.into(),
    }
}

impl Config {
    /// Loads from the process environment and the working directory.
    pub fn load() -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = std::env::vars()
            .filter(|(k, _)| k.starts_with("CC_"))
            .collect();
        Config::load_from(&env, Path::new("."))
    }

    /// Loads from the given variables, looking for `cc-lite.toml` in `dir`.
    pub fn load_from(env: &HashMap<String, String>, dir: &Path) -> Result<Config, ConfigError> {
        let file = env
            .get("CC_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|| dir.join("cc-lite.toml"));
        let mut config = if file.exists() {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| err(&file.display().to_string(), e.to_string()))?;
            toml::from_str::<Config>(&text)
                .map_err(|e| err(&file.display().to_string(), e.message().to_owned()))?
        } else if env.contains_key("CC_CONFIG") {
            return Err(err(
                "CC_CONFIG",
                format!("file `{}` does not exist", file.display()),
            ));
        } else {
            Config::default()
        };
        config.apply_env(env)?;
        config.validate()?;
        Ok(config)
    }

    fn apply_env(&mut self, env: &HashMap<String, String>) -> Result<(), ConfigError> {
        let get = |k: &str| lookup(env, k);
        if let Some(v) = get("CC_BIND") {
            self.bind = v.parse().map_err(|_| {
                err(
                    "CC_BIND",
                    format!(
                        "`{v}` is not a socket address (expected host:port, e.g. 127.0.0.1:8080)"
                    ),
                )
            })?;
        }
        if let Some(v) = get("CC_DATA_DIR") {
            self.data_dir = v.into();
        }
        if let Some(v) = get("CC_DATABASE_URL") {
            self.database_url = v.into();
        }
        if let Some(v) = get("CC_REDIS_URL") {
            self.redis_url = Some(v.into());
        }
        if let Some(v) = get("CC_REDIS_PREFIX") {
            self.redis_prefix = v.into();
        }
        if let Some(v) = get("CC_JWT_SIGNING_KEY") {
            self.jwt_signing_key = Some(v.into());
        }
        if let Some(v) = get("CC_JWT_VERIFY_KEYS") {
            self.jwt_verify_keys = list(v).map(PathBuf::from).collect();
        }
        if let Some(v) = get("CC_CORS_ORIGINS") {
            self.cors_origins = list(v).map(str::to_owned).collect();
        }
        if let Some(v) = get("CC_ADMIN_ALLOWLIST") {
            self.admin_allowlist = nets("CC_ADMIN_ALLOWLIST", v)?;
        }
        if let Some(v) = get("CC_TRUSTED_PROXIES") {
            self.trusted_proxies = nets("CC_TRUSTED_PROXIES", v)?;
        }
        if let Some(v) = get("CC_WEBHOOK_ALLOWLIST") {
            self.webhook_allowlist = nets("CC_WEBHOOK_ALLOWLIST", v)?;
        }
        if let Some(v) = get("CC_LOG_FORMAT") {
            self.log_format = v.into();
        }
        if let Some(v) = get("CC_LOG") {
            self.log_level = v.into();
        }
        if let Some(v) = get("CC_PUBLIC_URL") {
            self.public_url = Some(v.trim_end_matches('/').to_owned());
        }
        if let Some(v) = get("CC_WEB_DIR") {
            self.web_dir = v.into();
        }
        num(env, "CC_DB_MIN_CONNECTIONS", &mut self.db_min_connections)?;
        num(env, "CC_DB_MAX_CONNECTIONS", &mut self.db_max_connections)?;
        num(env, "CC_REDIS_POOL_SIZE", &mut self.redis_pool_size)?;
        num(env, "CC_ACCESS_TOKEN_TTL", &mut self.access_token_ttl_secs)?;
        num(
            env,
            "CC_REFRESH_TOKEN_TTL",
            &mut self.refresh_token_ttl_secs,
        )?;
        num(
            env,
            "CC_RATE_LIMIT_PER_MINUTE",
            &mut self.rate_limit_per_minute,
        )?;
        num(env, "CC_LOGIN_MAX_FAILURES", &mut self.login_max_failures)?;
        num(
            env,
            "CC_LOGIN_IP_MAX_FAILURES",
            &mut self.login_ip_max_failures,
        )?;
        num(env, "CC_LOGIN_WINDOW", &mut self.login_window_secs)?;
        num(env, "CC_BODY_LIMIT", &mut self.body_limit_bytes)?;
        num(env, "CC_UPLOAD_LIMIT", &mut self.upload_limit_bytes)?;
        num(env, "CC_ARGON2_MEMORY_KIB", &mut self.argon2_memory_kib)?;
        num(env, "CC_ARGON2_ITERATIONS", &mut self.argon2_iterations)?;
        num(env, "CC_WS_BUFFER", &mut self.ws_buffer)?;
        num(env, "CC_WS_HEARTBEAT", &mut self.ws_heartbeat_secs)?;
        num(env, "CC_WS_TICKET_TTL", &mut self.ws_ticket_ttl_secs)?;
        num(env, "CC_WS_MAX_TOPICS", &mut self.ws_max_topics)?;
        num(
            env,
            "CC_WS_MAX_CONNECTIONS_PER_USER",
            &mut self.ws_max_connections_per_user,
        )?;
        num(
            env,
            "CC_ARGON2_MAX_MEMORY_MIB",
            &mut self.argon2_max_memory_mib,
        )?;
        num(env, "CC_SESSION_MAX_AGE", &mut self.session_max_age_secs)?;
        num(
            env,
            "CC_RETENTION_SESSION_DAYS",
            &mut self.retention_session_days,
        )?;
        num(
            env,
            "CC_RETENTION_AUDIT_DAYS",
            &mut self.retention_audit_days,
        )?;
        num(
            env,
            "CC_RETENTION_INTERVAL",
            &mut self.retention_interval_secs,
        )?;
        if let Some(v) = get("CC_TRUST_FORWARDED") {
            self.trust_forwarded = match v {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" => false,
                _ => {
                    return Err(err(
                        "CC_TRUST_FORWARDED",
                        format!("`{v}` is not a boolean (use true or false)"),
                    ));
                }
            };
        }
        Ok(())
    }

    /// Checks the combination of settings.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let url = self.effective_database_url();
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            return Err(err(
                "CC_DATABASE_URL",
                format!(
                    "`{}` is neither sqlite:... nor postgres://...",
                    redact_url(&url)
                ),
            ));
        }
        if let Some(r) = &self.redis_url
            && !(r.starts_with("redis://") || r.starts_with("rediss://"))
        {
            return Err(err(
                "CC_REDIS_URL",
                format!("`{}` must start with redis:// or rediss://", redact_url(r)),
            ));
        }
        if self.db_max_connections == 0 || self.db_min_connections > self.db_max_connections {
            return Err(err(
                "CC_DB_MAX_CONNECTIONS",
                format!(
                    "must be at least 1 and at least CC_DB_MIN_CONNECTIONS ({})",
                    self.db_min_connections
                ),
            ));
        }
        if !(60..=86_400).contains(&self.access_token_ttl_secs) {
            return Err(err(
                "CC_ACCESS_TOKEN_TTL",
                "must be between 60 and 86400 seconds",
            ));
        }
        self.validate_ranges()?;
        if !matches!(self.log_format.as_str(), "json" | "pretty") {
            return Err(err(
                "CC_LOG_FORMAT",
                format!("`{}` is not json or pretty", self.log_format),
            ));
        }
        if self.argon2_memory_kib < 8 * 1024 {
            return Err(err("CC_ARGON2_MEMORY_KIB", "must be at least 8192 KiB"));
        }
        if self.body_limit_bytes < 1024 {
            return Err(err("CC_BODY_LIMIT", "must be at least 1024 bytes"));
        }
        if let Some(url) = &self.public_url
            && !((url.starts_with("https://") || url.starts_with("http://"))
                && !url.contains(['?', '#', ' ']))
        {
            return Err(err(
                "CC_PUBLIC_URL",
                format!("`{url}` is not an http(s) base URL (e.g. https://cc.example.com)"),
            ));
        }
        for origin in &self.cors_origins {
            if !(origin.starts_with("http://") || origin.starts_with("https://")) {
                return Err(err(
                    "CC_CORS_ORIGINS",
                    format!("`{origin}` is not an http(s) origin"),
                ));
            }
        }
        Ok(())
    }

    /// Every number within what the server can use: a zero heartbeat or a lifetime past
    /// what dates can hold would otherwise panic later, far from the setting's name.
    fn validate_ranges(&self) -> Result<(), ConfigError> {
        const YEAR: u64 = 365 * 24 * 3600;
        let ranges: [(&str, u64, u64, u64); 18] = [
            ("CC_UPLOAD_LIMIT", self.upload_limit_bytes, 1024, 1 << 40),
            (
                "CC_RETENTION_SESSION_DAYS",
                self.retention_session_days.into(),
                1,
                36_500,
            ),
            (
                "CC_RETENTION_AUDIT_DAYS",
                self.retention_audit_days.into(),
                1,
                36_500,
            ),
            (
                "CC_RETENTION_INTERVAL",
                self.retention_interval_secs,
                60,
                7 * 24 * 3600,
            ),
            (
                "CC_DB_MIN_CONNECTIONS",
                self.db_min_connections.into(),
                1,
                1000,
            ),
            ("CC_REDIS_POOL_SIZE", self.redis_pool_size as u64, 1, 1000),
            (
                "CC_REFRESH_TOKEN_TTL",
                self.refresh_token_ttl_secs,
                60,
                10 * YEAR,
            ),
            (
                "CC_SESSION_MAX_AGE",
                self.session_max_age_secs,
                60,
                10 * YEAR,
            ),
            (
                "CC_LOGIN_MAX_FAILURES",
                self.login_max_failures.into(),
                1,
                1_000_000,
            ),
            (
                "CC_LOGIN_IP_MAX_FAILURES",
                self.login_ip_max_failures.into(),
                1,
                1_000_000,
            ),
            ("CC_LOGIN_WINDOW", self.login_window_secs, 1, YEAR),
            (
                "CC_ARGON2_ITERATIONS",
                self.argon2_iterations.into(),
                1,
                100,
            ),
            (
                "CC_ARGON2_MAX_MEMORY_MIB",
                self.argon2_max_memory_mib.into(),
                8,
                1 << 20,
            ),
            ("CC_WS_HEARTBEAT", self.ws_heartbeat_secs, 1, 3600),
            ("CC_WS_TICKET_TTL", self.ws_ticket_ttl_secs, 1, 3600),
            ("CC_WS_MAX_TOPICS", self.ws_max_topics as u64, 1, 10_000),
            (
                "CC_WS_MAX_CONNECTIONS_PER_USER",
                self.ws_max_connections_per_user as u64,
                1,
                10_000,
            ),
            ("CC_WS_BUFFER", self.ws_buffer as u64, 4, 1_000_000),
        ];
        for (setting, value, min, max) in ranges {
            if !(min..=max).contains(&value) {
                return Err(err(setting, format!("must be between {min} and {max}")));
            }
        }
        if u64::from(self.argon2_memory_kib) > u64::from(self.argon2_max_memory_mib) * 1024 {
            return Err(err(
                "CC_ARGON2_MAX_MEMORY_MIB",
                "must hold at least one hash of CC_ARGON2_MEMORY_KIB",
            ));
        }
        Ok(())
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
            .field("cors_origins", &self.cors_origins)
            .field("admin_allowlist", &self.admin_allowlist)
            .field("webhook_allowlist", &self.webhook_allowlist)
            .field("trust_forwarded", &self.trust_forwarded)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("login_max_failures", &self.login_max_failures)
            .field("login_ip_max_failures", &self.login_ip_max_failures)
            .field("login_window_secs", &self.login_window_secs)
            .field("body_limit_bytes", &self.body_limit_bytes)
            .field("argon2_memory_kib", &self.argon2_memory_kib)
            .field("argon2_iterations", &self.argon2_iterations)
            .field("argon2_max_memory_mib", &self.argon2_max_memory_mib)
            .field("session_max_age_secs", &self.session_max_age_secs)
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

fn list(v: &str) -> impl Iterator<Item = &str> {
    v.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn nets(setting: &str, v: &str) -> Result<Vec<IpNet>, ConfigError> {
    list(v)
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    err(
                        setting,
                        format!("`{s}` is not an IP address or CIDR network"),
                    )
                })
        })
        .collect()
}

fn lookup<'a>(env: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
    env.get(key).map(|v| v.trim()).filter(|v| !v.is_empty())
}

fn num<T: std::str::FromStr>(
    env: &HashMap<String, String>,
    key: &str,
    slot: &mut T,
) -> Result<(), ConfigError> {
    if let Some(v) = lookup(env, key) {
        *slot = v
            .parse()
            .map_err(|_| err(key, format!("`{v}` is not a non-negative whole number")))?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn nowhere() -> tempfile::TempDir {
        tempfile::tempdir().unwrap()
    }

    #[test]
    fn defaults_serve_loopback_with_embedded_sqlite() {
        let dir = nowhere();
        let c = Config::load_from(&env(&[]), dir.path()).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert!(c.effective_database_url().starts_with("sqlite://./data/"));
        assert_eq!((c.db_min_connections, c.db_max_connections), (10, 30));
        assert!(c.redis_url.is_none());
    }

    #[test]
    fn environment_overrides_the_file_which_overrides_defaults() {
        let dir = nowhere();
        std::fs::write(
            dir.path().join("cc-lite.toml"),
            "bind = \"127.0.0.1:9000\"\nrate_limit_per_minute = 7\n",
        )
        .unwrap();
        let c = Config::load_from(&env(&[("CC_RATE_LIMIT_PER_MINUTE", "9")]), dir.path()).unwrap();
        assert_eq!(c.bind.port(), 9000);
        assert_eq!(c.rate_limit_per_minute, 9);
    }

    #[test]
    fn errors_name_the_setting_and_the_problem() {
        let dir = nowhere();
        let cases = [
            ("CC_BIND", "not-an-address"),
            ("CC_DATABASE_URL", "mysql://x"),
            ("CC_REDIS_URL", "http://localhost"),
            ("CC_ADMIN_ALLOWLIST", "10.0.0.0/8, banana"),
            ("CC_DB_MAX_CONNECTIONS", "-3"),
            ("CC_LOG_FORMAT", "xml"),
            ("CC_TRUST_FORWARDED", "maybe"),
            ("CC_PUBLIC_URL", "cc.example.com"),
            ("CC_PUBLIC_URL", "https://cc.example.com/?x=1"),
        ];
        for (key, value) in cases {
            let e = Config::load_from(&env(&[(key, value)]), dir.path()).unwrap_err();
            assert_eq!(e.setting, key, "{e}");
            assert!(!e.problem.is_empty());
        }
    }

    #[test]
    fn numbers_that_would_panic_later_are_refused_by_name() {
        let dir = nowhere();
        for (key, value) in [
            ("CC_WS_HEARTBEAT", "0"),
            ("CC_REFRESH_TOKEN_TTL", "18446744073709551615"),
            ("CC_SESSION_MAX_AGE", "0"),
            ("CC_WS_MAX_TOPICS", "0"),
            ("CC_LOGIN_WINDOW", "0"),
            ("CC_ARGON2_ITERATIONS", "0"),
            ("CC_REDIS_POOL_SIZE", "0"),
        ] {
            let e = Config::load_from(&env(&[(key, value)]), dir.path()).unwrap_err();
            assert_eq!(e.setting, key, "{e}");
        }
    }

    #[test]
    fn passwords_in_urls_never_reach_errors_or_debug_output() {
        let dir = nowhere();
        let e = Config::load_from(
            &env(&[("CC_DATABASE_URL", "mysql://app:hunter2@db/x")]),
            dir.path(),
        )
        .unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
        assert!(e.to_string().contains("app:***@db"), "{e}");
        let c = Config::load_from(
            &env(&[
                ("CC_DATABASE_URL", "postgres://app:hunter2@db/x"),
                ("CC_REDIS_URL", "redis://:s3cret@cache:6379/0"),
            ]),
            dir.path(),
        )
        .unwrap();
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("s3cret"),
            "{shown}"
        );
        assert!(shown.contains("postgres://app:***@db/x"), "{shown}");
        assert_eq!(redact_url("postgres://app@db/x"), "postgres://app@db/x");
        assert_eq!(
            redact_url("sqlite://./data/x.db?mode=rwc"),
            "sqlite://./data/x.db?mode=rwc"
        );
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        let dir = nowhere();
        std::fs::write(dir.path().join("cc-lite.toml"), "bindd = \"x\"\n").unwrap();
        let e = Config::load_from(&env(&[]), dir.path()).unwrap_err();
        assert!(e.problem.contains("bindd"), "{e}");
    }
}
