//! API keys: a key mints nothing stronger than itself, and keys answer to the person who
//! (directly or through another key) created them.

use crate::common::{PASSWORD, TestApp, spawn_app};
use cc_types::Role;
use serde_json::{Value, json};

async fn create_key(app: &TestApp, credential: &str, body: Value) -> (u16, Value) {
    let r = app.post("/api/api-keys", credential, body).await;
    (r.status, r.body)
}

#[actix_web::test]
async fn a_key_cannot_mint_a_key_with_scopes_or_a_role_it_lacks() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (status, body) = create_key(
        &app,
        &admin,
        json!({"name": "writer", "role": "supervisor", "scopes": ["write"]}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    // A supervisor key cannot reach key management at all.
    let writer = body["key"].as_str().unwrap().to_owned();
    let (status, _) = create_key(
        &app,
        &writer,
        json!({"name": "x", "role": "supervisor", "scopes": ["write"]}),
    )
    .await;
    assert_eq!(status, 403);

    let (_, body) = create_key(
        &app,
        &admin,
        json!({"name": "admin writer", "role": "admin", "scopes": ["write"]}),
    )
    .await;
    let admin_writer = body["key"].as_str().unwrap().to_owned();
    for (scopes, role) in [
        (json!(["read", "write"]), "admin"),
        (json!(["read"]), "agent"),
    ] {
        let (status, body) = create_key(
            &app,
            &admin_writer,
            json!({"name": format!("stronger {scopes}"), "role": role, "scopes": scopes}),
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("api_key_exceeds_caller")),
            "{scopes} {role}"
        );
    }
    let (status, body) = create_key(
        &app,
        &admin_writer,
        json!({"name": "narrower", "role": "agent", "scopes": ["write"]}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
}

#[actix_web::test]
async fn keys_stop_working_when_the_person_behind_them_is_deactivated() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (creator_id, creator_email) = app.create_user(&admin, Role::Admin).await;
    let creator = app.login(&creator_email, PASSWORD).await;
    let (_, body) = create_key(
        &app,
        &creator,
        json!({"name": "parent", "role": "admin", "scopes": ["read", "write"]}),
    )
    .await;
    let parent = body["key"].as_str().unwrap().to_owned();
    // A key made by that key answers to the same person.
    let (status, body) = create_key(
        &app,
        &parent,
        json!({"name": "child", "role": "admin", "scopes": ["read"]}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let child = body["key"].as_str().unwrap().to_owned();
    for key in [&parent, &child] {
        assert_eq!(app.get("/api/users", key).await.status, 200);
    }

    let r = app
        .post(
            &format!("/api/users/{creator_id}/deactivate"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for key in [&parent, &child] {
        let r = app.get("/api/users", key).await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (401, Some("token_revoked")),
            "a key of a deactivated person"
        );
    }
    // Reactivated, the person's keys work again: they were suspended, not revoked.
    let r = app
        .post(
            &format!("/api/users/{creator_id}/reactivate"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(app.get("/api/users", &parent).await.status, 200);
}
