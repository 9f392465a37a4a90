//! Teams: the hierarchy, cycles refused (also when two moves race), deletion that says
//! where child teams go, and who sees and changes which team.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, TestApp, spawn_app};
use cc_types::Role;
use serde_json::{Value, json};

async fn team(app: &TestApp, token: &str, name: &str, parent: Option<&str>) -> String {
    let r = app
        .post(
            "/api/teams",
            token,
            json!({"name": name, "parent_team_id": parent}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}

async fn patch(app: &TestApp, token: &str, id: &str, body: Value) -> crate::common::Reply {
    app.send(
        "PATCH",
        &format!("/api/teams/{id}"),
        Some(token),
        Some(body),
    )
    .await
}

fn names(page: &Value) -> Vec<String> {
    let mut names: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

#[actix_web::test]
async fn teams_form_a_tree_with_unique_names_and_a_manager_who_manages() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let sales = team(&app, &admin, "Sales", None).await;
    let inbound = team(&app, &admin, "Inbound", Some(&sales)).await;
    let got = app.get(&format!("/api/teams/{inbound}"), &admin).await;
    assert_eq!(
        (
            got.body["name"].as_str(),
            got.body["parent_team_id"].as_str()
        ),
        (Some("Inbound"), Some(sales.as_str()))
    );

    let taken = app
        .post("/api/teams", &admin, json!({"name": "  sales "}))
        .await;
    assert_eq!(
        (taken.status, taken.body["code"].as_str()),
        (409, Some("name_taken"))
    );
    let orphan = app
        .post(
            "/api/teams",
            &admin,
            json!({"name": "Lost", "parent_team_id": uuid::Uuid::now_v7()}),
        )
        .await;
    assert_eq!(
        (orphan.status, orphan.body["code"].as_str()),
        (404, Some("not_found"))
    );
    assert_eq!(orphan.body["errors"][0]["field"], "parent_team_id");

    let (agent, _) = app.create_user(&admin, Role::Agent).await;
    let refused = patch(&app, &admin, &inbound, json!({"manager_id": agent})).await;
    assert_eq!(refused.status, 409, "an agent cannot manage a team");
    assert_eq!(
        (
            refused.body["code"].as_str(),
            refused.body["errors"][0]["field"].as_str()
        ),
        (Some("wrong_role"), Some("manager_id"))
    );
    let (supervisor, _) = app.create_user(&admin, Role::Supervisor).await;
    let managed = patch(
        &app,
        &admin,
        &inbound,
        json!({"manager_id": supervisor, "name": "Inbound CZ"}),
    )
    .await;
    assert_eq!(
        (managed.status, managed.body["manager_id"].as_str()),
        (200, Some(supervisor.as_str()))
    );
    // Omitted fields keep their values; null clears the manager.
    assert_eq!(managed.body["parent_team_id"], sales.as_str());
    let cleared = patch(&app, &admin, &inbound, json!({"manager_id": null})).await;
    assert!(cleared.body["manager_id"].is_null(), "{}", cleared.body);
    assert_eq!(
        names(&app.get("/api/teams?q=INB", &admin).await.body),
        ["Inbound CZ"]
    );
}

#[actix_web::test]
async fn a_move_under_itself_or_below_itself_is_refused_with_its_own_code() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let a = team(&app, &admin, "A", None).await;
    let b = team(&app, &admin, "B", Some(&a)).await;
    let c = team(&app, &admin, "C", Some(&b)).await;
    for target in [&a, &b, &c] {
        let r = patch(&app, &admin, &a, json!({"parent_team_id": target})).await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (422, Some("team_cycle")),
            "A under {target}"
        );
    }
    // Moving down the tree is fine, and so is back to the top.
    let moved = patch(&app, &admin, &c, json!({"parent_team_id": a})).await;
    assert_eq!(moved.body["parent_team_id"], a.as_str());
    let top = patch(&app, &admin, &b, json!({"parent_team_id": null})).await;
    assert!(top.body["parent_team_id"].is_null());
}

#[actix_web::test]
async fn two_moves_that_together_would_make_a_cycle_never_both_succeed() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for _ in 0..5 {
        let x = team(&app, &admin, &format!("X {}", uuid::Uuid::now_v7()), None).await;
        let y = team(&app, &admin, &format!("Y {}", uuid::Uuid::now_v7()), None).await;
        let (first, second) = futures_util::join!(
            patch(&app, &admin, &x, json!({"parent_team_id": y})),
            patch(&app, &admin, &y, json!({"parent_team_id": x})),
        );
        let statuses = [first.status, second.status];
        assert!(
            statuses.contains(&200) && statuses.contains(&422),
            "{statuses:?}"
        );
        let x_parent =
            app.get(&format!("/api/teams/{x}"), &admin).await.body["parent_team_id"].clone();
        let y_parent =
            app.get(&format!("/api/teams/{y}"), &admin).await.body["parent_team_id"].clone();
        assert!(
            x_parent.is_null() || y_parent.is_null(),
            "a cycle was stored"
        );
    }
}

#[actix_web::test]
async fn a_team_with_child_teams_is_deleted_only_by_saying_where_they_go() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let old = team(&app, &admin, "Old", None).await;
    let child = team(&app, &admin, "Child", Some(&old)).await;
    let heir = team(&app, &admin, "Heir", None).await;

    let refused = app
        .send("DELETE", &format!("/api/teams/{old}"), Some(&admin), None)
        .await;
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (409, Some("team_not_empty"))
    );
    assert_eq!(refused.body["conflicts"][0]["id"], child.as_str());
    assert_eq!(refused.body["conflicts"][0]["name"], "Child");
    assert_eq!(refused.body["conflicts"][0]["kind"], "team");
    let below = app
        .send(
            "DELETE",
            &format!("/api/teams/{old}?move_to={child}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        (below.status, below.body["code"].as_str()),
        (422, Some("team_cycle"))
    );

    let done = app
        .send(
            "DELETE",
            &format!("/api/teams/{old}?move_to={heir}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(done.status, 204, "{}", done.body);
    assert_eq!(
        app.get(&format!("/api/teams/{old}"), &admin).await.status,
        404
    );
    assert_eq!(
        app.get(&format!("/api/teams/{child}"), &admin).await.body["parent_team_id"],
        heir.as_str()
    );
    let leaf = app
        .send("DELETE", &format!("/api/teams/{child}"), Some(&admin), None)
        .await;
    assert_eq!(leaf.status, 204);
}

#[actix_web::test]
async fn each_role_sees_and_changes_the_teams_of_its_scope() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (supervisor, sup_email) = app.create_user(&admin, Role::Supervisor).await;
    let sup = app.login(&sup_email, PASSWORD).await;
    let analyst = app.token_for(&admin, Role::Analyst).await;
    let agent = app.token_for(&admin, Role::Agent).await;
    let root = team(&app, &admin, "Root", None).await;
    let mine = team(&app, &admin, "Mine", Some(&root)).await;
    let below = team(&app, &admin, "Below", Some(&mine)).await;
    let other = team(&app, &admin, "Other", Some(&root)).await;
    assert_eq!(
        patch(&app, &admin, &mine, json!({"manager_id": supervisor}))
            .await
            .status,
        200
    );

    assert_eq!(
        names(&app.get("/api/teams", &admin).await.body),
        ["Below", "Mine", "Other", "Root"]
    );
    assert_eq!(
        names(&app.get("/api/teams", &analyst).await.body),
        ["Below", "Mine", "Other", "Root"]
    );
    assert_eq!(
        names(&app.get("/api/teams", &sup).await.body),
        ["Below", "Mine"]
    );
    assert_eq!(app.get("/api/teams", &agent).await.body["total"], 0);

    // The supervisor manages their subtree and nothing else, which answers as missing.
    assert_eq!(
        app.get(&format!("/api/teams/{other}"), &sup).await.status,
        404
    );
    assert_eq!(
        patch(&app, &sup, &other, json!({"name": "Taken over"}))
            .await
            .status,
        404
    );
    assert_eq!(
        patch(&app, &sup, &below, json!({"name": "Below 2"}))
            .await
            .status,
        200
    );
    let sub = app
        .post(
            "/api/teams",
            &sup,
            json!({"name": "Sub", "parent_team_id": below}),
        )
        .await;
    assert_eq!(sub.status, 201, "{}", sub.body);
    let outside = app
        .post(
            "/api/teams",
            &sup,
            json!({"name": "Out", "parent_team_id": other}),
        )
        .await;
    assert_eq!(
        outside.status, 404,
        "a parent outside the scope is not there"
    );
    assert_eq!(outside.body["errors"][0]["field"], "parent_team_id");
    let top = app.post("/api/teams", &sup, json!({"name": "Top"})).await;
    assert_eq!(
        (top.status, top.body["code"].as_str()),
        (403, Some("forbidden"))
    );
    let away = patch(&app, &sup, &below, json!({"parent_team_id": other})).await;
    assert_eq!(away.status, 404, "cannot move a team out of the scope");

    // Analysts and agents read only.
    for token in [&analyst, &agent] {
        assert_eq!(
            app.post("/api/teams", token, json!({"name": "No"}))
                .await
                .status,
            403
        );
        assert_eq!(
            patch(&app, token, &root, json!({"name": "No"}))
                .await
                .status,
            403
        );
    }
}
