//! The client against a local WebSocket peer that speaks the Realtime protocol.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_tungstenite::accept_hdr_async;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

use super::*;
use crate::capability::agent::AgentSessionConfig;
use crate::capability::{ConversationTurn, Speaker};

#[derive(Debug, Default)]
struct Seen {
    path: String,
    auth: Option<String>,
    beta_header: bool,
    client_events: Vec<Value>,
}

enum Script {
    /// Answer one appended chunk with a full turn, then close cleanly.
    OneTurn,
    /// Drop the TCP connection without a close frame after the first append.
    DropAfterAppend,
}

async fn fake_openai(script: Script) -> (String, Arc<Mutex<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("ws://{}/v1", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Seen::default()));
    let record = seen.clone();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        #[expect(
            clippy::result_large_err,
            reason = "tungstenite fixes the handshake callback's signature"
        )]
        let on_request = |req: &Request, resp: Response| {
            let mut s = record.lock().unwrap();
            s.path = req.uri().to_string();
            s.auth = req
                .headers()
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_owned());
            s.beta_header = req.headers().contains_key("openai-beta");
            Ok(resp)
        };
        let mut ws = accept_hdr_async(tcp, on_request).await.unwrap();
        let send = |v: Value| Message::text(v.to_string());
        ws.send(send(
            json!({"type":"session.created","event_id":"e0","session":{"type":"realtime"}}),
        ))
        .await
        .unwrap();
        while let Some(Ok(Message::Text(text))) = ws.next().await {
            let event: Value = serde_json::from_str(text.as_str()).unwrap();
            let kind = event["type"].as_str().unwrap().to_owned();
            record.lock().unwrap().client_events.push(event);
            match (kind.as_str(), &script) {
                ("session.update", _) => {
                    ws.send(send(
                        json!({"type":"session.updated","session":{"type":"realtime"}}),
                    ))
                    .await
                    .unwrap();
                }
                ("input_audio_buffer.append", Script::OneTurn) => {
                    for v in [
                        json!({"type":"input_audio_buffer.speech_started","audio_start_ms":0,"item_id":"u1"}),
                        json!({"type":"conversation.item.input_audio_transcription.completed","item_id":"u1","content_index":0,"transcript":"Where is my order?"}),
                        json!({"type":"response.output_audio.delta","response_id":"r1","item_id":"a1","delta":BASE64.encode([0xFFu8; 160])}),
                        json!({"type":"response.done","response":{"id":"r1","status":"completed"}}),
                    ] {
                        ws.send(send(v)).await.unwrap();
                    }
                    ws.close(None).await.ok();
                    break;
                }
                ("input_audio_buffer.append", Script::DropAfterAppend) => {
                    // Abrupt loss: no close handshake.
                    drop(ws);
                    break;
                }
                _ => {}
            }
        }
    });
    (base, seen)
}

fn config(history: Vec<ConversationTurn>) -> AgentSessionConfig {
    AgentSessionConfig {
        instructions: "Help callers.".into(),
        voice: None,
        language: None,
        tools: Vec::new(),
        history,
    }
}

#[tokio::test]
async fn a_turn_round_trips_through_the_socket() {
    let (base, seen) = fake_openai(Script::OneTurn).await;
    let provider = OpenAiRealtime::new("sk-test").with_base_url(&base);
    let mut session = provider.connect(config(Vec::new())).await.unwrap();
    session.send_audio(&[0xFF; 160]).await.unwrap();
    let mut events = Vec::new();
    while let Some(event) = session.next_event().await.unwrap() {
        events.push(event);
    }
    assert_eq!(events.len(), 4, "{events:?}");
    assert_eq!(events[0], AgentEvent::SpeechStarted);
    assert!(
        matches!(events[1], AgentEvent::Transcript { ref turn, .. } if turn.text == "Where is my order?")
    );
    assert_eq!(events[2], AgentEvent::Audio(vec![0xFF; 160]));
    assert_eq!(events[3], AgentEvent::ResponseDone);

    let seen = seen.lock().unwrap();
    assert_eq!(seen.path, "/v1/realtime?model=gpt-realtime");
    assert_eq!(seen.auth.as_deref(), Some("Bearer sk-test"));
    assert!(!seen.beta_header, "GA clients send no OpenAI-Beta header");
    assert_eq!(seen.client_events[0]["type"], "session.update");
    assert_eq!(
        seen.client_events[1],
        json!({"type":"input_audio_buffer.append","audio":BASE64.encode([0xFFu8; 160])})
    );
}

#[tokio::test]
async fn a_takeover_session_replays_the_transcript_first() {
    let (base, seen) = fake_openai(Script::OneTurn).await;
    let history = vec![ConversationTurn {
        speaker: Speaker::Customer,
        text: "I was double charged".into(),
    }];
    let mut session = OpenAiRealtime::new("k")
        .with_base_url(&base)
        .connect(config(history))
        .await
        .unwrap();
    session.send_audio(&[0xFF; 8]).await.unwrap();
    while session.next_event().await.unwrap().is_some() {}
    let seen = seen.lock().unwrap();
    let kinds: Vec<&str> = seen
        .client_events
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "session.update",
            "conversation.item.create",
            "input_audio_buffer.append"
        ]
    );
    assert_eq!(
        seen.client_events[1]["item"]["content"][0]["text"],
        "I was double charged"
    );
}

#[tokio::test]
async fn a_dropped_socket_is_a_failover_signal() {
    let (base, _seen) = fake_openai(Script::DropAfterAppend).await;
    let mut session = OpenAiRealtime::new("k")
        .with_base_url(&base)
        .connect(config(Vec::new()))
        .await
        .unwrap();
    session.send_audio(&[0xFF; 160]).await.unwrap();
    let outcome = loop {
        match session.next_event().await {
            Ok(Some(_)) => continue,
            other => break other,
        }
    };
    let err = outcome.unwrap_err();
    assert!(matches!(err, ProviderError::Unavailable { .. }), "{err:?}");
    assert!(err.warrants_failover());
}

#[tokio::test]
async fn an_unreachable_endpoint_is_unavailable() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let err = OpenAiRealtime::new("k")
        .with_base_url(format!("ws://{addr}/v1"))
        .connect(config(Vec::new()))
        .await
        .err()
        .unwrap();
    assert!(matches!(err, ProviderError::Unavailable { .. }), "{err:?}");
}
