//! Changes by the agent and forced by a supervisor, the topics each role follows, and
//! raced changes.

use super::*;

#[actix_web::test]
async fn an_agents_day_goes_through_the_state_machine_and_every_step_is_logged() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, agent) = agent_in(&app, &admin, None).await;

    let first = mine(&app, &agent, "log_in", None).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(
        (
            first.body["state"].as_str(),
            first.body["version"].as_u64(),
            first.body["forced"].as_bool()
        ),
        (Some("available"), Some(1), Some(false))
    );
    app.advance(Duration::from_secs(90));
    let paused = mine(&app, &agent, "set_not_ready", Some("lunch")).await;
    assert_eq!(
        (
            paused.body["state"].as_str(),
            paused.body["reason"].as_str(),
            paused.body["previous"].as_str()
        ),
        (Some("not_ready"), Some("lunch"), Some("available"))
    );
    // The time in the previous state: the 90 s the clock was moved, plus the real
    // milliseconds the requests took.
    let secs = paused.body["previous_secs"].as_f64().unwrap();
    assert!((90.0..95.0).contains(&secs), "{secs}");
    // An impossible change names the state and the event.
    let again = mine(&app, &agent, "log_in", None).await;
    assert_eq!(
        (again.status, again.body["code"].as_str()),
        (409, Some("invalid_transition"))
    );
    assert_eq!(
        (
            again.body["transition"]["state"].as_str(),
            again.body["transition"]["event"].as_str()
        ),
        (Some("not_ready"), Some("log_in"))
    );
    let unknown = mine(&app, &agent, "set_not_ready", Some("karaoke")).await;
    assert_eq!(
        (unknown.status, unknown.body["errors"][0]["field"].as_str()),
        (404, Some("reason"))
    );
    assert_eq!(mine(&app, &agent, "set_ready", None).await.status, 200);
    let out = mine(&app, &agent, "log_out", None).await;
    assert_eq!(
        (out.body["state"].as_str(), out.body["version"].as_u64()),
        (Some("offline"), Some(4))
    );

    // The profile shows the current state, and the list filters by it.
    let got = app.get(&format!("/api/agents/{id}"), &admin).await;
    assert_eq!(got.body["presence"]["state"], "offline");
    assert_eq!(got.body["presence"]["version"], 4);
    assert_eq!(mine(&app, &agent, "log_in", None).await.status, 200);
    let available = app.get("/api/agents?state=available", &admin).await;
    assert_eq!(available.body["items"][0]["id"], id.as_str());
    assert_eq!(
        app.get("/api/agents?state=offline", &admin).await.body["total"],
        0
    );

    // An analyst or an admin without a profile has no state of their own.
    let analyst = app.token_for(&admin, Role::Analyst).await;
    assert_eq!(mine(&app, &analyst, "log_in", None).await.status, 404);
}

#[actix_web::test]
async fn a_supervisor_forces_their_agents_and_the_change_is_forced_audited_and_published() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (sup_id, sup_email) = app.create_user(&admin, Role::Supervisor).await;
    let sup = app.login(&sup_email, PASSWORD).await;
    let floor = team(&app, &admin, json!({"name": "Floor", "manager_id": sup_id})).await;
    let elsewhere = team(&app, &admin, json!({"name": "Elsewhere"})).await;
    let (id, agent) = agent_in(&app, &admin, Some(&floor)).await;
    let (stranger, _) = agent_in(&app, &admin, Some(&elsewhere)).await;

    let mut own = follow(&app, &agent, &format!("agent:{id}")).await;
    let mut team_socket = follow(&app, &sup, &format!("team:{floor}")).await;
    let mut org = follow(&app, &admin, "organization").await;

    assert_eq!(mine(&app, &agent, "log_in", None).await.status, 200);
    let forced = force(&app, &sup, &id, "set_not_ready", Some("meeting")).await;
    assert_eq!(forced.status, 200, "{}", forced.body);
    assert_eq!(
        (
            forced.body["forced"].as_bool(),
            forced.body["cause"].as_str(),
            forced.body["state"].as_str()
        ),
        (Some(true), Some("supervisor"), Some("not_ready"))
    );
    for socket in [&mut own, &mut team_socket, &mut org] {
        let first = next_event(socket).await;
        assert_eq!(
            (first["kind"].as_str(), first["state"].as_str()),
            (Some("agent_state_changed"), Some("available"))
        );
        let second = next_event(socket).await;
        assert_eq!(
            (
                second["forced"].as_bool(),
                second["reason"].as_str(),
                second["version"].as_u64()
            ),
            (Some(true), Some("meeting"), Some(2))
        );
        assert_eq!(second["previous"], "available");
    }
    let audit = app.get("/api/audit?limit=20", &admin).await;
    let entry = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["target_id"] == id.as_str() && e["action"] == "force_agent_state")
        .unwrap_or_else(|| panic!("no audit entry for the forced change: {}", audit.body));
    assert_eq!(entry["actor_user_id"], sup_id.as_str());

    // Outside the supervisor's teams there is nobody to force; an agent forces nobody.
    assert_eq!(
        force(&app, &sup, &stranger, "log_in", None).await.status,
        404
    );
    assert_eq!(
        force(&app, &agent, &stranger, "log_in", None).await.status,
        403
    );
}

#[actix_web::test]
async fn each_role_follows_exactly_the_agent_and_team_topics_of_its_scope() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (sup_id, sup_email) = app.create_user(&admin, Role::Supervisor).await;
    let sup = app.login(&sup_email, PASSWORD).await;
    let top = team(&app, &admin, json!({"name": "Top", "manager_id": sup_id})).await;
    let below = team(
        &app,
        &admin,
        json!({"name": "Below", "parent_team_id": top}),
    )
    .await;
    let other = team(&app, &admin, json!({"name": "Other"})).await;
    let (mate, agent) = agent_in(&app, &admin, Some(&below)).await;
    let (outsider, _) = agent_in(&app, &admin, Some(&other)).await;
    let (colleague, _) = agent_in(&app, &admin, Some(&below)).await;
    let analyst = app.token_for(&admin, Role::Analyst).await;

    let cases = [
        (&agent, format!("agent:{mate}"), true),
        (&agent, format!("team:{below}"), true),
        (&agent, format!("agent:{colleague}"), false),
        (&agent, format!("team:{other}"), false),
        (&sup, format!("team:{top}"), true),
        (&sup, format!("team:{below}"), true),
        (&sup, format!("agent:{mate}"), true),
        (&sup, format!("team:{other}"), false),
        (&sup, format!("agent:{outsider}"), false),
        (&admin, format!("team:{other}"), true),
        (&analyst, format!("team:{other}"), true),
        (&analyst, format!("agent:{outsider}"), true),
    ];
    for (token, topic, allowed) in cases {
        let mut socket = connect(&app, &ticket(&app, token).await).await.unwrap();
        next_message(&mut socket).await;
        send(&mut socket, json!({"type": "subscribe", "topic": topic})).await;
        let got = matches!(
            next_message(&mut socket).await,
            ServerMessage::Subscribed { .. }
        );
        assert_eq!(got, allowed, "{topic}");
    }
}

#[actix_web::test]
async fn two_changes_raced_never_leave_the_log_and_the_store_apart() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, agent) = agent_in(&app, &admin, None).await;
    assert_eq!(mine(&app, &agent, "log_in", None).await.status, 200);
    for round in 0..5 {
        let (a, b) = futures_util::join!(
            mine(&app, &agent, "set_not_ready", Some("break")),
            force(&app, &admin, &id, "set_ready", None),
        );
        assert_eq!(
            (a.status, b.status),
            (200, 200),
            "round {round}: {} {}",
            a.body,
            b.body
        );
        let versions = [
            a.body["version"].as_u64().unwrap(),
            b.body["version"].as_u64().unwrap(),
        ];
        assert_ne!(versions[0], versions[1], "two changes took one version");
        let newest = if versions[0] > versions[1] { &a } else { &b };
        let shown = app.get(&format!("/api/agents/{id}"), &admin).await;
        assert_eq!(
            shown.body["presence"]["version"], newest.body["version"],
            "the store holds the newest logged change"
        );
        assert_eq!(shown.body["presence"]["state"], newest.body["state"]);
    }
}
