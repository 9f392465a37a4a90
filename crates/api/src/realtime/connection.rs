//! One WebSocket connection: reads subscriptions, writes events with sequence numbers,
//! sends heartbeats and closes a peer that stopped answering them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_ws::{CloseCode, CloseReason, Message, MessageStream, Session};
use cc_types::events::{ClientMessage, ServerMessage};
use cc_types::{ErrorCode, Role};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use uuid::Uuid;

use super::Hub;
use super::hub::{Conn, Outbound};
use super::topics::may_subscribe;

/// Who opened the connection, as recorded in the ticket.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Caller {
    /// Organization.
    pub org: Uuid,
    /// User, for people.
    pub user_id: Option<Uuid>,
    /// Role in force.
    pub role: Role,
    /// Session the ticket was issued in (people only); logout closes its sockets.
    #[serde(default)]
    pub session_id: Option<Uuid>,
}

/// Limits of one connection.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Seconds between heartbeats.
    pub heartbeat: Duration,
    /// Topics followed at once.
    pub max_topics: usize,
}

/// Runs a registered connection until either side closes it, or the server ends the
/// session it belongs to.
pub async fn run(
    hub: Arc<Hub>,
    db: sea_orm::DatabaseConnection,
    caller: Caller,
    (conn, mut rx): (Arc<Conn>, mpsc::Receiver<Outbound>),
    (mut session, mut stream): (Session, MessageStream),
    limits: Limits,
) {
    let heartbeat = limits.heartbeat;
    let welcome = ServerMessage::Welcome {
        connection_id: conn.id,
        heartbeat_secs: heartbeat.as_secs(),
    };
    let mut writer = Writer {
        session: session.clone(),
        seq: 0,
    };
    let mut alive = writer.send(&welcome).await;
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + heartbeat, heartbeat);
    let mut last_seen = Instant::now();
    let mut reason = None;
    while alive {
        tokio::select! {
            () = conn.closed() => {
                alive = false;
                reason = Some(CloseReason {
                    code: CloseCode::Policy,
                    description: Some("session ended".into()),
                });
            }
            incoming = stream.next() => {
                last_seen = Instant::now();
                alive = match incoming {
                    Some(Ok(Message::Text(text))) => {
                        on_text(&hub, &db, &conn, &caller, limits.max_topics, &mut writer, &text).await
                    }
                    Some(Ok(Message::Ping(bytes))) => session.pong(&bytes).await.is_ok(),
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => false,
                    Some(Ok(_)) => true,
                };
            }
            out = rx.recv() => {
                alive = match out {
                    Some(msg) => writer.outbound(msg).await,
                    None => false,
                };
            }
            _ = ticker.tick() => {
                alive = last_seen.elapsed() < heartbeat * 3 && session.ping(b"hb").await.is_ok();
            }
        }
    }
    hub.unregister(&conn);
    drain(&mut rx);
    let _ = session.close(reason).await;
}

fn drain(rx: &mut mpsc::Receiver<Outbound>) {
    rx.close();
    while rx.try_recv().is_ok() {}
}

async fn on_text(
    hub: &Hub,
    db: &sea_orm::DatabaseConnection,
    conn: &Conn,
    caller: &Caller,
    max_topics: usize,
    writer: &mut Writer,
    text: &str,
) -> bool {
    let reply = match serde_json::from_str::<ClientMessage>(text) {
        Ok(ClientMessage::Subscribe { topic }) if may_subscribe(db, caller, &topic).await => {
            if hub.subscribe(conn, topic, max_topics) {
                ServerMessage::Subscribed { topic }
            } else {
                ServerMessage::Error {
                    code: ErrorCode::TooManyConnections,
                    message: format!("a connection may follow at most {max_topics} topics"),
                }
            }
        }
        Ok(ClientMessage::Subscribe { .. }) => ServerMessage::Error {
            code: ErrorCode::TopicForbidden,
            message: "you may not follow this topic".into(),
        },
        Ok(ClientMessage::Unsubscribe { topic }) => {
            hub.unsubscribe(conn, &topic);
            ServerMessage::Unsubscribed { topic }
        }
        Ok(ClientMessage::Ping) => ServerMessage::Pong,
        Err(e) => ServerMessage::Error {
            code: ErrorCode::MalformedBody,
            message: e.to_string(),
        },
    };
    writer.send(&reply).await
}

struct Writer {
    session: Session,
    seq: u64,
}

impl Writer {
    async fn send(&mut self, msg: &ServerMessage) -> bool {
        match serde_json::to_string(msg) {
            Ok(text) => self.session.text(text).await.is_ok(),
            Err(e) => {
                tracing::error!(error = %e, "could not encode a realtime message");
                true
            }
        }
    }

    async fn outbound(&mut self, msg: Outbound) -> bool {
        self.seq += 1;
        let seq = self.seq;
        let msg = match msg {
            Outbound::Event(topic, event) => ServerMessage::Event { seq, topic, event },
            Outbound::Resync => ServerMessage::Resync { seq },
        };
        self.send(&msg).await
    }
}
