//! Listing users: pagination with totals, filters, text search.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::spawn_app;
use cc_types::Role;
use serde_json::json;

#[actix_web::test]
async fn pages_carry_the_total_and_filters_narrow_it() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, agent_a) = app.create_user(&admin, Role::Agent).await;
    app.create_user(&admin, Role::Agent).await;
    let (analyst, _) = app.create_user(&admin, Role::Analyst).await;

    let page = app.get("/api/users?limit=2", &admin).await.body;
    assert_eq!(
        (
            page["items"].as_array().unwrap().len(),
            page["total"].as_u64()
        ),
        (2, Some(4))
    );
    assert_eq!(page["items"][0]["id"], analyst.as_str(), "newest first");
    let beyond = app.get("/api/users?limit=2&offset=10", &admin).await.body;
    assert_eq!(
        (
            beyond["items"].as_array().unwrap().len(),
            beyond["total"].as_u64()
        ),
        (0, Some(4))
    );
    let agents = app.get("/api/users?role=agent", &admin).await.body;
    assert_eq!(agents["total"], 2);
    let needle = &agent_a[26..38]; // the random tail of the id in the address
    let found = app
        .get(&format!("/api/users?q={}", needle.to_uppercase()), &admin)
        .await
        .body;
    assert_eq!(found["total"], 1, "search is case-insensitive");
    assert_eq!(found["items"][0]["email"], agent_a.as_str());
    let none = app.get("/api/users?q=%25", &admin).await.body;
    assert_eq!(
        none["total"], 0,
        "a % in the search is a literal, not a wildcard"
    );
    assert!(
        !page.to_string().contains("password"),
        "hashes never leave the server"
    );
}

#[actix_web::test]
async fn a_change_to_a_user_is_visible_on_the_next_read_of_a_served_page() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, _) = app.create_user(&admin, Role::Agent).await;
    let first = app.get("/api/users?limit=50", &admin).await;
    assert_eq!(
        first.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(first.body["total"], 2);
    // Served again from the page cache, identical.
    assert_eq!(
        app.get("/api/users?limit=50", &admin).await.body,
        first.body
    );

    let renamed = app
        .send(
            "PATCH",
            &format!("/api/users/{id}"),
            Some(&admin),
            Some(json!({"display_name": "Renamed Agent"})),
        )
        .await;
    assert_eq!(renamed.status, 200);
    let page = app.get("/api/users?limit=50", &admin).await.body;
    assert_eq!(page["items"][0]["display_name"], "Renamed Agent");

    let removed = app
        .send("DELETE", &format!("/api/users/{id}"), Some(&admin), None)
        .await;
    assert_eq!(removed.status, 204);
    let page = app.get("/api/users?limit=50", &admin).await.body;
    assert_eq!(page["total"], 1);
    assert!(!page.to_string().contains(id.as_str()));

    let (added, _) = app.create_user(&admin, Role::Analyst).await;
    let page = app.get("/api/users?limit=50", &admin).await.body;
    assert_eq!(page["total"], 2);
    assert_eq!(page["items"][0]["id"], added.as_str());
}
