//! `cargo xtask fuzz`: Schemathesis, a property-based fuzzer that generates requests from
//! the served OpenAPI document, over every operation as each role, on SQLite and on
//! PostgreSQL + Redis. Its checks: no 5xx, answers conform to the documented statuses,
//! content types and schemas, documented-valid data is accepted and invalid data refused.
//! The pinned packages (`e2e/fuzz/requirements.txt`) go into a virtual environment of the
//! project's own under `~/.cache/cc-lite`; a failure prints the `curl` that reproduces it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::server::{self, Backend};
use crate::shell::{root, run_cmd};

const SCHEMATHESIS: &str = "4.32.5";
const DEMO_PASSWORD: &str = "cc-lite-demo";
const ROLES: [&str; 4] = ["admin", "supervisor", "agent", "analyst"];

fn fuzz_dir() -> PathBuf {
    root().join("e2e").join("fuzz")
}

/// The project's Schemathesis, installed on first use (and again when the pins change).
fn ensure_schemathesis() -> anyhow::Result<PathBuf> {
    let home = std::env::var_os("HOME").map_or_else(std::env::temp_dir, PathBuf::from);
    let venv = home
        .join(".cache")
        .join("cc-lite")
        .join(format!("schemathesis-{SCHEMATHESIS}"));
    let bin = venv.join("bin").join("schemathesis");
    let pins = fuzz_dir().join("requirements.txt");
    let stamp = venv.join("requirements.txt");
    let wanted = std::fs::read_to_string(&pins).context("reading e2e/fuzz/requirements.txt")?;
    if bin.exists() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return Ok(bin);
    }
    println!(
        "xtask: installing Schemathesis {SCHEMATHESIS} (the API fuzzer) from PyPI into {}",
        venv.display()
    );
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| Command::new(p).arg("--version").output().is_ok())
        .context("Python 3 is needed for the API fuzzer (apt-get install python3 python3-venv)")?;
    run_cmd(
        Command::new(python)
            .args(["-m", "venv", "--clear"])
            .arg(&venv),
    )?;
    run_cmd(
        Command::new(venv.join("bin").join("pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&pins),
    )?;
    std::fs::write(&stamp, wanted)?;
    Ok(bin)
}

/// Fuzzes the API of `bin` on each backend that is reachable.
pub fn fuzz(bin: &Path, with_postgres: bool) -> anyhow::Result<()> {
    let schemathesis = ensure_schemathesis()?;
    let started = Instant::now();
    let mut backends = vec![Backend::Sqlite];
    if with_postgres {
        backends.push(Backend::Postgres {
            database: "cc_fuzz",
            prefix: "ccfuzz",
        });
    }
    let mut failed = Vec::new();
    for (i, backend) in backends.iter().enumerate() {
        let port = 18_600 + u16::try_from(i).unwrap_or(0);
        let server = server::start(
            bin,
            backend,
            port,
            &[
                ("CC_RATE_LIMIT_PER_MINUTE", "1000000"),
                ("CC_LOGIN_IP_MAX_FAILURES", "1000000"),
                ("CC_LOGIN_MAX_FAILURES", "1000000"),
                // Sign-in attempts are a large share of the cases; the hash cost is not
                // what is under test here (the debug build is slow at it).
                ("CC_ARGON2_MEMORY_KIB", "8192"),
                ("CC_ARGON2_ITERATIONS", "1"),
            ],
        )?;
        let only = std::env::var("CC_FUZZ_ROLES").unwrap_or_default();
        for role in ROLES
            .into_iter()
            .filter(|r| only.is_empty() || only.contains(r))
        {
            println!("\n--- Schemathesis as {role} on {}", backend.name());
            if !run(&schemathesis, &server.base, role)? {
                failed.push(format!("{role} on {}", backend.name()));
            }
        }
    }
    println!("API fuzzing took {:.0} s", started.elapsed().as_secs_f64());
    if !failed.is_empty() {
        bail!("Schemathesis found failures as {}", failed.join(", "));
    }
    Ok(())
}

/// Python 3.11's `ast` is not safe across threads: with two workers, Hypothesis describing
/// a lambda can crash Schemathesis itself ("Runtime Error" on an operation, nothing sent
/// to the server). Such a run is tool trouble, not a finding, and is run again once.
const TOOL_CRASH: &str = "AST constructor recursion depth mismatch";

/// One Schemathesis run as `role`; true when it found nothing.
fn run(schemathesis: &Path, base: &str, role: &str) -> anyhow::Result<bool> {
    let (ok, crashed) = run_once(schemathesis, base, role)?;
    if ok || !crashed {
        return Ok(ok);
    }
    println!("\n--- Schemathesis crashed on its own ({TOOL_CRASH}); running {role} again");
    Ok(run_once(schemathesis, base, role)?.0)
}

/// One run: (found nothing, the tool itself crashed).
fn run_once(schemathesis: &Path, base: &str, role: &str) -> anyhow::Result<(bool, bool)> {
    // The admin may call every operation; the other roles are refused most of them (one
    // 403 says it all), so they get fewer cases.
    let default = if role == "admin" { "20" } else { "8" };
    let examples = std::env::var("CC_FUZZ_EXAMPLES").unwrap_or_else(|_| default.into());
    let seed = std::env::var("CC_FUZZ_SEED").unwrap_or_else(|_| "20261202".into());
    let out = Command::new(schemathesis)
        .args(["--config-file", "schemathesis.toml", "run"])
        .arg(format!("{base}/openapi.json"))
        .args(["--max-examples", &examples, "--seed", &seed])
        .current_dir(fuzz_dir())
        .env("PYTHONPATH", fuzz_dir())
        .env("CC_FUZZ_BASE", base)
        .env("CC_FUZZ_EMAIL", format!("{role}@demo.cc-lite.test"))
        .env("CC_FUZZ_PASSWORD", DEMO_PASSWORD)
        .env("NO_COLOR", "1")
        .output()
        .context("starting schemathesis")?;
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    print!("{stdout}");
    eprint!("{stderr}");
    let crashed = stdout.contains(TOOL_CRASH) || stderr.contains(TOOL_CRASH);
    Ok((out.status.success(), crashed))
}
