//! Loading: the defaults' tree, the file's tree over it, the environment's over that, then
//! one typed deserialization. The environment is mapped generically: `CC_A__B` is the key
//! `b` of section `a`; its text becomes the type the default at that place has (a number,
//! a boolean, a comma-separated list), so a new setting needs no code here. Unknown file
//! keys are errors; unknown `CC_` variables are left alone (shells carry others), with a
//! warning.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde::Deserialize;
use toml::{Table, Value};

use super::Config;

/// A setting that cannot be used, named as the operator wrote it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid configuration: {setting}: {problem}")]
pub struct ConfigError {
    /// The environment variable or file key.
    pub setting: String,
    /// What is wrong and what is expected.
    pub problem: String,
}

pub(super) fn err(setting: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        setting: setting.into(),
        problem: problem.into(),
    }
}

/// Where a value came from, to name it in an error.
enum Source<'a> {
    File(&'a Path),
    Env,
}

/// Defaults, then the file, then the environment.
pub(super) fn load(env: &HashMap<String, String>, dir: &Path) -> Result<Config, ConfigError> {
    let file = env
        .get("CC_CONFIG")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.join("cc-lite.toml"));
    let mut tree = match Value::try_from(Config::default()) {
        Ok(Value::Table(t)) => t,
        _ => return Err(err("defaults", "cannot be represented")),
    };
    let defaults = tree.clone();
    let mut sources: HashMap<Vec<String>, Source<'_>> = HashMap::new();
    if file.exists() {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| err(&file.display().to_string(), e.to_string()))?;
        let from_file: Table = toml::from_str(&text)
            .map_err(|e| err(&file.display().to_string(), e.message().to_owned()))?;
        for path in leaves(&from_file, Vec::new()) {
            sources.insert(path, Source::File(&file));
        }
        merge(&mut tree, from_file);
    } else if env.contains_key("CC_CONFIG") {
        return Err(err(
            "CC_CONFIG",
            format!("file `{}` does not exist", file.display()),
        ));
    }
    let mut from_env = Table::new();
    let mut vars: Vec<(&String, &String)> = env.iter().collect();
    vars.sort();
    for (name, raw) in vars {
        let Some(key) = name.strip_prefix("CC_").filter(|k| *k != "CONFIG") else {
            continue;
        };
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let path: Vec<String> = key.split("__").map(str::to_lowercase).collect();
        let value = typed(raw, at(&defaults, &path)).map_err(|p| err(name, p))?;
        insert(&mut from_env, &path, value);
        sources.insert(path, Source::Env);
    }
    merge(&mut tree, from_env);
    let mut config = deserialize(tree, &sources, env)?;
    config.public_url = config
        .public_url
        .map(|u| u.trim_end_matches('/').to_owned());
    Ok(config)
}

/// The typed deserialization; an unknown key that came from the environment is dropped
/// (with a warning) and the rest tried again.
fn deserialize(
    mut tree: Table,
    sources: &HashMap<Vec<String>, Source<'_>>,
    env: &HashMap<String, String>,
) -> Result<Config, ConfigError> {
    loop {
        let de = Value::Table(tree.clone());
        match serde_path_to_error::deserialize::<_, Config>(de) {
            Ok(config) => return Ok(config),
            Err(e) => {
                let mut path: Vec<String> = e
                    .path()
                    .iter()
                    .map(|s| s.to_string())
                    .filter(|s| !s.is_empty() && s != "?")
                    .collect();
                let message = e.inner().to_string();
                if let Some(unknown) = unknown_field(&message) {
                    if path.last() != Some(&unknown) {
                        path.push(unknown);
                    }
                    if matches!(sources.get(&path), Some(Source::Env)) {
                        // A variable of someone else's (or a typo): say so, go on.
                        eprintln!(
                            "warning: CC_{} is not a setting of cc-api; ignored",
                            path.join("__").to_uppercase()
                        );
                        remove(&mut tree, &path);
                        continue;
                    }
                }
                return Err(name_error(&path, &message, sources, env));
            }
        }
    }
}

fn name_error(
    path: &[String],
    message: &str,
    sources: &HashMap<Vec<String>, Source<'_>>,
    env: &HashMap<String, String>,
) -> ConfigError {
    // The value at the failing place, or at the nearest place above it we know.
    let known = (1..=path.len())
        .rev()
        .map(|n| &path[..n])
        .find_map(|p| sources.get(p).map(|s| (p, s)));
    match known {
        Some((p, Source::Env)) => {
            let name = format!("CC_{}", p.join("__").to_uppercase());
            let value = env.get(&name).map(String::as_str).unwrap_or_default();
            err(&name, format!("`{value}`: {message}"))
        }
        Some((p, Source::File(file))) => {
            err(&format!("{} ({})", p.join("."), file.display()), message)
        }
        None => err(&path.join("."), message),
    }
}

fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest.split('`').next()?.to_owned())
}

/// The default value at `path`, if the defaults have one (unset options have none).
fn at<'a>(tree: &'a Table, path: &[String]) -> Option<&'a Value> {
    let (last, parents) = path.split_last()?;
    let mut table = tree;
    for p in parents {
        table = table.get(p)?.as_table()?;
    }
    table.get(last)
}

/// `raw` as the type `like` has; text where nothing says otherwise.
fn typed(raw: &str, like: Option<&Value>) -> Result<Value, String> {
    match like {
        Some(Value::Integer(_)) => raw
            .parse::<i64>()
            .map(Value::Integer)
            .map_err(|_| format!("`{raw}` is not a whole number")),
        Some(Value::Boolean(_)) => match raw {
            "1" | "true" | "yes" => Ok(Value::Boolean(true)),
            "0" | "false" | "no" => Ok(Value::Boolean(false)),
            _ => Err(format!("`{raw}` is not a boolean (use true or false)")),
        },
        Some(Value::Float(_)) => raw
            .parse::<f64>()
            .map(Value::Float)
            .map_err(|_| format!("`{raw}` is not a number")),
        Some(Value::Array(_)) => Ok(Value::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        )),
        _ => Ok(Value::String(raw.to_owned())),
    }
}

fn insert(tree: &mut Table, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut table = tree;
    for p in parents {
        let entry = table
            .entry(p.clone())
            .or_insert_with(|| Value::Table(Table::new()));
        if !entry.is_table() {
            *entry = Value::Table(Table::new());
        }
        let Value::Table(t) = entry else { return };
        table = t;
    }
    table.insert(last.clone(), value);
}

fn remove(tree: &mut Table, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut table = tree;
    for p in parents {
        let Some(Value::Table(t)) = table.get_mut(p) else {
            return;
        };
        table = t;
    }
    table.remove(last);
}

/// `over`'s values replace `base`'s; tables merge key by key.
fn merge(base: &mut Table, over: Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn leaves(tree: &Table, prefix: Vec<String>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (k, v) in tree {
        let mut path = prefix.clone();
        path.push(k.clone());
        match v {
            Value::Table(t) => {
                out.push(path.clone());
                out.extend(leaves(t, path));
            }
            _ => out.push(path),
        }
    }
    out
}

/// Networks written as CIDRs or plain addresses (`10.0.0.0/8`, `127.0.0.1`).
pub(super) fn nets<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<IpNet>, D::Error> {
    let items = Vec::<String>::deserialize(d)?;
    items
        .iter()
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    serde::de::Error::custom(format!("`{s}` is not an IP address or CIDR network"))
                })
        })
        .collect()
}
