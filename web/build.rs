//! Generates the `i18n` module from `locales/{en,es,cs}.json` (leptos_i18n's build-time
//! code generation): a missing key or interpolation in any language fails the build.
use std::error::Error;
use std::path::PathBuf;

use leptos_i18n_build::options::CodegenOptions;
use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
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
