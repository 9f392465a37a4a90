//! The WebSocket hub: ticket auth, subscriptions, typed events with sequence numbers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use actix_web::rt::time::timeout;
use awc::ws;
use cc_types::Role;
use cc_types::events::ServerMessage;
use common::{PASSWORD, TestApp, spawn_app, spawn_with};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;

pub type Socket = actix_codec::Framed<awc::BoxedSocket, ws::Codec>;

async fn ticket(app: &TestApp, token: &str) -> String {
    let r = app.post("/api/ws/ticket", token, json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["ticket"].as_str().unwrap().to_owned()
}

async fn connect(app: &TestApp, ticket: &str) -> Result<Socket, u16> {
    let url = format!("ws://127.0.0.1:{}/api/ws?ticket={ticket}", app.port);
    match common::client().ws(url).connect().await {
        Ok((_, socket)) => Ok(socket),
        Err(awc::error::WsClientError::InvalidResponseStatus(s)) => Err(s.as_u16()),
        Err(e) => panic!("websocket connect failed: {e}"),
    }
}

async fn next_message(socket: &mut Socket) -> ServerMessage {
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

async fn send(socket: &mut Socket, value: serde_json::Value) {
    socket
        .send(ws::Message::Text(value.to_string().into()))
        .await
        .unwrap();
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
    // The condition under test is the passage of the ticket's lifetime itself.
    actix_web::rt::time::sleep(Duration::from_millis(2100)).await;
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
