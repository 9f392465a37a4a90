//! Hashes the migrations' sources into `CC_MIGRATIONS_HASH`, so that anything keyed by
//! "this set of migrations" (the tests' template database) changes when a migration's
//! code changes, not only when one is added.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src");
    let mut files: Vec<_> = std::fs::read_dir(Path::new("src"))
        .map(|dir| dir.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    // FNV-1a: stable across Rust versions, unlike the standard library's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        let text = std::fs::read(&file).unwrap_or_default();
        for b in name.unwrap_or_default().bytes().chain(text) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=CC_MIGRATIONS_HASH={h:016x}");
}
