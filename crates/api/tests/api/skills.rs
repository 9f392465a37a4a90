//! The skill catalogue: names unique per organization whatever their case, a rename keeps
//! the id, and only admins and supervisors change it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::spawn_app;
use cc_types::Role;
use serde_json::json;

#[actix_web::test]
async fn the_catalogue_keeps_names_unique_renames_in_place_and_pages_by_name() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut ids = Vec::new();
    for name in ["Spanish", "billing", "Czech"] {
        let r = app.post("/api/skills", &admin, json!({"name": name})).await;
        assert_eq!(r.status, 201, "{}", r.body);
        ids.push(r.body["id"].as_str().unwrap().to_owned());
    }
    let taken = app
        .post("/api/skills", &admin, json!({"name": " BILLING "}))
        .await;
    assert_eq!(
        (taken.status, taken.body["code"].as_str()),
        (409, Some("name_taken"))
    );
    assert_eq!(taken.body["errors"][0]["field"], "name");

    let page = app.get("/api/skills?limit=2", &admin).await.body;
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        (names, page["total"].as_u64()),
        (vec!["billing", "Czech"], Some(3))
    );
    assert_eq!(
        app.get("/api/skills?q=SPAN", &admin).await.body["items"][0]["id"],
        ids[0].as_str()
    );
    assert_eq!(app.get("/api/skills?q=%25", &admin).await.body["total"], 0);

    let renamed = app
        .send(
            "PATCH",
            &format!("/api/skills/{}", ids[0]),
            Some(&admin),
            Some(json!({"name": "Español"})),
        )
        .await;
    assert_eq!(
        (renamed.status, renamed.body["id"].as_str()),
        (200, Some(ids[0].as_str()))
    );
    assert_eq!(renamed.body["name"], "Español");
    let clash = app
        .send(
            "PATCH",
            &format!("/api/skills/{}", ids[0]),
            Some(&admin),
            Some(json!({"name": "czech"})),
        )
        .await;
    assert_eq!(clash.status, 409);

    let gone = app
        .send(
            "DELETE",
            &format!("/api/skills/{}", ids[1]),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(gone.status, 204);
    assert_eq!(app.get("/api/skills", &admin).await.body["total"], 2);
    let again = app
        .send(
            "DELETE",
            &format!("/api/skills/{}", ids[1]),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(again.status, 404);
}

#[actix_web::test]
async fn everyone_reads_the_catalogue_and_only_admins_and_supervisors_change_it() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let supervisor = app.token_for(&admin, Role::Supervisor).await;
    let created = app
        .post("/api/skills", &supervisor, json!({"name": "Tier 2"}))
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["id"].as_str().unwrap();
    for role in [Role::Agent, Role::Analyst] {
        let token = app.token_for(&admin, role).await;
        assert_eq!(
            app.get("/api/skills", &token).await.body["total"],
            1,
            "{role:?} reads"
        );
        assert_eq!(
            app.post("/api/skills", &token, json!({"name": "No"}))
                .await
                .status,
            403
        );
        let rename = app
            .send(
                "PATCH",
                &format!("/api/skills/{id}"),
                Some(&token),
                Some(json!({"name": "No"})),
            )
            .await;
        assert_eq!(rename.status, 403);
        let delete = app
            .send("DELETE", &format!("/api/skills/{id}"), Some(&token), None)
            .await;
        assert_eq!(delete.status, 403);
    }
}
