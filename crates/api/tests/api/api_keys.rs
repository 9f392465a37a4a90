//! API keys: a key mints nothing stronger than itself, and keys answer to the person who
//! (directly or through another key) created them.

use crate::common::{PASSWORD, spawn_app};
use cc_types::Role;
use cc_types::api_keys::{ApiScope, CreateApiKeyRequest};

fn key(name: &str, role: Role, scopes: &[ApiScope]) -> CreateApiKeyRequest {
    CreateApiKeyRequest {
        name: name.into(),
        role,
        scopes: scopes.to_vec(),
        expires_in_days: None,
    }
}

#[actix_web::test]
async fn a_key_cannot_mint_a_key_with_scopes_or_a_role_it_lacks() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    use ApiScope::{Read, Write};
    // A supervisor key cannot reach key management at all.
    let writer = app
        .new_api_key(&admin, &key("writer", Role::Supervisor, &[Write]))
        .await
        .unwrap();
    let refused = app
        .new_api_key(&writer.key, &key("x", Role::Supervisor, &[Write]))
        .await
        .unwrap_err();
    assert_eq!(refused.status, 403);

    let admin_writer = app
        .new_api_key(&admin, &key("admin writer", Role::Admin, &[Write]))
        .await
        .unwrap();
    for (name, req) in [
        ("more scopes", key("stronger", Role::Admin, &[Read, Write])),
        ("other scope", key("reader", Role::Agent, &[Read])),
    ] {
        let refused = app.new_api_key(&admin_writer.key, &req).await.unwrap_err();
        assert_eq!(
            (refused.status, refused.body["code"].as_str()),
            (403, Some("api_key_exceeds_caller")),
            "{name}"
        );
    }
    let narrower = app
        .new_api_key(&admin_writer.key, &key("narrower", Role::Agent, &[Write]))
        .await
        .unwrap();
    assert_eq!(
        (narrower.api_key.role, narrower.api_key.scopes),
        (Role::Agent, vec![Write])
    );
}

#[actix_web::test]
async fn keys_stop_working_when_the_person_behind_them_is_deactivated() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let creator = app.new_user(&admin, Role::Admin).await;
    let creator_token = app.login(&creator.email, PASSWORD).await;
    use ApiScope::{Read, Write};
    let parent = app
        .new_api_key(&creator_token, &key("parent", Role::Admin, &[Read, Write]))
        .await
        .unwrap();
    // A key made by that key answers to the same person.
    let child = app
        .new_api_key(&parent.key, &key("child", Role::Admin, &[Read]))
        .await
        .unwrap();
    for k in [&parent.key, &child.key] {
        assert_eq!(app.get("/api/users", k).await.status, 200);
    }

    let id = creator.id;
    let r = app
        .post(
            &format!("/api/users/{id}/deactivate"),
            &admin,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for k in [&parent.key, &child.key] {
        let r = app.get("/api/users", k).await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (401, Some("token_revoked")),
            "a key of a deactivated person"
        );
    }
    // Reactivated, the person's keys work again: they were suspended, not revoked.
    let r = app
        .post(
            &format!("/api/users/{id}/reactivate"),
            &admin,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(app.get("/api/users", &parent.key).await.status, 200);
    assert_eq!(app.me(&admin).await.user.role, Role::Admin);
}

#[actix_web::test]
async fn a_persons_own_routes_refuse_api_keys_as_the_document_says() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let full = app
        .new_api_key(
            &admin,
            &key("full", Role::Admin, &[ApiScope::Read, ApiScope::Write]),
        )
        .await
        .unwrap();
    let doc = app.send("GET", "/openapi.json", None, None).await.body;
    for (method, path) in [
        ("GET", "/api/auth/me"),
        ("POST", "/api/auth/logout"),
        ("POST", "/api/auth/password"),
    ] {
        let security = &doc["paths"][path][method.to_lowercase()]["security"];
        assert!(
            !security.to_string().contains("api_key"),
            "{method} {path} is documented for people only"
        );
        let body = (method == "POST").then(
            || serde_json::json!({"current_password": "x", "new_password": "long-enough-pw"}),
        );
        let r = app.send(method, path, Some(&full.key), body).await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (403, Some("forbidden")),
            "{method} {path} with an API key"
        );
    }
}

#[actix_web::test]
async fn a_key_expires_the_number_of_days_after_its_creation() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut req = key("for a week", Role::Admin, &[ApiScope::Read]);
    req.expires_in_days = Some(7);
    let created = app.new_api_key(&admin, &req).await.unwrap();
    let expires = created.api_key.expires_at.unwrap();
    assert_eq!(
        expires - created.api_key.created_at,
        chrono::Duration::days(7)
    );
    assert_eq!(app.get("/api/users", &created.key).await.status, 200);
    app.advance(std::time::Duration::from_secs(7 * 86_400 - 60));
    assert_eq!(app.get("/api/users", &created.key).await.status, 200);
    app.advance(std::time::Duration::from_secs(61));
    assert_eq!(app.get("/api/users", &created.key).await.status, 401);
}
