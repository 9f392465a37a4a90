//! The web app and the end-to-end suite: tools, lint, build, and the TypeScript harness.
//!
//! The SPA is its own Cargo workspace (`web/`, browser-only) built by trunk into
//! `web/dist`, with its cargo outputs in `<target>/web` so the server's build never waits
//! on it. Missing tools are installed: the wasm32 target, trunk 0.21 (0.22 needs a newer
//! rustc), and wasm-bindgen-cli at exactly the version `web/Cargo.lock` pins (trunk would
//! otherwise try to download one).

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::shell::{root, run_cmd, target_dir};

pub fn web_dir() -> PathBuf {
    root().join("web")
}

fn e2e_dir() -> PathBuf {
    root().join("e2e")
}

fn web_target() -> PathBuf {
    target_dir().join("web")
}

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The `wasm-bindgen` version in `web/Cargo.lock`.
fn pinned_wasm_bindgen() -> anyhow::Result<String> {
    let lock =
        std::fs::read_to_string(web_dir().join("Cargo.lock")).context("reading web/Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_owned());
        }
    }
    bail!("web/Cargo.lock pins no wasm-bindgen")
}

fn cargo_install(args: &[&str]) -> anyhow::Result<()> {
    println!("installing: cargo install {}", args.join(" "));
    run_cmd(Command::new("cargo").arg("install").args(args))
}

/// Installs what building the SPA needs when it is missing.
pub fn ensure_tools() -> anyhow::Result<()> {
    run_cmd(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    if !output("trunk", &["--version"]).is_some_and(|v| v.contains(" 0.21.")) {
        cargo_install(&["trunk", "--version", "^0.21", "--locked"])?;
    }
    let pinned = pinned_wasm_bindgen()?;
    if !output("wasm-bindgen", &["--version"]).is_some_and(|v| v.trim().ends_with(&pinned)) {
        // Without --locked: the CLI's own lock file pins a crate that is gone.
        cargo_install(&["wasm-bindgen-cli", "--version", &pinned, "--force"])?;
    }
    Ok(())
}

fn web_cargo(args: &[&str]) -> anyhow::Result<()> {
    run_cmd(
        Command::new("cargo")
            .args(args)
            .current_dir(web_dir())
            .env("CARGO_TARGET_DIR", web_target()),
    )
}

/// fmt and clippy (warnings are errors) of the SPA, for the browser target.
pub fn lint() -> anyhow::Result<()> {
    web_cargo(&["fmt", "--", "--check"])?;
    web_cargo(&[
        "clippy",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ])
}

/// `trunk build --release` into `web/dist`; prints the gzipped size of what a browser loads.
pub fn build() -> anyhow::Result<()> {
    let started = Instant::now();
    run_cmd(
        Command::new("trunk")
            .args(["build", "--release", "--offline"])
            .current_dir(web_dir())
            .env("CARGO_TARGET_DIR", web_target())
            .env_remove("NO_COLOR"),
    )?;
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    match crate::wasm_opt::ensure(&web_dir())? {
        Some(wasm_opt) => crate::wasm_opt::optimize(&web_dir().join("dist"), &wasm_opt)?,
        None if ci => {
            bail!("npm is needed for the web build's wasm-opt (binaryen, web/package.json)")
        }
        None => {
            eprintln!("note: npm not found, the wasm is not optimised by wasm-opt (≈ 20 % larger)")
        }
    }
    println!(
        "web/dist built in {:.0} s; {}",
        started.elapsed().as_secs_f64(),
        dist_size()?
    );
    Ok(())
}

/// Sizes of the wasm and JS in `web/dist`, raw and gzipped (what travels over the wire).
fn dist_size() -> anyhow::Result<String> {
    let mut parts = Vec::new();
    for entry in std::fs::read_dir(web_dir().join("dist"))? {
        let path = entry?.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !matches!(ext, "wasm" | "js" | "css") {
            continue;
        }
        let raw = std::fs::metadata(&path)?.len();
        let gz = output(
            "sh",
            &["-c", &format!("gzip -9c '{}' | wc -c", path.display())],
        )
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(0);
        parts.push(format!(
            "{ext} {} KiB ({} KiB gzipped)",
            raw / 1024,
            gz / 1024
        ));
    }
    parts.sort();
    Ok(parts.join(", "))
}

/// The TypeScript harness: install its packages, regenerate the client from the OpenAPI
/// document and type-check the journeys against it, then run the API and browser tests
/// against a real `cc-api` on PostgreSQL + Redis.
pub fn e2e(api_bin: &std::path::Path) -> anyhow::Result<()> {
    let npm = |args: &[&str]| {
        run_cmd(
            Command::new("npm")
                .args(args)
                .current_dir(e2e_dir())
                .env("CC_API_BIN", api_bin)
                .env("CC_WEB_DIR", web_dir().join("dist")),
        )
    };
    npm(&["ci", "--no-audit", "--no-fund"])?;
    let schema = e2e_dir().join("src").join("api").join("schema.d.ts");
    let committed = std::fs::read_to_string(&schema).unwrap_or_default();
    npm(&["run", "check"])?;
    if std::fs::read_to_string(&schema)? != committed {
        bail!(
            "e2e/src/api/schema.d.ts differs from openapi/openapi.json: commit the regenerated client"
        );
    }
    let started = Instant::now();
    npm(&["test"])?;
    println!("e2e suite took {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}
