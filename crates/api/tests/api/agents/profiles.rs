//! A profile's fields, who may have one, partial updates, and the deletions a profile
//! blocks.

use super::*;

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
