//! The client against a local WebSocket peer that speaks the Realtime protocol.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use tokio::net::TcpListener;

use super::*;
use crate::capability::agent::AgentSessionConfig;
use crate::capability::{ConversationTurn, Speaker};
use crate::openai::fake_peer::{Script, fake_openai};

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
