//! A `cc-api` process for xtask's load and fuzz runs: its own data folder and port, the
//! demo organization seeded, on SQLite or on a fresh PostgreSQL database with Redis.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::shell::root;

pub struct Server {
    child: Child,
    pub base: String,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Where a run's server keeps its data, and which database it uses.
pub enum Backend {
    Sqlite,
    /// A PostgreSQL database (dropped and created anew) and a Redis key prefix.
    Postgres {
        database: &'static str,
        prefix: &'static str,
    },
}

impl Backend {
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres { .. } => "postgres",
        }
    }
}

/// Seeds the demo organization and serves on `port` until dropped; `extra` overrides
/// configuration (rate limits, log level).
pub fn start(
    bin: &Path,
    backend: &Backend,
    port: u16,
    extra: &[(&str, &str)],
) -> anyhow::Result<Server> {
    let dir = std::env::temp_dir().join(format!(
        "cc-xtask-{}-{port}-{}",
        backend.name(),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut env: Vec<(String, String)> = vec![
        ("CC_DATA_DIR".into(), dir.display().to_string()),
        ("CC_BIND".into(), format!("127.0.0.1:{port}")),
        ("CC_LOG".into(), "warn".into()),
    ];
    if let Backend::Postgres { database, prefix } = backend {
        recreate_pg_database(database)?;
        env.push((
            "CC_DATABASE_URL".into(),
            format!("postgres://postgres@127.0.0.1:5432/{database}"),
        ));
        env.push(("CC_REDIS_URL".into(), "redis://127.0.0.1:6379".into()));
        env.push(("CC_REDIS_PREFIX".into(), (*prefix).into()));
    }
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let status = Command::new(bin)
        .args(["seed", "--demo"])
        .envs(env.clone())
        .stdout(Stdio::null())
        .status()
        .with_context(|| format!("running {}", bin.display()))?;
    if !status.success() {
        bail!("seeding failed on {}", backend.name());
    }
    let child = Command::new(bin)
        .arg("serve")
        .envs(env)
        .current_dir(root())
        .spawn()
        .context("starting cc-api")?;
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
        dir,
    };
    wait_ready(&server.base)?;
    Ok(server)
}

pub fn curl(args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new("curl")
        .args(["-s", "-f"])
        .args(args)
        .output()
        .context("running curl")?;
    if !out.status.success() {
        bail!("curl {args:?} failed");
    }
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

fn wait_ready(base: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if curl(&[&format!("{base}/readyz")]).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("cc-api at {base} did not become ready")
}

fn recreate_pg_database(name: &str) -> anyhow::Result<()> {
    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        if !crate::shell::psql(&["-qc", &sql])?.status.success() {
            bail!("psql: {sql} failed");
        }
    }
    Ok(())
}
