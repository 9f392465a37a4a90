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

mod changes;
mod timers;
