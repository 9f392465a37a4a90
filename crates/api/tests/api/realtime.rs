//! The WebSocket hub: ticket auth, subscriptions, typed events with sequence numbers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use crate::common::{PASSWORD, TestApp, spawn_app, spawn_with};
use actix_web::rt::time::timeout;
use awc::ws;
use cc_types::Role;
use cc_types::events::ServerMessage;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;

pub type Socket = actix_codec::Framed<awc::BoxedSocket, ws::Codec>;

pub async fn ticket(app: &TestApp, token: &str) -> String {
    let r = app.post("/api/ws/ticket", token, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["ticket"].as_str().unwrap().to_owned()
}

pub async fn connect(app: &TestApp, ticket: &str) -> Result<Socket, u16> {
    let url = format!("ws://127.0.0.1:{}/api/ws?ticket={ticket}", app.port);
    match crate::common::client().ws(url).connect().await {
        Ok((_, socket)) => Ok(socket),
        Err(awc::error::WsClientError::InvalidResponseStatus(s)) => Err(s.as_u16()),
        Err(e) => panic!("websocket connect failed: {e}"),
    }
}

pub async fn next_message(socket: &mut Socket) -> ServerMessage {
    loop {
        let frame = timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")
            .unwrap()
            .unwrap();
        if let ws::Frame::Text(bytes) = frame {
            return serde_json::from_slice(&bytes).unwrap();
        }
    }
}

pub async fn send(socket: &mut Socket, value: serde_json::Value) {
    socket
        .send(ws::Message::Text(value.to_string().into()))
        .await
        .unwrap();
}

/// Reads until the server closes the socket; answers the close code it gave.
pub async fn closed_by_server(socket: &mut Socket) -> Option<u16> {
    loop {
        let frame = timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("the server to close the socket within 10 s");
        match frame {
            Some(Ok(ws::Frame::Close(reason))) => return reason.map(|r| u16::from(r.code)),
            None | Some(Err(_)) => return None,
            Some(Ok(_)) => {}
        }
    }
}

/// A socket of a fresh user of `role`: (user id, email, token, socket after its welcome).
async fn user_socket(app: &TestApp, admin: &str, role: Role) -> (String, String, String, Socket) {
    let (id, email) = app.create_user(admin, role).await;
    let token = app.login(&email, PASSWORD).await;
    let mut socket = connect(app, &ticket(app, &token).await).await.unwrap();
    next_message(&mut socket).await;
    (id, email, token, socket)
}

#[actix_web::test]
async fn sockets_close_when_their_session_or_user_ends() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;

    // Logout closes the sockets of that session only.
    let (_, email, token, mut socket) = user_socket(&app, &admin, Role::Agent).await;
    let other_token = app.login(&email, PASSWORD).await;
    let mut other = connect(&app, &ticket(&app, &other_token).await)
        .await
        .unwrap();
    next_message(&mut other).await;
    let r = app
        .send("POST", "/api/auth/logout", Some(&token), None)
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(closed_by_server(&mut socket).await, Some(1008));
    send(&mut other, json!({"type": "ping"})).await;
    assert_eq!(
        next_message(&mut other).await,
        ServerMessage::Pong,
        "another session lives on"
    );

    // Deactivation, a role change and a password change close every socket of the user.
    let (id, _, _, mut socket) = user_socket(&app, &admin, Role::Agent).await;
    let r = app
        .post(&format!("/api/users/{id}/deactivate"), &admin, json!({}))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(closed_by_server(&mut socket).await, Some(1008));

    let (id, _, _, mut socket) = user_socket(&app, &admin, Role::Agent).await;
    let r = app
        .send(
            "PATCH",
            &format!("/api/users/{id}"),
            Some(&admin),
            Some(json!({"role": "analyst"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(closed_by_server(&mut socket).await, Some(1008));

    let (_, _, token, mut socket) = user_socket(&app, &admin, Role::Supervisor).await;
    let r = app
        .post(
            "/api/auth/password",
            &token,
            json!({"current_password": PASSWORD, "new_password": "another-long-password"}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(closed_by_server(&mut socket).await, Some(1008));
}

#[actix_web::test]
async fn a_user_opens_a_bounded_number_of_sockets_each_with_bounded_topics() {
    let app = spawn_with(|c| {
        c.ws_max_connections_per_user = 2;
        c.ws_max_topics = 2;
    })
    .await;
    let admin = app.admin_token().await;
    let mut first = connect(&app, &ticket(&app, &admin).await).await.unwrap();
    next_message(&mut first).await;
    let mut second = connect(&app, &ticket(&app, &admin).await).await.unwrap();
    next_message(&mut second).await;
    assert_eq!(
        connect(&app, &ticket(&app, &admin).await).await.err(),
        Some(429)
    );
    drop(second);
    crate::common::eventually(
        Duration::from_secs(10),
        "a closed socket to free its slot",
        || async {
            match connect(&app, &ticket(&app, &admin).await).await {
                Ok(_) => true,
                Err(status) => {
                    assert_eq!(status, 429);
                    false
                }
            }
        },
    )
    .await;

    for (i, topic) in [
        "organization",
        "queue:0191e3a4-0000-7000-8000-000000000001",
        "queue:0191e3a4-0000-7000-8000-000000000002",
    ]
    .into_iter()
    .enumerate()
    {
        send(&mut first, json!({"type": "subscribe", "topic": topic})).await;
        match (i, next_message(&mut first).await) {
            (0 | 1, ServerMessage::Subscribed { .. }) => {}
            (2, ServerMessage::Error { code, .. }) => {
                assert_eq!(code, cc_types::ErrorCode::TooManyConnections)
            }
            (i, other) => panic!("subscription {i}: {other:?}"),
        }
    }
}

#[actix_web::test]
async fn a_ticket_opens_one_connection_only() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let t = ticket(&app, &admin).await;
    let mut socket = connect(&app, &t).await.unwrap();
    assert!(matches!(
        next_message(&mut socket).await,
        ServerMessage::Welcome { .. }
    ));
    assert_eq!(connect(&app, &t).await.err(), Some(401));
    assert_eq!(connect(&app, "made-up-ticket").await.err(), Some(401));
}

#[actix_web::test]
async fn an_expired_ticket_is_refused() {
    let app = spawn_with(|c| c.ws_ticket_ttl_secs = 1).await;
    let admin = app.admin_token().await;
    let t = ticket(&app, &admin).await;
    app.advance(Duration::from_millis(1100));
    assert_eq!(connect(&app, &t).await.err(), Some(401));
}

#[actix_web::test]
async fn subscribers_receive_typed_events_with_increasing_sequence_numbers() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut socket = connect(&app, &ticket(&app, &admin).await).await.unwrap();
    next_message(&mut socket).await;
    send(
        &mut socket,
        json!({"type": "subscribe", "topic": "organization"}),
    )
    .await;
    assert!(matches!(
        next_message(&mut socket).await,
        ServerMessage::Subscribed { .. }
    ));

    let (first, _) = app.create_user(&admin, Role::Agent).await;
    let (second, _) = app.create_user(&admin, Role::Analyst).await;
    let mut seen = Vec::new();
    for _ in 0..2 {
        match next_message(&mut socket).await {
            ServerMessage::Event { seq, event, .. } => {
                seen.push((seq, serde_json::to_value(event).unwrap()))
            }
            other => panic!("expected an event, got {other:?}"),
        }
    }
    assert_eq!(seen[0].0 + 1, seen[1].0);
    assert_eq!(seen[0].1["kind"], "user_created");
    assert_eq!(seen[0].1["user_id"], first.as_str());
    assert_eq!(seen[1].1["user_id"], second.as_str());
    send(&mut socket, json!({"type": "ping"})).await;
    assert_eq!(next_message(&mut socket).await, ServerMessage::Pong);
}

#[actix_web::test]
async fn an_agent_cannot_follow_another_agent() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (other, _) = app.create_user(&admin, Role::Agent).await;
    let (_, email) = app.create_user(&admin, Role::Agent).await;
    let agent = app.login(&email, PASSWORD).await;
    let mut socket = connect(&app, &ticket(&app, &agent).await).await.unwrap();
    next_message(&mut socket).await;
    send(
        &mut socket,
        json!({"type": "subscribe", "topic": format!("agent:{other}")}),
    )
    .await;
    match next_message(&mut socket).await {
        ServerMessage::Error { code, .. } => assert_eq!(code, cc_types::ErrorCode::TopicForbidden),
        other => panic!("expected an error, got {other:?}"),
    }
    send(
        &mut socket,
        json!({"type": "subscribe", "topic": "not a topic"}),
    )
    .await;
    assert!(matches!(
        next_message(&mut socket).await,
        ServerMessage::Error { .. }
    ));
}

#[actix_web::test]
async fn a_plain_get_is_told_to_upgrade_and_does_not_spend_the_ticket() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let ticket = ticket(&app, &admin).await;
    let r = app
        .send("GET", &format!("/api/ws?ticket={ticket}"), None, None)
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (426, Some("websocket_upgrade_required"))
    );
    assert!(
        connect(&app, &ticket).await.is_ok(),
        "the ticket still opens a socket"
    );
}
