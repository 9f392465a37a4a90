//! Every operation documents every status its extractors and policy can answer. The
//! expected set is read off the operation's shape in the served document (security, path
//! and query parameters, a JSON body), each one is then provoked on the running server, and
//! the answer must be that status, documented, as `application/problem+json`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::{TestApp, client, spawn_with};
use crate::role_matrix::substitute;

struct Shape {
    id: String,
    method: String,
    template: String,
    documented: BTreeSet<u16>,
    secured: bool,
    path_params: bool,
    /// The first query parameter, if any, with two valid values of its type: the
    /// parameter whose value is spoiled or repeated.
    query: Option<(String, [String; 2])>,
    body: bool,
}

fn shapes(doc: &Value) -> Vec<Shape> {
    let mut out = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let params: Vec<&Value> = op["parameters"].as_array().into_iter().flatten().collect();
            out.push(Shape {
                id: op["operationId"].as_str().unwrap().to_owned(),
                method: method.to_uppercase(),
                template: template.clone(),
                documented: op["responses"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .filter_map(|s| s.parse().ok())
                    .collect(),
                secured: op["security"].as_array().is_some_and(|s| !s.is_empty()),
                path_params: params.iter().any(|p| p["in"] == "path"),
                query: params.iter().find(|p| p["in"] == "query").map(|p| {
                    (
                        p["name"].as_str().unwrap().to_owned(),
                        samples(&p["schema"]),
                    )
                }),
                body: op["requestBody"].is_object(),
            });
        }
    }
    out
}

/// Two valid values of a query parameter's schema.
fn samples(schema: &Value) -> [String; 2] {
    let of = |s: &Value| {
        s["type"]
            .as_str()
            .or_else(|| s["type"][0].as_str())
            .unwrap_or("")
            .to_owned()
    };
    if schema["format"] == "uuid" {
        return [0, 1].map(|_| uuid::Uuid::now_v7().to_string());
    }
    if schema["format"] == "date-time" {
        return ["2027-01-04T08:00:00Z".into(), "2027-01-05T08:00:00Z".into()];
    }
    if schema["format"] == "date" {
        return ["2027-01-04".into(), "2027-01-05".into()];
    }
    match of(schema).as_str() {
        "integer" | "number" => ["1".into(), "2".into()],
        "boolean" => ["true".into(), "false".into()],
        _ => ["a".into(), "b".into()],
    }
}

/// What the shape says the operation can answer.
fn expected(s: &Shape) -> BTreeSet<u16> {
    let mut e = BTreeSet::new();
    if s.secured {
        e.extend([401, 403]);
    }
    if s.template.starts_with("/api/") {
        e.insert(429);
    }
    if s.path_params {
        e.insert(404);
    }
    if s.body || s.query.is_some() {
        e.extend([400, 422]);
    }
    if s.body {
        e.extend([413, 415]);
    }
    e
}

/// Sends raw bytes with a content type, as the admin.
async fn raw(
    app: &TestApp,
    s: &Shape,
    path: &str,
    token: &str,
    ct: &str,
    body: Vec<u8>,
) -> (u16, Option<String>) {
    let method = awc::http::Method::from_bytes(s.method.as_bytes()).unwrap();
    let res = client()
        .request(method, app.url(path))
        .insert_header(("Authorization", format!("Bearer {token}")))
        .insert_header(("Content-Type", ct))
        .send_body(body)
        .await
        .unwrap();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned());
    (res.status().as_u16(), ct)
}

fn check(s: &Shape, what: &str, status: u16, ct: Option<String>, want: u16) {
    assert_eq!(status, want, "{} {} {}: {what}", s.method, s.template, s.id);
    assert!(
        s.documented.contains(&status),
        "{} answers {status} ({what}) but does not document it",
        s.id
    );
    assert_eq!(
        ct.as_deref(),
        Some("application/problem+json"),
        "{}: {what}",
        s.id
    );
}

#[actix_web::test]
async fn every_operation_documents_what_its_extractors_and_policy_answer() {
    let app = spawn_with(|c| c.body_limit_bytes = 4096).await;
    let admin = app.admin_token().await;
    let doc = app.send("GET", "/openapi.json", None, None).await.body;
    let mut provoked = 0;
    for s in shapes(&doc) {
        let missing: Vec<u16> = expected(&s).difference(&s.documented).copied().collect();
        assert!(missing.is_empty(), "{} does not document {missing:?}", s.id);
        if s.id == "logout" || s.id == "open_ws" {
            continue; // ends the session / upgrades: covered by their own tests
        }
        let path = substitute(&s.template, &uuid::Uuid::now_v7().to_string());
        if s.secured {
            let r = app.send(&s.method, &path, None, None).await;
            check(
                &s,
                "no credentials",
                r.status,
                r.header("content-type"),
                401,
            );
            provoked += 1;
        }
        if s.path_params {
            let bad = substitute(&s.template, "not-a-uuid");
            let body = s.body.then(|| valid_body(&doc, &s));
            let r = app.send(&s.method, &bad, Some(&admin), body.clone()).await;
            check(
                &s,
                "a malformed id",
                r.status,
                r.header("content-type"),
                404,
            );
            let r = app.send(&s.method, &path, Some(&admin), body).await;
            check(&s, "an unknown id", r.status, r.header("content-type"), 404);
            provoked += 2;
        }
        if s.body {
            let (st, ct) = raw(&app, &s, &path, &admin, "text/plain", b"{}".to_vec()).await;
            check(&s, "a text body", st, ct, 415);
            let (st, ct) = raw(
                &app,
                &s,
                &path,
                &admin,
                "application/json",
                b"{\"a\":".to_vec(),
            )
            .await;
            check(&s, "broken JSON", st, ct, 400);
            let big = format!("{{\"x\":\"{}\"}}", "a".repeat(5000)).into_bytes();
            let (st, ct) = raw(&app, &s, &path, &admin, "application/json", big).await;
            check(&s, "a body over the limit", st, ct, 413);
            provoked += 3;
        }
        if let Some((name, [one, two])) = &s.query {
            // Every query parameter today is a number, a UUID, an enum or a bool.
            let r = app
                .send(
                    &s.method,
                    &format!("{path}?{name}=many"),
                    Some(&admin),
                    None,
                )
                .await;
            check(
                &s,
                "a value not of the parameter's type",
                r.status,
                r.header("content-type"),
                422,
            );
            let r = app
                .send(
                    &s.method,
                    &format!("{path}?{name}={one}&{name}={two}"),
                    Some(&admin),
                    None,
                )
                .await;
            check(
                &s,
                "a repeated parameter",
                r.status,
                r.header("content-type"),
                400,
            );
            provoked += 2;
        }
    }
    assert!(provoked >= 40, "only {provoked} answers provoked");
}

/// A body the document allows, so that the id decides the answer.
fn valid_body(doc: &Value, s: &Shape) -> Value {
    let op = &doc["paths"][&s.template][s.method.to_lowercase()];
    let schema = crate::schema_probe::resolve(
        doc,
        &op["requestBody"]["content"]["application/json"]["schema"],
    );
    crate::schema_probe::valid(doc, schema)
}

#[actix_web::test]
async fn every_api_operation_documents_the_rate_limit_it_answers() {
    let app = spawn_with(|c| c.rate_limit_per_minute = 1).await;
    let doc = app.send("GET", "/openapi.json", None, None).await.body;
    // The one request of this address's minute.
    assert_eq!(
        app.send("GET", "/api/auth/me", None, None).await.status,
        401
    );
    let mut limited = 0;
    for s in shapes(&doc)
        .iter()
        .filter(|s| s.template.starts_with("/api/"))
    {
        let path = substitute(&s.template, &uuid::Uuid::now_v7().to_string());
        let r = app.send(&s.method, &path, None, None).await;
        check(
            s,
            "over the rate limit",
            r.status,
            r.header("content-type"),
            429,
        );
        limited += 1;
    }
    assert!(limited >= 15);
}
