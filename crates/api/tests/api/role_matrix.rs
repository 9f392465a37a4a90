//! Walks every operation of the generated OpenAPI document: without credentials it
//! answers 401; with a role its security scopes do not list it answers 403; with a role
//! they list it is let through. So the declared roles and the enforced roles agree.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashMap};

use crate::common::spawn_app;
use cc_types::Role;
use serde_json::{Value, json};

/// Operations that are public on purpose.
const PUBLIC: &[&str] = &[
    "login",
    "refresh",
    "open_ws",
    "jwks",
    "healthz",
    "readyz",
    "get_metrics",
];

struct Op {
    method: String,
    path: String,
    id: String,
    roles: BTreeSet<String>,
}

/// `path` with every `{placeholder}` replaced by `value`.
pub fn substitute(path: &str, value: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => {
                out.push_str(value);
                rest = &rest[open + close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn operations(doc: &Value) -> Vec<Op> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap().to_owned();
            let mut roles = BTreeSet::new();
            for req in op["security"].as_array().into_iter().flatten() {
                for scopes in req.as_object().unwrap().values() {
                    roles.extend(
                        scopes
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|s| s.as_str().unwrap().to_owned()),
                    );
                }
            }
            let concrete = substitute(path, &uuid::Uuid::now_v7().to_string());
            ops.push(Op {
                method: method.to_uppercase(),
                path: concrete,
                id,
                roles,
            });
        }
    }
    // Operations that end a session go last so the others keep a valid token.
    ops.sort_by_key(|o| match o.id.as_str() {
        "change_password" => 1,
        "logout" => 2,
        _ => 0,
    });
    ops
}

#[actix_web::test]
async fn every_route_enforces_exactly_the_roles_it_declares() {
    let app = spawn_app().await;
    let doc = app.send("GET", "/openapi.json", None, None).await.body;
    let admin = app.admin_token().await;
    let mut tokens = HashMap::new();
    for role in Role::ALL {
        tokens.insert(role.as_str().to_owned(), app.token_for(&admin, role).await);
    }
    let ops = operations(&doc);
    assert!(ops.len() >= 15, "the document lists the routes");
    let mut checked = 0;
    for op in &ops {
        if op.roles.is_empty() {
            assert!(
                PUBLIC.contains(&op.id.as_str()),
                "{} {} declares no roles but is not a public route",
                op.method,
                op.path
            );
            continue;
        }
        let body = (op.method != "GET" && op.method != "DELETE").then(|| json!({}));
        let anonymous = app.send(&op.method, &op.path, None, body.clone()).await;
        assert_eq!(
            anonymous.status, 401,
            "{} {} without credentials",
            op.method, op.path
        );
        assert_eq!(
            anonymous.header("content-type").as_deref(),
            Some("application/problem+json")
        );
        for role in Role::ALL {
            let r = app
                .send(
                    &op.method,
                    &op.path,
                    Some(&tokens[role.as_str()]),
                    body.clone(),
                )
                .await;
            if op.roles.contains(role.as_str()) {
                assert!(
                    r.status != 401 && r.status != 403 && r.status < 500,
                    "{} {} refused or failed allowed role {}: {} {}",
                    op.method,
                    op.path,
                    role.as_str(),
                    r.status,
                    r.body
                );
            } else {
                assert_eq!(
                    r.status,
                    403,
                    "{} {} let role {} through",
                    op.method,
                    op.path,
                    role.as_str()
                );
                assert_eq!(r.body["code"], "forbidden");
            }
            checked += 1;
        }
    }
    assert!(checked >= 40);
}

#[test]
fn every_placeholder_is_substituted() {
    assert_eq!(substitute("/api/a/{id}/b/{other_id}", "X"), "/api/a/X/b/X");
    assert_eq!(substitute("/api/plain", "X"), "/api/plain");
}
