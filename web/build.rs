//! Generates the `i18n` module from `locales/{en,es,cs}.json` (leptos_i18n's build-time
//! code generation). Every language must have exactly the keys English has: a missing or
//! extra key fails the build here, naming the file and the key (leptos_i18n alone would
//! only warn and show English). A key no language has fails at its `t!`.
//!
//! Each file has one top-level section per domain or screen (`users`, `api_keys`, ...),
//! plus `common` (shared words, roles, the pager, validation and error messages) and `nav`
//! (the shell's frame): `t!(i18n, users.list.title)` is `list.title` in the `users`
//! section. A new screen adds its section to the three files and its name to `SECTIONS`.
use std::error::Error;
use std::path::PathBuf;

use leptos_i18n_build::options::CodegenOptions;
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

const SECTIONS: [&str; 15] = [
    "shifts",
    "presence",
    "desktop",
    "agents",
    "common",
    "nav",
    "login",
    "home",
    "profile",
    "users",
    "teams",
    "skills",
    "api_keys",
    "audit",
    "not_found",
];

const LANGUAGES: [&str; 3] = ["en", "es", "cs"];

/// Dotted paths of every leaf of a translation file.
fn keys(value: &serde_json::Value, prefix: &str, out: &mut std::collections::BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                keys(v, &path, out);
            }
        }
        _ => {
            out.insert(prefix.to_owned());
        }
    }
}

/// Fails when a language's file has other keys than English's, or sections other than
/// `SECTIONS`.
fn same_keys_everywhere() -> Result<(), Box<dyn Error>> {
    let mut sets = Vec::new();
    for lang in LANGUAGES {
        let path = format!("locales/{lang}.json");
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
        if let Some(sections) = json.as_object()
            && let Some(other) = sections.keys().find(|k| !SECTIONS.contains(&k.as_str()))
        {
            return Err(format!("{path}: section `{other}` is not listed in build.rs").into());
        }
        let mut set = std::collections::BTreeSet::new();
        keys(&json, "", &mut set);
        sets.push((path, set));
    }
    let (_, english) = &sets[0];
    for (path, set) in &sets[1..] {
        if let Some(missing) = english.difference(set).next() {
            return Err(format!("{path} lacks `{missing}`").into());
        }
        if let Some(extra) = set.difference(english).next() {
            return Err(format!("{path} has `{extra}`, which English lacks").into());
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    same_keys_everywhere()?;
    println!("cargo::rerun-if-changed=Cargo.toml");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    // `interpolate_display` lets `t_string!` fill values, for attributes and titles.
    let config = Config::new("en")?
        .add_locale("es")?
        .add_locale("cs")?
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
