//! Developer tasks, run as `cargo xtask <task>`:
//! - `run`: build the web app, migrate and seed the embedded SQLite database, then serve on 127.0.0.1:8080.
//! - `test`: fmt, clippy, wasm32 build of the browser crates, OpenAPI drift, the web app's
//!   lint and release build, every test on SQLite and on PostgreSQL + Redis (with `CI=true`
//!   a missing service fails), then the end-to-end API and browser suite in `e2e/`.
//! - `openapi`: regenerate `openapi/openapi.json`.
//! - `fuzz`: Schemathesis over every operation as each role, on SQLite and (when reachable)
//!   PostgreSQL + Redis (see `fuzz.rs`); also part of `test`.
//! - `bench [api]`: load-test the API with `wrk` on SQLite and PostgreSQL (see `bench.rs`).
//! - `bench relay [CALLS] [SECONDS]`: real-time calls through the media relay (see
//!   `bench_relay.rs`).

mod bench;
mod bench_presence;
mod bench_relay;
mod fuzz;
mod server;
mod shell;
mod tools;
mod wasm_opt;
mod web;

use std::path::PathBuf;

use anyhow::{Context, bail};
use shell::{cargo, cargo_output, reachable, root, run_cmd};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("openapi") => write_openapi(),
        Some("fuzz") => fuzz_api(),
        Some("bench") => match args.get(1).map(String::as_str) {
            Some("relay") => bench_relay::bench(&args[2..]),
            None | Some("api") => bench::bench(),
            Some(other) => Err(anyhow::anyhow!("unknown benchmark {other}: api or relay")),
        },
        _ => {
            eprintln!(
                "usage: cargo xtask <run [--demo]|test|openapi|fuzz|bench [api|relay [CALLS] [SECONDS]]>"
            );
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("xtask: {e:#}");
        std::process::exit(1);
    }
}

/// Crates that must also build for the browser.
const WASM_CRATES: &[&str] = &["cc-types", "cc-core"];

/// The provider fakes `run --demo` starts beside the server, and where.
const DEMO_FAKES: [(&str, &str); 5] = [
    ("openai", "127.0.0.1:9101"),
    ("gemini", "127.0.0.1:9102"),
    ("deepgram", "127.0.0.1:9103"),
    ("twilio", "127.0.0.1:9104"),
    ("telnyx", "127.0.0.1:9105"),
];

/// Stops the demo's fakes when `run` ends, however it ends.
struct Fakes(Vec<std::process::Child>);

impl Drop for Fakes {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn run(args: &[String]) -> anyhow::Result<()> {
    let demo = match args {
        [] => false,
        [flag] if flag == "--demo" => true,
        other => bail!("unknown arguments {other:?}: `cargo xtask run [--demo]`"),
    };
    web::ensure_tools()?;
    web::build()?;
    cargo(&["build", "-p", "cc-api"], &[])?;
    let _fakes = if demo {
        start_fakes()?
    } else {
        Fakes(Vec::new())
    };
    let bin = shell::target_dir().join("debug").join("cc-api");
    run_cmd(
        std::process::Command::new(&bin)
            .args(["seed", "--demo"])
            .current_dir(root()),
    )?;
    println!(
        "Serving on http://{} (API docs at /docs)",
        std::env::var("CC_BIND").unwrap_or_else(|_| "127.0.0.1:8080".into())
    );
    run_cmd(
        std::process::Command::new(&bin)
            .arg("serve")
            .current_dir(root()),
    )
}

/// `--demo`: the call simulator's provider fakes (OpenAI Realtime, Gemini Live, Deepgram,
/// Twilio, Telnyx) on fixed loopback ports, so the server has its providers to talk to.
/// What the demo starts grows with the live-calls work (calls placed into the cockpit).
fn start_fakes() -> anyhow::Result<Fakes> {
    cargo(&["build", "-p", "cc-sim"], &[])?;
    let sim = shell::target_dir().join("debug").join("cc-sim");
    let mut fakes = Fakes(Vec::new());
    for (provider, addr) in DEMO_FAKES {
        let child = std::process::Command::new(&sim)
            .args(["serve", provider, "--listen", addr])
            .current_dir(root())
            .stdout(std::process::Stdio::null())
            .spawn()
            .with_context(|| format!("starting the {provider} fake"))?;
        fakes.0.push(child);
        println!("demo: fake {provider} on {addr}");
    }
    Ok(fakes)
}

fn openapi_path() -> PathBuf {
    root().join("openapi").join("openapi.json")
}

fn generated_openapi() -> anyhow::Result<String> {
    let out = cargo_output(&["run", "--quiet", "-p", "cc-api", "--", "openapi"])?;
    Ok(out)
}

fn write_openapi() -> anyhow::Result<()> {
    let doc = generated_openapi()?;
    std::fs::create_dir_all(root().join("openapi"))?;
    std::fs::write(openapi_path(), doc).context("writing openapi/openapi.json")?;
    println!("wrote {}", openapi_path().display());
    Ok(())
}

fn test() -> anyhow::Result<()> {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    step("tools the test command needs");
    tools::ensure()?;
    step("rustfmt");
    cargo(&["fmt", "--all", "--", "--check"], &[])?;
    step("clippy (warnings are errors)");
    cargo(
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    step("wasm32 build of browser crates");
    for krate in WASM_CRATES {
        cargo(
            &["build", "-p", krate, "--target", "wasm32-unknown-unknown"],
            &[],
        )?;
    }
    step("OpenAPI drift");
    let committed = std::fs::read_to_string(openapi_path()).unwrap_or_default();
    if generated_openapi()?.trim_end() != committed.trim_end() {
        bail!(
            "openapi/openapi.json differs from the code: run `cargo xtask openapi` and commit the result"
        );
    }
    step("Prometheus alert rules: promtool check and unit tests");
    run_cmd(
        std::process::Command::new("promtool")
            .args(["check", "rules", "deploy/alerts.yml"])
            .current_dir(root()),
    )?;
    run_cmd(
        std::process::Command::new("promtool")
            .args(["test", "rules", "deploy/alerts.test.yml"])
            .current_dir(root()),
    )?;
    step("web app: tools, fmt, clippy, release build");
    web::ensure_tools()?;
    web::lint()?;
    web::build()?;
    step("tests on SQLite (embedded default)");
    // The multi-instance tests always need PostgreSQL + Redis; they run in the next pass.
    tests(
        &[("CC_TEST_BACKEND", "sqlite")],
        &["--workspace"],
        Some("multi_instance::"),
    )?;
    let services = reachable("127.0.0.1:5432") && reachable("127.0.0.1:6379");
    if services {
        step("tests on PostgreSQL + Redis");
        shell::drop_test_databases();
        tests(
            &[
                ("CC_TEST_BACKEND", "postgres"),
                (
                    "CC_TEST_DATABASE_URL",
                    "postgres://postgres@127.0.0.1:5432/postgres",
                ),
                ("CC_TEST_REDIS_URL", "redis://127.0.0.1:6379"),
            ],
            &["-p", "cc-api"],
            None,
        )?;
    } else if ci {
        bail!(
            "PostgreSQL (127.0.0.1:5432) or Redis (127.0.0.1:6379) is unreachable; CI requires both"
        );
    } else {
        eprintln!(
            "xtask: PostgreSQL or Redis unreachable; skipping the PostgreSQL + Redis suite, its fuzzing and the end-to-end suite (CI=true would fail)"
        );
    }
    step("API fuzzing: Schemathesis over the served OpenAPI document, as each role");
    cargo(&["build", "-p", "cc-api"], &[])?;
    let api_bin = shell::target_dir().join("debug").join("cc-api");
    fuzz::fuzz(&api_bin, services)?;
    if services {
        step("end-to-end: API journeys and browser tests (PostgreSQL + Redis)");
        web::e2e(&api_bin)?;
    }
    step("all checks passed");
    Ok(())
}

/// `cargo xtask fuzz`: builds the server and fuzzes it on each reachable backend.
fn fuzz_api() -> anyhow::Result<()> {
    cargo(&["build", "-p", "cc-api"], &[])?;
    let services = reachable("127.0.0.1:5432") && reachable("127.0.0.1:6379");
    if !services {
        eprintln!("xtask: PostgreSQL or Redis unreachable; fuzzing SQLite only");
    }
    fuzz::fuzz(&shell::target_dir().join("debug").join("cc-api"), services)
}

/// Runs the tests of `scope`, leaving out those whose path starts with `exclude`.
fn tests(env: &[(&str, &str)], scope: &[&str], exclude: Option<&str>) -> anyhow::Result<()> {
    if shell::has_nextest() {
        let filter = exclude.map(|m| format!("not test(/^{m}/)"));
        let mut args: Vec<&str> = vec!["nextest", "run", "--no-fail-fast"];
        args.extend_from_slice(scope);
        if let Some(f) = &filter {
            args.extend(["-E", f.as_str()]);
        }
        return cargo(&args, env);
    }
    let mut args: Vec<&str> = vec!["test", "--no-fail-fast"];
    args.extend_from_slice(scope);
    if let Some(m) = exclude {
        args.extend(["--", "--skip", m]);
    }
    cargo(&args, env)
}

fn step(name: &str) {
    println!("\n==> {name}");
}
