//! Generates the `i18n` module from `locales/<language>/<namespace>.json` (leptos_i18n's
//! build-time code generation). A key one language lacks is a build warning (leptos_i18n
//! then shows the English text); a key no language has fails the build at its `t!`.
//!
//! One namespace per domain or screen (`users`, `api_keys`, ...), plus `common` (shared
//! words, roles, the pager, validation and error messages) and `nav` (the shell's frame).
//! A key reads namespace first: `t!(i18n, users.list.title)` is `list.title` in
//! `locales/<language>/users.json`. A new screen adds its namespace here and a file per
//! language.
use std::error::Error;
use std::path::PathBuf;

use leptos_i18n_build::options::CodegenOptions;
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

const NAMESPACES: [&str; 9] = [
    "common",
    "nav",
    "login",
    "home",
    "profile",
    "users",
    "api_keys",
    "audit",
    "not_found",
];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    // `interpolate_display` lets `t_string!` fill values, for attributes and titles.
    let config = Config::new("en")?
        .add_locale("es")?
        .add_locale("cs")?
        .add_namespaces(NAMESPACES)?
        .parse_options(ParseOptions::default().interpolate_display(true));
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    // The generated locale table parses its own constant tags with `expect`.
    let mut options = CodegenOptions::new();
    options.top_level_attributes = Some("#![allow(clippy::expect_used)]".parse()?);
    translations.generate_i18n_module_with_options(out, options)?;
    Ok(())
}
