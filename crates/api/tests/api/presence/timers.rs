//! What time moves: a reason past its longest duration, the disconnection grace, and the
//! store rebuilt after a restart.

use super::*;

#[actix_web::test]
async fn a_not_ready_reason_past_its_longest_duration_alerts_once() {
    let app = spawn_with(|c| c.presence.tick_ms = 20).await;
    let admin = app.admin_token().await;
    let (first, agent) = agent_in(&app, &admin, None).await;
    let (second, other) = agent_in(&app, &admin, None).await;
    let r = app
        .send(
            "PUT",
            "/api/not-ready-reasons/coaching",
            Some(&admin),
            Some(json!({"name": "Coaching", "max_duration_secs": 300})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let reasons = app.get("/api/not-ready-reasons", &agent).await;
    let codes: Vec<&str> = reasons
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["break", "lunch", "training", "meeting", "coaching"]);
    let builtin = app
        .send("DELETE", "/api/not-ready-reasons/break", Some(&admin), None)
        .await;
    assert_eq!(
        (builtin.status, builtin.body["code"].as_str()),
        (409, Some("reason_built_in"))
    );

    let mut org = follow(&app, &admin, "organization").await;
    for token in [&agent, &other] {
        assert_eq!(mine(&app, token, "log_in", None).await.status, 200);
    }
    assert_eq!(
        mine(&app, &agent, "set_not_ready", Some("coaching"))
            .await
            .status,
        200
    );
    app.advance(Duration::from_secs(1));
    assert_eq!(
        mine(&app, &other, "set_not_ready", Some("coaching"))
            .await
            .status,
        200
    );
    for _ in 0..4 {
        assert_eq!(next_event(&mut org).await["kind"], "agent_state_changed");
    }
    // At 300 s the first agent's limit is reached, the second's a second later: the
    // second's alert arriving next shows the first's was not repeated meanwhile.
    app.advance(Duration::from_secs(299));
    let alert = next_event(&mut org).await;
    assert_eq!(
        (
            alert["kind"].as_str(),
            alert["agent_id"].as_str(),
            alert["reason"].as_str()
        ),
        (
            Some("agent_state_overrun"),
            Some(first.as_str()),
            Some("coaching")
        )
    );
    assert_eq!(alert["max_duration_secs"], 300);
    app.advance(Duration::from_secs(600));
    let next = next_event(&mut org).await;
    assert_eq!(
        (next["kind"].as_str(), next["agent_id"].as_str()),
        (Some("agent_state_overrun"), Some(second.as_str()))
    );
}

#[actix_web::test]
async fn an_agent_whose_desktop_is_gone_past_the_grace_is_moved_offline() {
    let app = spawn_with(|c| {
        c.presence.tick_ms = 20;
        c.presence.grace_secs = 30;
    })
    .await;
    let admin = app.admin_token().await;
    // The first agent's desktop comes back within the grace; the second's does not.
    let (back, returning) = agent_in(&app, &admin, None).await;
    let (gone, leaving) = agent_in(&app, &admin, None).await;
    let mut desktops = Vec::new();
    for token in [&returning, &leaving] {
        let mut desktop = connect(&app, &ticket(&app, token).await).await.unwrap();
        next_message(&mut desktop).await;
        desktops.push(desktop);
        assert_eq!(mine(&app, token, "log_in", None).await.status, 200);
    }
    let mut org = follow(&app, &admin, "organization").await;
    let leaving_desktop = desktops.pop().unwrap();
    drop(desktops.pop());
    let mut again = connect(&app, &ticket(&app, &returning).await)
        .await
        .unwrap();
    next_message(&mut again).await;
    drop(leaving_desktop);

    // The server notices the closed sockets; the grace runs on the clock.
    let (app_ref, admin_ref, gone_ref) = (&app, &admin, &gone);
    eventually(Duration::from_secs(10), "the grace to end", || async move {
        app_ref.advance(Duration::from_secs(31));
        let shown = app_ref
            .get(&format!("/api/agents/{gone_ref}"), admin_ref)
            .await;
        shown.body["presence"]["state"] == "offline"
    })
    .await;
    let moved = next_event(&mut org).await;
    assert_eq!(
        (
            moved["agent_id"].as_str(),
            moved["state"].as_str(),
            moved["cause"].as_str(),
            moved["forced"].as_bool()
        ),
        (
            Some(gone.as_str()),
            Some("offline"),
            Some("disconnected"),
            Some(false)
        )
    );
    let kept = app.get(&format!("/api/agents/{back}"), &admin).await;
    assert_eq!(kept.body["presence"]["state"], "available");
    drop(again);
}

#[actix_web::test]
async fn presence_is_rebuilt_from_the_log_when_an_instance_starts_with_an_empty_store() {
    let w = crate::common::world().await;
    let mut config = w.config.clone();
    let first = crate::common::spawn_world(w).await;
    let admin = first.admin_token().await;
    let (id, agent) = agent_in(&first, &admin, None).await;
    assert_eq!(mine(&first, &agent, "log_in", None).await.status, 200);
    assert_eq!(
        mine(&first, &agent, "set_not_ready", Some("training"))
            .await
            .status,
        200
    );
    first.shut_down().await;

    // Same database; an empty store (a new process, or a Redis that lost its keys).
    config.redis_prefix = format!("{}-restarted", config.redis_prefix);
    let mut second = crate::common::start(config, tempfile::tempdir().unwrap()).await;
    second.admin_email = first.admin_email.clone();
    let admin = second.admin_token().await;
    let shown = second.get("/api/agents?state=not_ready", &admin).await;
    assert_eq!(shown.body["items"][0]["id"], id.as_str(), "{}", shown.body);
    assert_eq!(shown.body["items"][0]["presence"]["reason"], "training");
    assert_eq!(shown.body["items"][0]["presence"]["version"], 2);
}
