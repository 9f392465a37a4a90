//! The list's filters and who sees and changes which profile.

use super::*;

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
