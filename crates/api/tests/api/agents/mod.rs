//! Agent profiles: skills from the catalogue at levels 1–10, languages, queues, extensions
//! unique per organization, team membership (and what it blocks), filters, and who sees
//! and changes which profile.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, Reply, TestApp, spawn_app};
use cc_types::Role;
use cc_types::agents::Agent;
use serde_json::{Value, json};

async fn id_of(reply: Reply) -> String {
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

async fn skill(app: &TestApp, token: &str, name: &str) -> String {
    id_of(app.post("/api/skills", token, json!({"name": name})).await).await
}

async fn team(app: &TestApp, token: &str, body: Value) -> String {
    id_of(app.post("/api/teams", token, body).await).await
}

/// A new user of `role` with a profile made by `admin`; answers (agent id, user email).
async fn agent(app: &TestApp, admin: &str, role: Role, body: Value) -> (String, String) {
    let (user, email) = app.create_user(admin, role).await;
    let mut body = body;
    body["user_id"] = json!(user);
    (
        id_of(app.post("/api/agents", admin, body).await).await,
        email,
    )
}

async fn patch(app: &TestApp, token: &str, id: &str, body: Value) -> Reply {
    app.send(
        "PATCH",
        &format!("/api/agents/{id}"),
        Some(token),
        Some(body),
    )
    .await
}

async fn assign(app: &TestApp, token: &str, id: &str, team: Option<&str>) -> Reply {
    app.send(
        "PUT",
        &format!("/api/agents/{id}/assign"),
        Some(token),
        Some(json!({ "team_id": team })),
    )
    .await
}

fn ids(page: &Value) -> Vec<String> {
    let mut ids: Vec<String> = page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page: {page}"))
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn sorted(mut v: Vec<&String>) -> Vec<String> {
    v.sort();
    v.into_iter().cloned().collect()
}

mod import;
mod profiles;
mod scope;
