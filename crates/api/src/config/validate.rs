//! The checks that need more than a type: ranges (a zero heartbeat or a lifetime past
//! what dates can hold would otherwise panic later, far from the setting's name) and the
//! combinations of settings.

use super::load::err;
use super::{Config, ConfigError, redact_url};

impl Config {
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
        let ranges: [(&str, u64, u64, u64); 21] = [
            (
                "CC_PRESENCE__GRACE_SECS",
                self.presence.grace_secs,
                5,
                24 * 3600,
            ),
            ("CC_PRESENCE__TICK_MS", self.presence.tick_ms, 10, 60_000),
            ("CC_REFRESH_REUSE_GRACE", self.refresh_reuse_grace, 0, 60),
            ("CC_UPLOAD_LIMIT", self.upload_limit_bytes, 1024, 1 << 40),
            (
                "CC_RETENTION__SESSION_DAYS",
                self.retention.session_days.into(),
                1,
                36_500,
            ),
            (
                "CC_RETENTION__AUDIT_DAYS",
                self.retention.audit_days.into(),
                1,
                36_500,
            ),
            (
                "CC_RETENTION__INTERVAL",
                self.retention.interval,
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
}
