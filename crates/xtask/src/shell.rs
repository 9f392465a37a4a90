//! Running commands from xtask.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};

/// The workspace root: the nearest folder at or above the working directory whose
/// Cargo.toml declares the workspace. (Not the compile-time manifest path: with a shared
/// target directory, the xtask binary may have been linked from another checkout.)
pub fn root() -> PathBuf {
    let start = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    start
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|t| t.contains("[workspace]"))
        })
        .map(Path::to_path_buf)
        .unwrap_or(start)
}

/// Where cargo puts build outputs.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// Runs a command, failing on a non-zero exit.
pub fn run_cmd(cmd: &mut Command) -> anyhow::Result<()> {
    let status = cmd.status().with_context(|| format!("starting {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

/// `cargo <args>` in the workspace root with extra environment.
pub fn cargo(args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<()> {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args).current_dir(root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_cmd(&mut cmd)
}

/// `cargo <args>`'s standard output.
pub fn cargo_output(args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(root())
        .output()
        .context("running cargo")?;
    if !out.status.success() {
        bail!(
            "cargo {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// True when `cargo nextest` is installed.
pub fn has_nextest() -> bool {
    Command::new("cargo")
        .args(["nextest", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// True when a TCP connection to `addr` succeeds within a second.
pub fn reachable(addr: &str) -> bool {
    addr.to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .is_some_and(|a| TcpStream::connect_timeout(&a, Duration::from_secs(1)).is_ok())
}

/// `psql` against the local server's `postgres` database, as `postgres`, with `args` after.
pub fn psql(args: &[&str]) -> std::io::Result<std::process::Output> {
    Command::new("psql")
        .args(["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres"])
        .args(args)
        .output()
}

/// Drops databases left by earlier test runs (`cct_*`), if psql is available.
pub fn drop_test_databases() {
    let list = psql(&[
        "-Atc",
        "SELECT datname FROM pg_database WHERE datname LIKE 'cct\\_%'",
    ]);
    let Ok(out) = list else { return };
    for name in String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
    {
        let _ = psql(&[
            "-qc",
            &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
        ]);
    }
}
