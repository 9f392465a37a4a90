//! `cargo xtask bench`: measures the API under load with `wrk` (Debian package) on
//! SQLite and on PostgreSQL + Redis: `GET /healthz` (the framework's ceiling here),
//! `GET /api/auth/me` and `GET /api/users?limit=50` with a valid token, 64 connections,
//! the login rate (argon2id is deliberately slow), and agents changing state (64 agents on
//! 64 connections, `bench_presence.rs`). Prints requests/s, p99 and each endpoint's ratio
//! to `/healthz`.

use std::process::Command;

use anyhow::{Context, bail};

use crate::server::{self, Backend, curl};
use crate::shell::{cargo, reachable, target_dir};

const SECONDS: &str = "10s";

/// One measured endpoint.
struct Row {
    backend: &'static str,
    name: &'static str,
    rps: f64,
    p99_ms: f64,
}

/// Runs the benchmark suite.
pub fn bench() -> anyhow::Result<()> {
    if Command::new("wrk").arg("--version").output().is_err() {
        bail!("wrk is not installed: apt-get install -y wrk");
    }
    cargo(&["build", "--release", "-p", "cc-api"], &[])?;
    let mut rows = Vec::new();
    rows.extend(run_backend(Backend::Sqlite)?);
    if reachable("127.0.0.1:5432") && reachable("127.0.0.1:6379") {
        rows.extend(run_backend(Backend::Postgres {
            database: "cc_bench",
            prefix: "ccbench",
        })?);
    } else {
        eprintln!("PostgreSQL or Redis unreachable: PostgreSQL rows skipped");
    }
    print_table(&rows);
    Ok(())
}

fn run_backend(backend: Backend) -> anyhow::Result<Vec<Row>> {
    let port = 18_500 + u16::from(backend.name() == "postgres");
    let bin = target_dir().join("release").join("cc-api");
    let server = server::start(
        &bin,
        &backend,
        port,
        &[
            ("CC_RATE_LIMIT_PER_MINUTE", "1000000"),
            ("CC_LOGIN_IP_MAX_FAILURES", "1000000"),
        ],
    )?;
    let backend = backend.name();
    let token = login(&server.base)?;
    for i in 0..60 {
        create_user(&server.base, &token, i)?;
    }
    let auth = format!("Authorization: Bearer {token}");
    let mut rows = Vec::new();
    for (name, path, header) in [
        ("GET /healthz", "/healthz", None),
        ("GET /api/auth/me", "/api/auth/me", Some(auth.as_str())),
        (
            "GET /api/users?limit=50",
            "/api/users?limit=50",
            Some(auth.as_str()),
        ),
    ] {
        let (rps, p99_ms) = wrk(&format!("{}{path}", server.base), header, 2, 64, None)?;
        rows.push(Row {
            backend,
            name,
            rps,
            p99_ms,
        });
    }
    let script = std::env::temp_dir().join(format!("cc-bench-login-{}.lua", std::process::id()));
    std::fs::write(
        &script,
        "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = '{\"email\":\"agent@demo.cc-lite.test\",\"password\":\"cc-lite-demo\"}'\n",
    )?;
    let (rps, p99_ms) = wrk(
        &format!("{}/api/auth/login", server.base),
        None,
        2,
        4,
        Some(&script.display().to_string()),
    )?;
    rows.push(Row {
        backend,
        name: "POST /api/auth/login",
        rps,
        p99_ms,
    });
    let agents = crate::bench_presence::AGENTS;
    std::fs::write(
        &script,
        crate::bench_presence::script(&server.base, &token)?,
    )?;
    let (rps, p99_ms) = wrk(
        &server.base,
        None,
        agents,
        agents,
        Some(&script.display().to_string()),
    )?;
    rows.push(Row {
        backend,
        name: "POST /api/agents/me/state",
        rps,
        p99_ms,
    });
    drop(server);
    let _ = std::fs::remove_file(&script);
    Ok(rows)
}

fn wrk(
    url: &str,
    header: Option<&str>,
    threads: u32,
    connections: u32,
    script: Option<&str>,
) -> anyhow::Result<(f64, f64)> {
    let mut cmd = Command::new("wrk");
    cmd.args([
        &format!("-t{threads}"),
        &format!("-c{connections}"),
        &format!("-d{SECONDS}"),
        "--latency",
    ]);
    if let Some(h) = header {
        cmd.args(["-H", h]);
    }
    if let Some(s) = script {
        cmd.args(["-s", s]);
    }
    let out = cmd.arg(url).output().context("running wrk")?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    if text.contains("Non-2xx") {
        let told = String::from_utf8_lossy(&out.stderr);
        bail!("{url} answered errors under load:\n{text}\n{told}");
    }
    let rps = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .with_context(|| format!("no Requests/sec in wrk output:\n{text}"))?;
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .map(|v| to_ms(v.trim()))
        .with_context(|| format!("no 99% latency in wrk output:\n{text}"))?;
    Ok((rps, p99))
}

fn to_ms(v: &str) -> f64 {
    let num = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
    if let Some(x) = v.strip_suffix("us") {
        num(x) / 1000.0
    } else if let Some(x) = v.strip_suffix("ms") {
        num(x)
    } else if let Some(x) = v.strip_suffix('s') {
        num(x) * 1000.0
    } else {
        f64::NAN
    }
}

fn login(base: &str) -> anyhow::Result<String> {
    let body = r#"{"email":"admin@demo.cc-lite.test","password":"cc-lite-demo"}"#;
    let out = curl(&[
        "-H",
        "Content-Type: application/json",
        "-d",
        body,
        &format!("{base}/api/auth/login"),
    ])?;
    let start = out.find("\"access_token\":\"").context("no access_token")? + 16;
    let end = out[start..].find('"').context("unterminated token")? + start;
    Ok(out[start..end].to_owned())
}

fn create_user(base: &str, token: &str, i: u32) -> anyhow::Result<()> {
    let body = format!(
        r#"{{"email":"bench{i}@demo.cc-lite.test","display_name":"Bench {i}","role":"agent","password":"bench-password-{i}"}}"#
    );
    // A rerun finds them already there (409), which is fine.
    let _ = Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-H",
            "Content-Type: application/json",
            "-H",
            &format!("Authorization: Bearer {token}"),
            "-d",
            &body,
            &format!("{base}/api/users"),
        ])
        .status()?;
    Ok(())
}

fn print_table(rows: &[Row]) {
    println!("\n| backend | endpoint | requests/s | p99 (ms) | ratio to /healthz |");
    println!("|---|---|---:|---:|---:|");
    for r in rows {
        let ceiling = rows
            .iter()
            .find(|c| c.backend == r.backend && c.name == "GET /healthz")
            .map_or(f64::NAN, |c| c.rps);
        println!(
            "| {} | {} | {:.0} | {:.2} | {:.2} |",
            r.backend,
            r.name,
            r.rps,
            r.p99_ms,
            r.rps / ceiling
        );
    }
}
