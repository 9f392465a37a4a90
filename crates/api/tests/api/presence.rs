//! Live presence: state changes through the agent state machine, the append-only log,
//! forced changes, events on `agent:`, `team:` and `organization`, who may follow which
//! topic, not-ready reasons with their longest duration, the disconnection grace, and the
//! store rebuilt from the log after a restart.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use crate::common::{PASSWORD, Reply, TestApp, eventually, spawn_app, spawn_with};
use crate::realtime::{Socket, connect, next_message, send, ticket};
use cc_types::Role;
use cc_types::events::ServerMessage;
use serde_json::{Value, json};

/// An agent with a profile in `team`: (agent id, their token).
async fn agent_in(app: &TestApp, admin: &str, team: Option<&str>) -> (String, String) {
    let (user, email) = app.create_user(admin, Role::Agent).await;
    let r = app
        .post(
            "/api/agents",
            admin,
            json!({"user_id": user, "team_id": team}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    (id, app.login(&email, PASSWORD).await)
}

async fn team(app: &TestApp, admin: &str, body: Value) -> String {
    let r = app.post("/api/teams", admin, body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}

async fn mine(app: &TestApp, token: &str, event: &str, reason: Option<&str>) -> Reply {
    app.post(
        "/api/agents/me/state",
        token,
        json!({"event": event, "reason": reason}),
    )
    .await
}

async fn force(
    app: &TestApp,
    token: &str,
    agent: &str,
    event: &str,
    reason: Option<&str>,
) -> Reply {
    app.post(
        &format!("/api/agents/{agent}/state"),
        token,
        json!({"event": event, "reason": reason}),
    )
    .await
}

/// A socket of `token` following `topic`, past its welcome and confirmation.
async fn follow(app: &TestApp, token: &str, topic: &str) -> Socket {
    let mut socket = connect(app, &ticket(app, token).await).await.unwrap();
    next_message(&mut socket).await;
    send(&mut socket, json!({"type": "subscribe", "topic": topic})).await;
    match next_message(&mut socket).await {
        ServerMessage::Subscribed { .. } => socket,
        other => panic!("{topic}: expected a confirmation, got {other:?}"),
    }
}

/// The next event on the socket, as JSON.
async fn next_event(socket: &mut Socket) -> Value {
    loop {
        if let ServerMessage::Event { event, .. } = next_message(socket).await {
            return serde_json::to_value(event).unwrap();
        }
    }
}

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
