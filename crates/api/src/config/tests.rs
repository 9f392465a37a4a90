use super::*;

fn env(pairs: &[(&str, &str)]) -> std::collections::HashMap<String, String> {
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
fn sections_nest_with_double_underscores_in_the_environment() {
    let dir = nowhere();
    std::fs::write(
        dir.path().join("cc-lite.toml"),
        "[retention]\naudit_days = 100\nsession_days = 7\n",
    )
    .unwrap();
    let c = Config::load_from(
        &env(&[
            ("CC_RETENTION__AUDIT_DAYS", "200"),
            ("CC_ADMIN_ALLOWLIST", "10.0.0.0/8, 127.0.0.1"),
            ("CC_TRUST_FORWARDED", "yes"),
            ("CC_PUBLIC_URL", "https://cc.example.com/"),
            ("CC_SOMETHING_ELSE", "not ours"),
        ]),
        dir.path(),
    )
    .unwrap();
    assert_eq!(c.retention.audit_days, 200, "the environment wins");
    assert_eq!(c.retention.session_days, 7, "the file's other keys stay");
    assert_eq!(c.retention.interval, 3600, "defaults fill the rest");
    assert_eq!(c.admin_allowlist.len(), 2);
    assert!(c.trust_forwarded);
    assert_eq!(c.public_url.as_deref(), Some("https://cc.example.com"));
    let e =
        Config::load_from(&env(&[("CC_RETENTION__AUDIT_DAYS", "many")]), dir.path()).unwrap_err();
    assert_eq!(e.setting, "CC_RETENTION__AUDIT_DAYS");
    let e = Config::load_from(&env(&[("CC_RETENTION__AUDIT_DAYS", "0")]), dir.path()).unwrap_err();
    assert_eq!(e.setting, "CC_RETENTION__AUDIT_DAYS");
    std::fs::write(dir.path().join("cc-lite.toml"), "[retention]\nkeep = 1\n").unwrap();
    let e = Config::load_from(&env(&[]), dir.path()).unwrap_err();
    assert!(e.setting.starts_with("retention.keep"), "{e}");
}

#[test]
fn unknown_keys_in_the_file_are_refused() {
    let dir = nowhere();
    std::fs::write(dir.path().join("cc-lite.toml"), "bindd = \"x\"\n").unwrap();
    let e = Config::load_from(&env(&[]), dir.path()).unwrap_err();
    assert!(e.problem.contains("bindd"), "{e}");
}
