//! What `cargo xtask test` needs beyond Rust, installed when missing so that a newcomer's
//! first run works without `.ci/run`: cargo-nextest, and from Debian's packages the
//! PostgreSQL and Redis clients the e2e harness uses, Chromium for the browser tests,
//! Node.js ≥ 20 with npm for the TypeScript suite, promtool for the alert rules and
//! Caddy for the reverse-proxy test. Each install says what it is for.

use std::process::Command;

use anyhow::bail;

use crate::shell::{has_nextest, run_cmd};

fn found(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The major version of the `node` on PATH, if any.
fn node_major() -> Option<u32> {
    let out = Command::new("node").arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .trim_start_matches('v')
        .split('.')
        .next()?
        .parse()
        .ok()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The Debian packages missing, each with why the test command needs it.
fn missing_packages() -> Vec<(&'static str, &'static str)> {
    let mut missing = Vec::new();
    if !found("psql") {
        missing.push((
            "postgresql-client",
            "psql: the e2e harness creates its database",
        ));
    }
    if !found("redis-cli") {
        missing.push(("redis-tools", "redis-cli: the e2e harness removes its keys"));
    }
    if !found("promtool") {
        missing.push((
            "prometheus",
            "promtool: checks and unit-tests the alert rules in deploy/",
        ));
    }
    if !found("caddy") {
        missing.push((
            "caddy",
            "the reverse proxy of deploy/Caddyfile, tested in front of two instances",
        ));
    }
    if !found("chromium") {
        missing.push(("chromium", "the browser tests drive Debian's chromium"));
    }
    if !found("npm") || node_major().is_none() {
        missing.push((
            "nodejs",
            "the e2e suite is TypeScript (Node.js 20 or newer)",
        ));
        missing.push(("npm", "installs the e2e suite's packages"));
    }
    missing
}

/// Installs what the test command lacks, or says exactly what to install.
pub fn ensure() -> anyhow::Result<()> {
    run_cmd(Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]))?;
    // The browser crates are built for wasm32 (and linted) before the web app is.
    run_cmd(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    if !has_nextest() {
        println!("xtask: installing cargo-nextest (runs the Rust test suites)");
        run_cmd(Command::new("cargo").args(["install", "cargo-nextest", "--locked"]))?;
    }
    let missing = missing_packages();
    if !missing.is_empty() {
        for (package, why) in &missing {
            println!("xtask: installing {package} ({why})");
        }
        let names: Vec<&str> = missing.iter().map(|(p, _)| *p).collect();
        if !(found("apt-get") && is_root()) {
            bail!(
                "missing: {}; install them (e.g. `sudo apt-get install {}`) and run again",
                names.join(", "),
                names.join(" ")
            );
        }
        run_cmd(Command::new("apt-get").args(["update", "-qq"]))?;
        run_cmd(
            Command::new("apt-get")
                .args(["install", "-y", "-qq"])
                .args(&names)
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )?;
    }
    match node_major() {
        Some(major) if major >= 20 => Ok(()),
        found => bail!(
            "the e2e suite needs Node.js 20.19 or newer (found: {}); install a newer Node.js and run again",
            found.map_or("none".to_owned(), |m| format!("v{m}"))
        ),
    }
}
