//! Property-based fuzzing of every cc-media entry point that reads bytes or text from a network
//! peer (carriers, AI providers, webhooks, WAV files). Each property feeds arbitrary input and
//! structure-aware mutations of valid sample messages (a JSON node replaced by an extreme
//! number or a stray value, a field removed, raw text inserted, truncation, bit flips) and
//! requires that the code under test returns `Ok` or an error and never panics; where two
//! parsers must agree (Twilio's borrowed fast path and the general types) it checks that too.
//! Runs 256 cases per property (`PROPTEST_CASES` overrides); failures are not persisted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audio;
mod providers;
mod telnyx;
mod twilio;

use proptest::prelude::*;
use serde_json::Value;

/// The shared configuration: proptest's defaults (256 cases unless `PROPTEST_CASES` is set)
/// without failure persistence, so nothing is written into the checkout.
pub(crate) fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Numbers and values that break careless arithmetic, as raw JSON text (some deliberately not
/// valid JSON, such as `NaN`).
const EXTREMES: &[&str] = &[
    "18446744073709551615",
    "\"18446744073709551615\"",
    "18446744073709551614",
    "\"18446744073709551614\"",
    "18446744073709551616",
    "\"18446744073709551616\"",
    "9223372036854775807",
    "-9223372036854775808",
    "4294967295",
    "4294967296",
    "65535",
    "65536",
    "0",
    "\"0\"",
    "-1",
    "\"-1\"",
    "-0",
    "0.5",
    "1e400",
    "-1e400",
    "1.7976931348623157e308",
    "5e-324",
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    "\"\"",
    "\"\\u0000\"",
];

/// Raw JSON text to put where a value was: an extreme, any integer or float, or any string.
fn raw_value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(EXTREMES).prop_map(str::to_owned),
        1 => any::<i128>().prop_map(|n| n.to_string()),
        1 => any::<u64>().prop_map(|n| format!("\"{n}\"")),
        1 => any::<f64>().prop_map(|x| format!("{x:e}")),
        1 => any::<String>().prop_map(|s| Value::String(s).to_string()),
        1 => "\\PC{0,8}",
    ]
}

/// One edit of a sample message.
#[derive(Debug, Clone)]
pub(crate) enum Mutation {
    /// Put raw text in place of the n-th JSON node (n taken modulo the node count).
    Replace(usize, String),
    /// Drop the n-th JSON node (an object member or array element).
    Remove(usize),
    /// Insert raw text at a byte position (modulo the length + 1).
    Insert(usize, String),
    /// Cut the text at a byte position (modulo the length + 1).
    Truncate(usize),
    /// Flip one bit of one byte (modulo the length).
    Flip(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), raw_value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => any::<usize>().prop_map(Mutation::Remove),
        1 => (any::<usize>(), prop_oneof![raw_value(), "[{}\\[\\]\":,]{1,3}"])
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
    ]
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    At(usize),
}

/// Paths to every node below the root, parents before children.
fn paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    let children: Vec<(Step, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (Step::Key(k.clone()), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Step::At(i), v))
            .collect(),
        _ => Vec::new(),
    };
    for (step, child) in children {
        prefix.push(step);
        out.push(prefix.clone());
        paths(child, prefix, out);
        prefix.pop();
    }
}

fn parent_mut<'a>(mut value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    for step in path {
        value = match (value, step) {
            (Value::Object(map), Step::Key(k)) => map.get_mut(k)?,
            (Value::Array(items), Step::At(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

const PLACEHOLDER: &str = "\"__cc_media_fuzz__\"";

/// Applies a JSON-level edit at the node picked by `index`; `None` if `text` is not JSON.
fn edit_json(text: &[u8], pick: usize, replacement: Option<&str>) -> Option<Vec<u8>> {
    let mut root: Value = serde_json::from_slice(text).ok()?;
    let mut all = Vec::new();
    paths(&root, &mut Vec::new(), &mut all);
    if all.is_empty() {
        return None;
    }
    let path = &all[pick % all.len()];
    let (last, parent_path) = path.split_last()?;
    let parent = parent_mut(&mut root, parent_path)?;
    let placeholder = Value::String(PLACEHOLDER.trim_matches('"').to_owned());
    match (parent, last, replacement) {
        (Value::Object(map), Step::Key(k), Some(_)) => {
            map.insert(k.clone(), placeholder);
        }
        (Value::Array(items), Step::At(i), Some(_)) => items[*i] = placeholder,
        (Value::Object(map), Step::Key(k), None) => {
            map.remove(k);
        }
        (Value::Array(items), Step::At(i), None) => {
            items.remove(*i);
        }
        _ => return None,
    }
    let text = root.to_string();
    Some(match replacement {
        Some(raw) => text.replacen(PLACEHOLDER, raw, 1).into_bytes(),
        None => text.into_bytes(),
    })
}

/// `sample` with `mutations` applied in order (JSON edits are skipped once it is not JSON).
pub(crate) fn apply(sample: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut text = sample.to_vec();
    for m in mutations {
        match m {
            Mutation::Replace(pick, raw) => {
                text = edit_json(&text, *pick, Some(raw)).unwrap_or(text);
            }
            Mutation::Remove(pick) => text = edit_json(&text, *pick, None).unwrap_or(text),
            Mutation::Insert(pick, raw) => {
                let at = pick % (text.len() + 1);
                text.splice(at..at, raw.bytes());
            }
            Mutation::Truncate(pick) => text.truncate(pick % (text.len() + 1)),
            Mutation::Flip(pick, bit) => {
                if !text.is_empty() {
                    let at = pick % text.len();
                    text[at] ^= 1 << (bit % 8);
                }
            }
        }
    }
    text
}

/// Bytes a peer might send: a mutated sample (most often), or anything at all.
pub(crate) fn peer_bytes(samples: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let mutated = (
        prop::sample::select(samples),
        prop::collection::vec(mutation(), 1..4),
    )
        .prop_map(|(sample, mutations)| apply(sample.as_bytes(), &mutations));
    prop_oneof![
        6 => mutated,
        1 => prop::sample::select(samples).prop_map(|s| s.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
        1 => any::<String>().prop_map(String::into_bytes),
    ]
}

/// [`peer_bytes`] as text (invalid UTF-8 replaced, as a WebSocket text frame cannot carry it).
pub(crate) fn peer_text(samples: &'static [&'static str]) -> impl Strategy<Value = String> {
    peer_bytes(samples).prop_map(|b| String::from_utf8_lossy(&b).into_owned())
}

#[test]
fn mutations_edit_the_node_they_name() {
    let sample = br#"{"a":{"b":"1"},"c":[2,3]}"#;
    // Paths in order: a, a.b, c, c[0], c[1].
    let replaced = apply(sample, &[Mutation::Replace(1, "1e400".into())]);
    assert_eq!(replaced, br#"{"a":{"b":1e400},"c":[2,3]}"#);
    let removed = apply(sample, &[Mutation::Remove(8)]);
    assert_eq!(removed, br#"{"a":{"b":"1"},"c":[3]}"#);
    assert_eq!(apply(b"x", &[Mutation::Remove(0)]), b"x");
    let cut = apply(sample, &[Mutation::Truncate(3), Mutation::Flip(0, 1)]);
    assert_eq!(cut, b"y\"a");
    let inserted = apply(b"{}", &[Mutation::Insert(1, "\"k\":1".into())]);
    assert_eq!(inserted, br#"{"k":1}"#);
}
