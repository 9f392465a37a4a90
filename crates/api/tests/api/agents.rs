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

#[actix_web::test]
async fn a_profile_holds_skills_languages_and_queues_and_follows_a_renamed_skill() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let billing = skill(&app, &admin, "Billing").await;
    let spanish = skill(&app, &admin, "Spanish").await;
    let queue = uuid::Uuid::now_v7();
    let (user, _) = app.create_user(&admin, Role::Agent).await;
    let body = json!({
        "user_id": user, "extension": "1001", "languages": ["es-mx", "cs", "CS"],
        "skills": [{"skill_id": billing, "level": 3}, {"skill_id": spanish, "level": 10},
                   {"skill_id": billing, "level": 7}],
        "queue_ids": [queue, queue], "time_zone": "Europe/Prague", "wrap_up_secs": 30
    });
    let created: Agent = TestApp::dto(app.post("/api/agents", &admin, body.clone()).await, 201);
    let langs: Vec<&str> = created.languages.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(langs, ["es-MX", "cs"], "canonical case, each once");
    let held: Vec<(&str, u8)> = created
        .skills
        .iter()
        .map(|s| (s.name.as_str(), s.level))
        .collect();
    assert_eq!(
        held,
        [("Billing", 7), ("Spanish", 10)],
        "the last level given wins"
    );
    assert_eq!(created.queue_ids, [queue]);
    assert_eq!(created.role, Role::Agent);
    assert_eq!(
        (
            created.time_zone.as_deref(),
            created.wrap_up_secs,
            created.accepts_ai_handoff
        ),
        (Some("Europe/Prague"), Some(30), true)
    );

    let again = app
        .post("/api/agents", &admin, json!({"user_id": body["user_id"]}))
        .await;
    assert_eq!(
        (again.status, again.body["code"].as_str()),
        (409, Some("agent_exists"))
    );
    let (other, _) = app.create_user(&admin, Role::Supervisor).await;
    let taken = app
        .post(
            "/api/agents",
            &admin,
            json!({"user_id": other, "extension": "1001"}),
        )
        .await;
    assert_eq!(
        (taken.status, taken.body["code"].as_str()),
        (409, Some("extension_taken"))
    );
    assert_eq!(taken.body["errors"][0]["field"], "extension");

    let renamed = app
        .send(
            "PATCH",
            &format!("/api/skills/{billing}"),
            Some(&admin),
            Some(json!({"name": "Invoices"})),
        )
        .await;
    assert_eq!(renamed.status, 200);
    let got: Agent = TestApp::dto(
        app.get(&format!("/api/agents/{}", created.id), &admin)
            .await,
        200,
    );
    assert_eq!(got.skills[0].name, "Invoices");
    assert_eq!(got.skills[0].skill_id.to_string(), billing);
}

#[actix_web::test]
async fn profiles_only_for_active_agents_and_supervisors_with_known_skills() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (analyst, _) = app.create_user(&admin, Role::Analyst).await;
    let (user, _) = app.create_user(&admin, Role::Agent).await;
    let cases = [
        (json!({"user_id": analyst}), 409, "user_id"),
        (json!({"user_id": uuid::Uuid::now_v7()}), 404, "user_id"),
        (
            json!({"user_id": user, "skills": [{"skill_id": uuid::Uuid::now_v7(), "level": 5}]}),
            404,
            "skills",
        ),
        (
            json!({"user_id": user, "team_id": uuid::Uuid::now_v7()}),
            404,
            "team_id",
        ),
        (
            json!({"user_id": user, "time_zone": "Europe/Brno"}),
            422,
            "time_zone",
        ),
        (
            json!({"user_id": user, "languages": ["czech"]}),
            422,
            "languages",
        ),
        (
            json!({"user_id": user, "extension": "12a4"}),
            422,
            "extension",
        ),
        (
            json!({"user_id": user, "wrap_up_secs": 3601}),
            422,
            "wrap_up_secs",
        ),
    ];
    for (body, status, field) in cases {
        let r = app.post("/api/agents", &admin, body.clone()).await;
        assert_eq!(r.status, status, "{body}: {}", r.body);
        assert_eq!(r.body["errors"][0]["field"], field, "{body}: {}", r.body);
    }
    let level = app
        .post(
            "/api/agents",
            &admin,
            json!({"user_id": user, "skills": [{"skill_id": uuid::Uuid::now_v7(), "level": 11}]}),
        )
        .await;
    assert_eq!(level.status, 422);
    assert_eq!(level.body["errors"][0]["field"], "skills[0].level");
    assert_eq!(
        app.get("/api/agents", &admin).await.body["total"],
        0,
        "no refused request left a profile behind"
    );

    // A deactivated agent cannot be given a profile.
    let r = app
        .post(&format!("/api/users/{user}/deactivate"), &admin, json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let inactive = app
        .post("/api/agents", &admin, json!({"user_id": user}))
        .await;
    assert_eq!(inactive.status, 409);
    assert_eq!(inactive.body["code"], "wrong_role");
}

#[actix_web::test]
async fn a_partial_update_changes_only_what_it_carries() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let sales = skill(&app, &admin, "Sales").await;
    let (id, _) = agent(
        &app,
        &admin,
        Role::Agent,
        json!({"extension": "200", "languages": ["en"], "skills": [{"skill_id": sales, "level": 4}],
               "time_zone": "America/New_York"}),
    )
    .await;
    let r = patch(&app, &admin, &id, json!({"accepts_ai_handoff": false})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (
            r.body["extension"].as_str(),
            r.body["skills"][0]["level"].as_u64(),
            r.body["time_zone"].as_str(),
            r.body["accepts_ai_handoff"].as_bool()
        ),
        (Some("200"), Some(4), Some("America/New_York"), Some(false))
    );
    let r = patch(
        &app,
        &admin,
        &id,
        json!({"extension": null, "time_zone": null, "skills": [], "languages": ["cs", "sk"]}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["extension"], Value::Null);
    assert_eq!(r.body["time_zone"], Value::Null);
    assert_eq!(r.body["skills"], json!([]));
    assert_eq!(r.body["languages"], json!(["cs", "sk"]));
}

#[actix_web::test]
async fn a_skill_agents_hold_is_not_deleted_and_the_refusal_names_them() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let chat = skill(&app, &admin, "Chat").await;
    let (id, _) = agent(
        &app,
        &admin,
        Role::Agent,
        json!({"skills": [{"skill_id": chat, "level": 2}]}),
    )
    .await;
    let refused = app
        .send("DELETE", &format!("/api/skills/{chat}"), Some(&admin), None)
        .await;
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (409, Some("skill_in_use"))
    );
    assert_eq!(
        (
            refused.body["conflicts"][0]["kind"].as_str(),
            refused.body["conflicts"][0]["id"].as_str(),
            refused.body["conflicts"][0]["name"].as_str()
        ),
        (Some("agent"), Some(id.as_str()), Some("Test User"))
    );
    assert_eq!(
        patch(&app, &admin, &id, json!({"skills": []})).await.status,
        200
    );
    let done = app
        .send("DELETE", &format!("/api/skills/{chat}"), Some(&admin), None)
        .await;
    assert_eq!(done.status, 204, "{}", done.body);
}

#[actix_web::test]
async fn a_team_with_members_is_deleted_only_by_saying_where_they_go() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let old = team(&app, &admin, json!({"name": "Old"})).await;
    let heir = team(&app, &admin, json!({"name": "Heir"})).await;
    let (member, _) = agent(&app, &admin, Role::Agent, json!({"team_id": old})).await;

    let refused = app
        .send("DELETE", &format!("/api/teams/{old}"), Some(&admin), None)
        .await;
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (409, Some("team_not_empty"))
    );
    assert_eq!(refused.body["conflicts"][0]["kind"], "agent");
    assert_eq!(refused.body["conflicts"][0]["id"], member.as_str());

    let done = app
        .send(
            "DELETE",
            &format!("/api/teams/{old}?move_to={heir}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(done.status, 204, "{}", done.body);
    let members = app.get(&format!("/api/teams/{heir}/agents"), &admin).await;
    assert_eq!(ids(&members.body), vec![member.clone()]);
    assert_eq!(
        app.get(&format!("/api/agents/{member}"), &admin).await.body["team_id"],
        heir.as_str()
    );
}

#[actix_web::test]
async fn the_list_filters_by_team_skill_name_and_the_unassigned() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let voice = skill(&app, &admin, "Voice").await;
    let north = team(&app, &admin, json!({"name": "North"})).await;
    let (a, _) = agent(
        &app,
        &admin,
        Role::Agent,
        json!({"team_id": north, "skills": [{"skill_id": voice, "level": 1}]}),
    )
    .await;
    let (b, email_b) = agent(&app, &admin, Role::Agent, json!({})).await;
    let (c, _) = agent(&app, &admin, Role::Supervisor, json!({"team_id": north})).await;

    let q = |query: String| {
        let app = &app;
        let admin = admin.clone();
        async move { app.get(&format!("/api/agents?{query}"), &admin).await.body }
    };
    assert_eq!(
        ids(&q(format!("team_id={north}")).await),
        sorted(vec![&a, &c])
    );
    assert_eq!(ids(&q(format!("skill_id={voice}")).await), vec![a.clone()]);
    assert_eq!(ids(&q("unassigned=true".into()).await), vec![b.clone()]);
    let needle = &email_b[..email_b.find('@').unwrap()];
    assert_eq!(
        ids(&q(format!("q={}", needle.to_uppercase())).await),
        vec![b.clone()]
    );
    let page = q("limit=2&offset=2".into()).await;
    assert_eq!(
        (
            page["total"].as_u64(),
            page["items"].as_array().unwrap().len()
        ),
        (Some(3), 1)
    );
}

#[actix_web::test]
async fn each_role_sees_and_changes_the_agents_of_its_scope() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (supervisor, sup_email) = app.create_user(&admin, Role::Supervisor).await;
    let sup = app.login(&sup_email, PASSWORD).await;
    let top = team(
        &app,
        &admin,
        json!({"name": "Top", "manager_id": supervisor}),
    )
    .await;
    let sub = team(&app, &admin, json!({"name": "Sub", "parent_team_id": top})).await;
    let other = team(&app, &admin, json!({"name": "Other"})).await;
    let (in_sub, in_sub_email) = agent(&app, &admin, Role::Agent, json!({"team_id": sub})).await;
    let (in_other, _) = agent(&app, &admin, Role::Agent, json!({"team_id": other})).await;
    let (pool, _) = agent(&app, &admin, Role::Agent, json!({})).await;
    let (peer, _) = agent(&app, &admin, Role::Supervisor, json!({})).await;

    // A supervisor sees their subtree and the unassigned pool, never other teams.
    let seen = app.get("/api/agents", &sup).await.body;
    assert_eq!(ids(&seen), sorted(vec![&in_sub, &pool, &peer]));
    assert_eq!(
        app.get(&format!("/api/agents/{in_other}"), &sup)
            .await
            .status,
        404
    );
    assert_eq!(
        patch(&app, &sup, &in_other, json!({"extension": "77"}))
            .await
            .status,
        404
    );
    assert_eq!(
        app.get(&format!("/api/teams/{other}/agents"), &sup)
            .await
            .status,
        404
    );
    // …staffs their teams from the pool, but not teams outside their subtree…
    assert_eq!(assign(&app, &sup, &pool, Some(&sub)).await.status, 200);
    let outside = assign(&app, &sup, &in_sub, Some(&other)).await;
    assert_eq!(
        (outside.status, outside.body["errors"][0]["field"].as_str()),
        (404, Some("team_id"))
    );
    // …and changes agents' profiles, not another supervisor's.
    assert_eq!(
        patch(&app, &sup, &in_sub, json!({"extension": "300"}))
            .await
            .status,
        200
    );
    assert_eq!(
        patch(&app, &sup, &peer, json!({"extension": "301"}))
            .await
            .status,
        403
    );
    let (sup_user, _) = app.create_user(&admin, Role::Supervisor).await;
    assert_eq!(
        app.post("/api/agents", &sup, json!({"user_id": sup_user}))
            .await
            .status,
        403
    );

    // An agent sees their own profile and their team, and changes nothing.
    let member = app.login(&in_sub_email, PASSWORD).await;
    let me: Agent = TestApp::dto(app.get("/api/agents/me", &member).await, 200);
    assert_eq!(me.id.to_string(), in_sub);
    assert_eq!(
        ids(&app.get("/api/agents", &member).await.body),
        sorted(vec![&in_sub, &pool])
    );
    let teams = app.get("/api/teams", &member).await.body;
    assert_eq!(teams["items"][0]["id"], sub.as_str());
    assert_eq!(teams["total"], 1);
    assert_eq!(
        patch(&app, &member, &in_sub, json!({"extension": "99"}))
            .await
            .status,
        403
    );

    // An analyst reads everything and has no profile of their own.
    let analyst = app.token_for(&admin, Role::Analyst).await;
    assert_eq!(app.get("/api/agents", &analyst).await.body["total"], 4);
    assert_eq!(app.get("/api/agents/me", &analyst).await.status, 404);
    assert_eq!(
        app.send(
            "DELETE",
            &format!("/api/agents/{pool}"),
            Some(&analyst),
            None
        )
        .await
        .status,
        403
    );
    let deleted = app
        .send("DELETE", &format!("/api/agents/{pool}"), Some(&sup), None)
        .await;
    assert_eq!(deleted.status, 204);
    assert_eq!(
        app.get(&format!("/api/agents/{pool}"), &admin).await.status,
        404
    );
}
