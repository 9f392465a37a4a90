//! Failover between two Realtime peers on 127.0.0.1: the first drops mid-call.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use super::*;
use crate::capability::Speaker;
use crate::openai::client::OpenAiRealtime;
use crate::openai::fake_peer::{Script, fake_openai};
use crate::resilience::breaker::{BreakerConfig, BreakerState};

fn slot(agent: OpenAiRealtime) -> ProviderSlot {
    let name = agent.name().to_owned();
    let config = BreakerConfig {
        consecutive_failures: 1,
        open_for: Duration::from_secs(60),
        ..BreakerConfig::default()
    };
    ProviderSlot {
        agent: Arc::new(agent),
        breaker: Arc::new(Mutex::new(CircuitBreaker::new(name, config))),
    }
}

fn config() -> AgentSessionConfig {
    AgentSessionConfig {
        instructions: "Help.".into(),
        voice: None,
        language: None,
        tools: Vec::new(),
        history: Vec::new(),
    }
}

#[tokio::test]
async fn the_second_provider_continues_with_the_transcript_so_far() {
    let counters = crate::observe::capture::Counters::default();
    let _recording = metrics::set_default_local_recorder(&counters);
    let (first_url, _) = fake_openai(Script::TranscriptThenDrop("I was charged twice")).await;
    let (second_url, second_seen) = fake_openai(Script::OneTurn).await;
    let first = slot(
        OpenAiRealtime::new("k")
            .with_name("primary")
            .with_base_url(first_url),
    );
    let second = slot(
        OpenAiRealtime::new("k")
            .with_name("backup")
            .with_base_url(second_url),
    );
    let first_breaker = first.breaker.clone();

    let mut session = FailoverSession::start(vec![first, second], config())
        .await
        .unwrap();
    assert_eq!(session.provider(), "primary");
    session.send_audio(&[0xFF; 160]).await.unwrap();

    let mut events = Vec::new();
    loop {
        match session.next_event().await.unwrap() {
            Some(SessionEvent::ProviderChanged { from, to }) => {
                events.push(format!("switch {from}->{to}"));
                // Audio keeps flowing from the carrier; the backup answers it.
                session.send_audio(&[0xFF; 160]).await.unwrap();
            }
            Some(SessionEvent::Agent(AgentEvent::Transcript { turn, .. })) => {
                events.push(format!("{:?}: {}", turn.speaker, turn.text))
            }
            Some(SessionEvent::Agent(AgentEvent::Audio(a))) => {
                events.push(format!("audio {}", a.len()))
            }
            Some(SessionEvent::Agent(other)) => events.push(format!("{other:?}")),
            None => break,
        }
    }
    assert_eq!(
        events,
        vec![
            "Customer: I was charged twice",
            "switch primary->backup",
            "SpeechStarted",
            "Customer: Where is my order?",
            "audio 160",
            "ResponseDone",
        ]
    );
    assert_eq!(session.provider(), "backup");
    let failovers = [("from", "primary"), ("to", "backup")];
    assert_eq!(
        counters.get(crate::observe::FAILOVERS_METRIC, &failovers),
        1
    );
    assert_eq!(
        first_breaker.lock().unwrap().state(Instant::now()),
        BreakerState::Open
    );

    // The backup was told what the caller had already said before it heard any audio.
    let seen = second_seen.lock().unwrap();
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
    assert_eq!(seen.client_events[1]["item"]["role"], "user");
    assert_eq!(
        seen.client_events[1]["item"]["content"][0]["text"],
        "I was charged twice"
    );
    assert_eq!(
        session
            .history()
            .iter()
            .filter(|t| t.speaker == Speaker::Customer)
            .count(),
        2
    );
}

#[tokio::test]
async fn an_open_breaker_skips_its_provider_at_start() {
    let (first_url, first_seen) = fake_openai(Script::OneTurn).await;
    let (second_url, _) = fake_openai(Script::OneTurn).await;
    let first = slot(
        OpenAiRealtime::new("k")
            .with_name("primary")
            .with_base_url(first_url),
    );
    first.breaker.lock().unwrap().record_failure(Instant::now());
    let second = slot(
        OpenAiRealtime::new("k")
            .with_name("backup")
            .with_base_url(second_url),
    );
    let session = FailoverSession::start(vec![first, second], config())
        .await
        .unwrap();
    assert_eq!(session.provider(), "backup");
    assert!(first_seen.lock().unwrap().client_events.is_empty());
}

#[tokio::test]
async fn when_every_provider_is_down_the_error_is_returned() {
    let (only_url, _) = fake_openai(Script::DropAfterAppend).await;
    let mut session = FailoverSession::start(
        vec![slot(
            OpenAiRealtime::new("k")
                .with_name("only")
                .with_base_url(only_url),
        )],
        config(),
    )
    .await
    .unwrap();
    session.send_audio(&[0xFF; 160]).await.unwrap();
    let err = loop {
        match session.next_event().await {
            Ok(Some(_)) => continue,
            Ok(None) => panic!("a dropped socket is not a normal end"),
            Err(e) => break e,
        }
    };
    assert!(
        matches!(err, ProviderError::Unavailable { ref provider, .. } if provider == "only"),
        "{err:?}"
    );
}
