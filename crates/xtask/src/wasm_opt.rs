//! Shrinking the web app's wasm with binaryen's `wasm-opt` after trunk has built it.
//!
//! trunk would run `wasm-opt` itself, but the one Debian ships (binaryen 108) rewrites the
//! externref table wasm-bindgen 0.2.130 emits into one Chromium rejects at start-up. binaryen
//! 132 handles it; it comes from npm (package `binaryen`, pinned in `web/package.json` and
//! `web/package-lock.json`), since cargo cannot install it and building binaryen from source
//! would cost a fresh machine many minutes. So trunk builds with `data-wasm-opt="0"` and this
//! step optimises `web/dist/*.wasm` in place (`-Oz`, with the features rustc's wasm32 target
//! enables), then rewrites the wasm's `sha384-` integrity in `dist/index.html` and checks it.
//! Without npm the step is skipped with a note (the app works, ≈ 20 % larger); CI requires it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use base64::Engine as _;
use sha2::{Digest, Sha384};

use crate::shell::run_cmd;

/// Features of rustc's wasm32-unknown-unknown output that wasm-opt must keep.
const FEATURES: &[&str] = &[
    "--enable-reference-types",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

/// The pinned `wasm-opt`, installed with `npm ci` in `web/` when missing; `None` without npm.
pub fn ensure(web: &Path) -> anyhow::Result<Option<PathBuf>> {
    let bin = web.join("node_modules").join(".bin").join("wasm-opt");
    if !bin.exists() {
        if Command::new("npm").arg("--version").output().is_err() {
            return Ok(None);
        }
        run_cmd(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(web),
        )
        .context("installing binaryen (web/package.json)")?;
    }
    Ok(Some(bin))
}

/// Optimises the one wasm in `dist` with `wasm_opt` and updates its integrity in index.html.
pub fn optimize(dist: &Path, wasm_opt: &Path) -> anyhow::Result<()> {
    let wasm = single_wasm(dist)?;
    let before = integrity(&std::fs::read(&wasm)?);
    let optimized = wasm.with_extension("opt.wasm");
    run_cmd(
        Command::new(wasm_opt)
            .arg("-Oz")
            .args(FEATURES)
            .arg(&wasm)
            .arg("-o")
            .arg(&optimized),
    )?;
    std::fs::rename(&optimized, &wasm)?;
    let after = integrity(&std::fs::read(&wasm)?);
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index)?;
    let html = replace_once(&html, &before, &after)
        .with_context(|| format!("the integrity of {} in {}", wasm.display(), index.display()))?;
    std::fs::write(&index, html)?;
    Ok(())
}

fn single_wasm(dist: &Path) -> anyhow::Result<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "wasm") {
            found.push(path);
        }
    }
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!("expected one .wasm in {}, found {found:?}", dist.display()),
    }
}

/// The SRI value trunk writes for a file: `sha384-` and the base64 digest.
fn integrity(bytes: &[u8]) -> String {
    let digest = Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// `html` with `old` replaced by `new`, which must occur exactly once.
fn replace_once(html: &str, old: &str, new: &str) -> anyhow::Result<String> {
    match html.matches(old).count() {
        1 => Ok(html.replacen(old, new, 1)),
        n => bail!("{old} occurs {n} times, expected once"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_is_the_sri_sha384_of_the_bytes() {
        // SRI of "alert('Hello, world.');", as in the W3C Subresource Integrity examples.
        assert_eq!(
            integrity(b"alert('Hello, world.');"),
            "sha384-H8BRh8j48O9oYatfu5AZzq6A9RINhZO5H16dQZngK7T62em8MUt1FLm52t+eX6xO"
        );
    }

    #[test]
    fn the_hash_is_replaced_exactly_once() {
        let html = r#"<link href="/a.wasm" integrity="sha384-OLD">"#;
        assert_eq!(
            replace_once(html, "sha384-OLD", "sha384-NEW").ok(),
            Some(r#"<link href="/a.wasm" integrity="sha384-NEW">"#.to_owned())
        );
        assert!(replace_once(html, "sha384-GONE", "x").is_err());
        assert!(replace_once("sha384-OLD sha384-OLD", "sha384-OLD", "x").is_err());
    }
}
