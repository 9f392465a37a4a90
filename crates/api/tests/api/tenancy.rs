//! One organization never sees another's data: its ids answer 404 and its rows are
//! absent from lists.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, create_org, spawn_app};
use cc_types::Role;
use serde_json::json;

#[actix_web::test]
async fn another_organizations_ids_answer_404_and_lists_stay_separate() {
    let app = spawn_app().await;
    let admin_a = app.admin_token().await;
    let (user_a, email_a) = app.create_user(&admin_a, Role::Agent).await;
    let key_a = app
        .post(
            "/api/api-keys",
            &admin_a,
            json!({"name": "a", "role": "analyst", "scopes": ["read"]}),
        )
        .await;
    let key_a = key_a.body["api_key"]["id"].as_str().unwrap().to_owned();

    let email_b = format!("admin-b-{}@org.test", uuid::Uuid::now_v7().simple());
    create_org(&app.state, &email_b).await;
    let admin_b = app.login(&email_b, PASSWORD).await;

    for (method, path, body) in [
        ("GET", format!("/api/users/{user_a}"), None),
        (
            "PATCH",
            format!("/api/users/{user_a}"),
            Some(json!({"display_name": "stolen"})),
        ),
        ("POST", format!("/api/users/{user_a}/deactivate"), None),
        ("POST", format!("/api/users/{user_a}/reactivate"), None),
        ("DELETE", format!("/api/users/{user_a}"), None),
        ("DELETE", format!("/api/api-keys/{key_a}"), None),
    ] {
        let r = app.send(method, &path, Some(&admin_b), body).await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (404, Some("not_found")),
            "{method} {path}"
        );
    }
    let users_b = app.get("/api/users?limit=500", &admin_b).await.body;
    assert!(!users_b.to_string().contains(&email_a));
    assert_eq!(users_b["total"], 1);
    assert_eq!(app.get("/api/api-keys", &admin_b).await.body["total"], 0);
    let audit_b = app.get("/api/audit?limit=500", &admin_b).await.body;
    assert!(
        !audit_b.to_string().contains(&app.admin_email),
        "audit rows of A leak into B"
    );
    // The user of A is untouched.
    let still = app.get(&format!("/api/users/{user_a}"), &admin_a).await;
    assert_eq!(
        (
            still.body["display_name"].as_str(),
            still.body["active"].as_bool()
        ),
        (Some("Test User"), Some(true))
    );
}
