//! The OpenAPI document states every rule the server enforces, and no other: for every
//! request body and query parameter of every operation, values just inside each documented
//! bound are accepted and values just outside are refused with 400/422. A rule that lives
//! only in a `validator` attribute (or only in the document) makes this test fail, and so
//! does a value the document allows that makes the server fail (5xx).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;

use crate::common::{TestApp, spawn_with};
use crate::role_matrix::substitute;
use crate::schema_probe::{edges, resolve, valid};

/// One request at an edge of the document's rules.
struct Request {
    op: String,
    method: String,
    path: String,
    body: Option<Value>,
    what: String,
    allowed: bool,
}

fn query_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every edge of every operation's body and query rules.
fn requests(doc: &Value) -> Vec<Request> {
    let mut out = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap().to_owned();
            let path = substitute(template, &uuid::Uuid::now_v7().to_string());
            let method = method.to_uppercase();
            let mut push = |path: String, body: Option<Value>, what: String, allowed: bool| {
                out.push(Request {
                    op: id.clone(),
                    method: method.clone(),
                    path,
                    body,
                    what,
                    allowed,
                })
            };
            let schema = &op["requestBody"]["content"]["application/json"]["schema"];
            if !schema.is_null() {
                let schema = resolve(doc, schema);
                let base = valid(doc, schema);
                push(
                    path.clone(),
                    Some(base.clone()),
                    "a valid body".into(),
                    true,
                );
                let required = |name: &str| {
                    schema["required"]
                        .as_array()
                        .is_some_and(|r| r.iter().any(|n| n == name))
                };
                for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
                    for e in edges(doc, prop, required(name)) {
                        let mut body = base.clone();
                        match e.value {
                            Some(v) => body[name] = v,
                            None => {
                                body.as_object_mut().unwrap().remove(name);
                            }
                        }
                        push(
                            path.clone(),
                            Some(body),
                            format!("{name}: {}", e.label),
                            e.allowed,
                        );
                    }
                }
            }
            for param in op["parameters"].as_array().into_iter().flatten() {
                if param["in"] != "query" {
                    continue;
                }
                let name = param["name"].as_str().unwrap();
                for e in edges(doc, &param["schema"], param["required"] == true) {
                    let Some(v) = e.value.filter(|v| !v.is_null()) else {
                        continue;
                    };
                    let query = form_urlencoded::Serializer::new(String::new())
                        .append_pair(name, &query_value(&v))
                        .finish();
                    push(
                        format!("{path}?{query}"),
                        None,
                        format!("?{name}: {}", e.label),
                        e.allowed,
                    );
                }
            }
        }
    }
    out
}

/// A 422 naming only rules that relate several fields, which the document cannot state
/// (`cc_types::rules::CROSS_FIELD_RULES`).
fn crosses_fields(reply: &crate::common::Reply) -> bool {
    let errors = reply.body["errors"].as_array();
    reply.status == 422
        && errors.is_some_and(|e| {
            !e.is_empty()
                && e.iter().all(|e| {
                    cc_types::rules::CROSS_FIELD_RULES.contains(&e["code"].as_str().unwrap_or(""))
                })
        })
}

/// Where the server's verdict differs from the document's, one line each.
async fn disagreements(app: &TestApp, token: &str, requests: &[Request]) -> Vec<String> {
    let mut out = Vec::new();
    for r in requests {
        let reply = app
            .send(&r.method, &r.path, Some(token), r.body.clone())
            .await;
        let refused = matches!(reply.status, 400 | 422);
        if r.allowed && crosses_fields(&reply) {
            continue;
        }
        if reply.status >= 500 || refused == r.allowed {
            let verdict = if r.allowed { "allows" } else { "forbids" };
            out.push(format!(
                "{} ({} {}): the document {verdict} {} but the server answered {} {}",
                r.op,
                r.method,
                r.path.split('?').next().unwrap_or_default(),
                r.what,
                reply.status,
                reply.body
            ));
        }
    }
    out
}

async fn app_and_admin() -> (TestApp, String) {
    let app = spawn_with(|c| c.rate_limit_per_minute = 1_000_000).await;
    let admin = app.admin_token().await;
    (app, admin)
}

#[actix_web::test]
async fn the_document_and_the_server_agree_on_every_rule() {
    let (app, admin) = app_and_admin().await;
    let doc = app.send("GET", "/openapi.json", None, None).await.body;
    let requests = requests(&doc);
    // Session-ending operations go last so the others keep the admin's session.
    let (last, first): (Vec<_>, Vec<_>) = requests
        .into_iter()
        .partition(|r| matches!(r.op.as_str(), "change_password" | "logout"));
    assert!(first.len() >= 150, "only {} requests", first.len());
    let mut wrong = disagreements(&app, &admin, &first).await;
    wrong.extend(disagreements(&app, &admin, &last).await);
    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The agreement test is not vacuous: take one bound out of the document and it notices.
#[actix_web::test]
async fn a_bound_missing_from_the_document_is_a_disagreement() {
    let (app, admin) = app_and_admin().await;
    let mut doc = app.send("GET", "/openapi.json", None, None).await.body;
    let name = &mut doc["components"]["schemas"]["CreateUserRequest"]["properties"]["display_name"];
    assert!(name.as_object_mut().unwrap().remove("maxLength").is_some());
    let params = doc["paths"]["/api/users"]["get"]["parameters"]
        .as_array_mut()
        .unwrap();
    let limit = params.iter_mut().find(|p| p["name"] == "limit").unwrap();
    assert!(
        limit["schema"]
            .as_object_mut()
            .unwrap()
            .remove("maximum")
            .is_some()
    );

    let requests: Vec<Request> = requests(&doc)
        .into_iter()
        .filter(|r| matches!(r.op.as_str(), "create_user" | "list_users"))
        .collect();
    let wrong = disagreements(&app, &admin, &requests).await;
    assert!(
        wrong
            .iter()
            .any(|w| w.contains("create_user") && w.contains("display_name: 4000 characters")),
        "{wrong:#?}"
    );
    assert!(
        wrong
            .iter()
            .any(|w| w.contains("list_users") && w.contains("?limit: 2^53 - 1")),
        "{wrong:#?}"
    );
    assert_eq!(wrong.len(), 2, "{wrong:#?}");
}
