//! Reads the constraints of the served OpenAPI document and makes requests at their edges:
//! a valid base for each request body and query, and for each field the values just inside
//! and just outside what the document allows. The rule-agreement test sends them and
//! compares the server's verdict with the document's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Map, Value, json};

/// A value at one edge of a field's documented rule, and whether the document allows it.
pub struct Edge {
    pub label: String,
    /// `None` leaves the field out.
    pub value: Option<Value>,
    pub allowed: bool,
}

/// The document's own `$ref`s resolved against its components.
pub fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap();
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// The non-null alternative of a nullable schema (`oneOf [null, X]` or `type [X, null]`),
/// and whether null is allowed.
fn non_null<'a>(doc: &'a Value, schema: &'a Value) -> (&'a Value, bool) {
    let schema = resolve(doc, schema);
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema[key].as_array() {
            let nullable = alts.iter().any(|a| a["type"] == "null");
            if let Some(x) = alts.iter().find(|a| a["type"] != "null") {
                let (inner, n) = non_null(doc, x);
                return (inner, nullable || n);
            }
        }
    }
    let nullable = schema["type"]
        .as_array()
        .is_some_and(|t| t.iter().any(|x| x == "null"));
    (schema, nullable)
}

fn kind(schema: &Value) -> &str {
    match &schema["type"] {
        Value::String(s) => s,
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or(""),
        _ if schema["enum"].is_array() => "string",
        _ => "",
    }
}

fn num(schema: &Value, key: &str) -> Option<f64> {
    schema[key].as_f64()
}

/// A number as JSON: whole numbers as integers (what an integer field takes).
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

fn len(schema: &Value, key: &str) -> Option<usize> {
    schema[key].as_u64().map(|n| n as usize)
}

/// `n` characters of plain text that match `pattern` when there is one.
fn text(n: usize) -> String {
    "a".repeat(n)
}

/// An address of exactly `n` characters (n ≥ 7) that every email rule accepts: a local
/// part of at most 64, then labels of at most 63 letters, then `com`.
pub fn email_of_len(n: usize) -> String {
    let local = (n - 6).min(64);
    // What the labels before "com" take, each with its dot; never leave a lone dot.
    let mut left = n - local - 1 - 3;
    let mut labels = Vec::new();
    while left > 0 {
        let mut take = left.min(64);
        if left - take == 1 {
            take -= 1;
        }
        labels.push("b".repeat(take - 1));
        left -= take;
    }
    labels.push("com".into());
    format!("{}@{}", "a".repeat(local), labels.join("."))
}

/// A value the document allows for `schema`.
pub fn valid(doc: &Value, schema: &Value) -> Value {
    let (schema, _) = non_null(doc, schema);
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    match kind(schema) {
        "string" => match schema["format"].as_str() {
            Some("email") => json!(email_of_len(
                len(schema, "maxLength").unwrap_or(254).min(24)
            )),
            Some("date-time") => {
                json!((chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339())
            }
            Some("date") => json!((chrono::Utc::now() + chrono::Duration::days(1)).date_naive()),
            Some("uuid") => json!(uuid::Uuid::now_v7()),
            _ => match schema["pattern"].as_str() {
                Some(cc_types::shifts::TIME_OF_DAY_PATTERN) => json!("09:00"),
                _ => json!(text(len(schema, "minLength").unwrap_or(0).max(1))),
            },
        },
        "integer" | "number" => number(num(schema, "minimum").unwrap_or(0.0).max(0.0)),
        "boolean" => json!(true),
        "array" => {
            let n = len(schema, "minItems").unwrap_or(0).max(1);
            json!(distinct_items(doc, &schema["items"], n))
        }
        "object" => {
            let mut out = Map::new();
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().unwrap();
                out.insert(name.into(), valid(doc, &schema["properties"][name]));
            }
            Value::Object(out)
        }
        _ => Value::Null,
    }
}

/// `n` items, distinct where the item type has several values.
fn distinct_items(doc: &Value, items: &Value, n: usize) -> Vec<Value> {
    let (item, _) = non_null(doc, items);
    match item["enum"].as_array() {
        Some(values) => (0..n).map(|i| values[i % values.len()].clone()).collect(),
        None => (0..n).map(|_| valid(doc, item)).collect(),
    }
}

/// The edges of one field's rule.
pub fn edges(doc: &Value, schema: &Value, required: bool) -> Vec<Edge> {
    let (schema, nullable) = non_null(doc, schema);
    let mut out = vec![Edge {
        label: "left out".into(),
        value: None,
        allowed: !required,
    }];
    if nullable {
        out.push(edge("null", Value::Null, true));
    }
    if schema["enum"].is_array() {
        out.push(edge("an unknown value", json!("not-a-known-value"), false));
        return out;
    }
    match kind(schema) {
        "string" => string_edges(schema, &mut out),
        "integer" | "number" => number_edges(schema, &mut out),
        "array" => array_edges(doc, schema, &mut out),
        _ => {}
    }
    out
}

fn edge(label: impl Into<String>, value: Value, allowed: bool) -> Edge {
    Edge {
        label: label.into(),
        value: Some(value),
        allowed,
    }
}

fn string_edges(schema: &Value, out: &mut Vec<Edge>) {
    let min = len(schema, "minLength").unwrap_or(0);
    let max = len(schema, "maxLength");
    let pattern = schema["pattern"]
        .as_str()
        .map(|p| regex::Regex::new(p).unwrap());
    let matches = |s: &str| pattern.as_ref().is_none_or(|p| p.is_match(s));
    match schema["format"].as_str() {
        Some("email") => {
            let max = max.unwrap_or(254);
            out.push(edge(
                format!("an email of {max} characters"),
                json!(email_of_len(max)),
                true,
            ));
            out.push(edge(
                format!("an email of {} characters", max + 1),
                json!(email_of_len(max + 1)),
                false,
            ));
            out.push(edge("not an email", json!("not-an-email"), false));
            return;
        }
        Some("date-time") => {
            out.push(edge("not a date-time", json!("yesterday"), false));
            return;
        }
        Some("date") => {
            out.push(edge("not a date", json!("2027-02-30"), false));
            return;
        }
        Some("uuid") => {
            out.push(edge("not a uuid", json!("not-a-uuid"), false));
            return;
        }
        _ => {}
    }
    // Length edges are written in a letter the pattern takes (`0` for digits only); where
    // no single repeated letter fits the pattern at a length, that edge is left out.
    let fill = |n: usize| ["a", "0"].iter().map(|c| c.repeat(n)).find(|s| matches(s));
    if min > 0 {
        if let Some(s) = fill(min) {
            out.push(edge(format!("{min} characters"), json!(s), true));
        }
        let short = fill(min - 1).unwrap_or_else(|| text(min - 1));
        out.push(edge(format!("{} characters", min - 1), json!(short), false));
    }
    match max {
        Some(max) => {
            if let Some(s) = fill(max) {
                out.push(edge(format!("{max} characters"), json!(s), true));
            }
            let long = fill(max + 1).unwrap_or_else(|| text(max + 1));
            out.push(edge(format!("{} characters", max + 1), json!(long), false));
            // Characters, not bytes: the longest value in two-byte letters is allowed too.
            let wide = "é".repeat(max);
            if matches(&wide) {
                out.push(edge(
                    format!("{max} two-byte characters"),
                    json!(wide),
                    true,
                ));
            }
        }
        None => {
            if let Some(s) = fill(4000.max(min)) {
                out.push(edge("4000 characters", json!(s), true));
            }
        }
    }
    let padded = |s: &str| format!("{s}{}", text(min.saturating_sub(s.chars().count())));
    for odd in [
        "a\u{0}b",
        "line\nbreak",
        "tab\tx",
        "a\u{7f}b",
        "Jana Nováková 😀",
        "<b>&</b>",
    ] {
        let value = padded(odd);
        if max.is_some_and(|m| value.chars().count() > m) {
            continue;
        }
        let allowed = matches(&value);
        out.push(edge(format!("{odd:?}"), json!(value), allowed));
    }
}

fn number_edges(schema: &Value, out: &mut Vec<Edge>) {
    let min = num(schema, "minimum");
    let max = num(schema, "maximum");
    match min {
        Some(m) => {
            out.push(edge(format!("{m}"), number(m), true));
            out.push(edge(format!("{}", m - 1.0), number(m - 1.0), false));
        }
        None => out.push(edge("-1", json!(-1), true)),
    }
    match max {
        Some(m) => {
            out.push(edge(format!("{m}"), number(m), true));
            out.push(edge(format!("{}", m + 1.0), number(m + 1.0), false));
        }
        None => out.push(edge("2^53 - 1", json!(9_007_199_254_740_991_i64), true)),
    }
    let within = min.is_none_or(|m| m <= 0.5) && max.is_none_or(|m| m >= 0.5);
    let fraction = if within { 0.5 } else { 1.5 };
    let in_range = min.is_none_or(|m| m <= fraction) && max.is_none_or(|m| m >= fraction);
    let allowed = kind(schema) == "number" && in_range;
    out.push(edge("a fraction", json!(fraction), allowed));
}

fn array_edges(doc: &Value, schema: &Value, out: &mut Vec<Edge>) {
    let min = len(schema, "minItems").unwrap_or(0);
    let max = len(schema, "maxItems");
    out.push(edge(
        format!("{min} items"),
        json!(distinct_items(doc, &schema["items"], min)),
        true,
    ));
    if min > 0 {
        out.push(edge(
            format!("{} items", min - 1),
            json!(distinct_items(doc, &schema["items"], min - 1)),
            false,
        ));
    }
    match max {
        Some(m) => {
            out.push(edge(
                format!("{m} items"),
                json!(distinct_items(doc, &schema["items"], m)),
                true,
            ));
            out.push(edge(
                format!("{} items", m + 1),
                json!(distinct_items(doc, &schema["items"], m + 1)),
                false,
            ));
        }
        None => out.push(edge(
            "50 items",
            json!(distinct_items(doc, &schema["items"], 50)),
            true,
        )),
    }
}

#[test]
fn emails_have_the_length_asked_for() {
    for n in [7, 8, 24, 70, 128, 133, 200, 254, 255] {
        let e = email_of_len(n);
        assert_eq!(e.len(), n, "{e}");
        assert!(
            e.split('@')
                .nth(1)
                .unwrap()
                .split('.')
                .all(|l| !l.is_empty() && l.len() <= 63),
            "{e}"
        );
    }
}
