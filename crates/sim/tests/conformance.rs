//! cc-media's clients against cc-sim's fakes: the two sides must agree on the wire.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cc_media::capability::agent::{AgentEvent, AgentSessionConfig, SpeechToSpeechAgent};
use cc_media::capability::transcription::{StreamingTranscriber, TranscriptionConfig};
use cc_media::capability::{ConversationTurn, ProviderError, Speaker};
use cc_media::deepgram::live::DeepgramTranscriber;
use cc_media::openai::client::OpenAiRealtime;
use cc_media::resilience::breaker::{BreakerConfig, CircuitBreaker};
use cc_media::resilience::failover::{FailoverSession, ProviderSlot, SessionEvent};
use cc_sim::openai::OpenAiScript;
use cc_sim::script::{Fault, Faults};
use cc_sim::utterance::{silence, speech_like};

async fn start_openai(script: OpenAiScript) -> String {
    let listener = cc_sim::server::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(cc_sim::openai::serve(listener, script));
    format!("ws://{addr}/v1")
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

/// The text of a final or interim line the assistant spoke, if `event` is one.
fn assistant_line(event: AgentEvent) -> Option<String> {
    match event {
        AgentEvent::Transcript {
            turn:
                ConversationTurn {
                    speaker: Speaker::Assistant,
                    text,
                },
            ..
        } => Some(text),
        _ => None,
    }
}

/// 600 ms of speech then 500 ms of silence, as 20 ms frames.
fn one_utterance() -> Vec<Vec<u8>> {
    let mut audio = speech_like(600);
    audio.extend(silence(500));
    audio.chunks(160).map(<[u8]>::to_vec).collect()
}

#[tokio::test]
async fn openai_client_holds_a_turn_with_the_fake() {
    let base = start_openai(OpenAiScript {
        faults: Faults::default(),
        answer_ms: 200,
    })
    .await;
    let mut session = OpenAiRealtime::new("sk-sim")
        .with_base_url(&base)
        .connect(config())
        .await
        .unwrap();
    for frame in one_utterance() {
        session.send_audio(&frame).await.unwrap();
    }
    let mut audio_bytes = 0;
    let mut lines = Vec::new();
    let mut speech_started = false;
    loop {
        match session.next_event().await.unwrap().unwrap() {
            AgentEvent::SpeechStarted => speech_started = true,
            AgentEvent::Audio(a) => audio_bytes += a.len(),
            AgentEvent::Transcript { turn, .. } => lines.push((turn.speaker, turn.text)),
            AgentEvent::ResponseDone => break,
            AgentEvent::ToolCall { .. } => panic!("no tools scripted"),
        }
    }
    assert!(speech_started);
    assert_eq!(audio_bytes, 1600, "200 ms of µ-law");
    assert_eq!(
        lines,
        vec![
            (Speaker::Customer, "utterance 1".into()),
            (Speaker::Assistant, "answer 1 after 0 earlier lines".into())
        ]
    );
    session.close().await.unwrap();
}

#[tokio::test]
async fn failover_carries_the_transcript_to_the_second_fake() {
    let first = start_openai(OpenAiScript {
        faults: Faults {
            fault: Some(Fault::Drop),
            after_answers: 1,
        },
        answer_ms: 100,
    })
    .await;
    let second = start_openai(OpenAiScript {
        faults: Faults::default(),
        answer_ms: 100,
    })
    .await;
    let slot = |name: &str, base: &str| ProviderSlot {
        agent: Arc::new(
            OpenAiRealtime::new("sk")
                .with_name(name)
                .with_base_url(base),
        ),
        breaker: Arc::new(Mutex::new(CircuitBreaker::new(
            name,
            BreakerConfig::default(),
        ))),
    };
    let mut session = FailoverSession::start(
        vec![slot("primary", &first), slot("backup", &second)],
        config(),
    )
    .await
    .unwrap();
    for frame in one_utterance() {
        session.send_audio(&frame).await.unwrap();
    }
    let mut switched = false;
    let mut answers = Vec::new();
    while answers.len() < 2 {
        match session.next_event().await.unwrap().unwrap() {
            SessionEvent::ProviderChanged { from, to } => {
                assert_eq!((from.as_str(), to.as_str()), ("primary", "backup"));
                switched = true;
                for frame in one_utterance() {
                    session.send_audio(&frame).await.unwrap();
                }
            }
            SessionEvent::Agent(event) => answers.extend(assistant_line(event)),
        }
    }
    assert!(switched);
    // The backup heard about both lines of the first exchange before the caller spoke again.
    assert_eq!(
        answers,
        vec![
            "answer 1 after 0 earlier lines".to_owned(),
            "answer 1 after 2 earlier lines".to_owned()
        ]
    );
    assert_eq!(session.provider(), "backup");
}

#[tokio::test]
async fn the_fake_refuses_a_wrong_path_or_missing_credentials() {
    let base = start_openai(OpenAiScript::default()).await;
    let wrong = base.replace("/v1", "/v2");
    let err = OpenAiRealtime::new("sk")
        .with_base_url(wrong)
        .connect(config())
        .await
        .err()
        .unwrap();
    assert!(matches!(err, ProviderError::Unavailable { .. }), "{err:?}");
}

#[tokio::test]
async fn deepgram_client_gets_interim_and_final_results_from_the_fake() {
    let listener = cc_sim::server::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(cc_sim::deepgram::serve(listener, Faults::default()));
    let config = TranscriptionConfig {
        language: None,
        interim_results: true,
        endpointing: Duration::from_millis(300),
    };
    let mut stream = DeepgramTranscriber::new("dg")
        .with_base_url(format!("ws://{addr}/v1"))
        .start(config)
        .await
        .unwrap();
    for frame in one_utterance() {
        stream.send_audio(&frame).await.unwrap();
    }
    stream.finish().await.unwrap();
    let mut results = Vec::new();
    while let Some(t) = stream.next_transcript().await.unwrap() {
        results.push((t.text, t.is_final));
    }
    assert_eq!(
        results,
        vec![
            ("utterance".to_owned(), false),
            ("utterance 1".to_owned(), true)
        ]
    );
}

#[tokio::test]
async fn gemini_client_holds_a_turn_with_the_fake() {
    use cc_media::gemini::client::GeminiLive;
    let listener = cc_sim::server::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(cc_sim::gemini::serve(listener, Faults::default()));
    let mut session = GeminiLive::new("g", "gemini-live-sim")
        .with_base_url(format!("ws://{addr}"))
        .connect(config())
        .await
        .unwrap();
    for frame in one_utterance() {
        session.send_audio(&frame).await.unwrap();
    }
    let mut audio_bytes = 0;
    let mut lines = Vec::new();
    let mut interrupted = false;
    loop {
        match session.next_event().await.unwrap().unwrap() {
            AgentEvent::SpeechStarted => interrupted = true,
            AgentEvent::Audio(a) => audio_bytes += a.len(),
            AgentEvent::Transcript { turn, .. } => lines.push((turn.speaker, turn.text)),
            AgentEvent::ResponseDone => break,
            AgentEvent::ToolCall { .. } => panic!("no tools scripted"),
        }
    }
    assert!(interrupted, "speech start is reported as an interruption");
    // 200 ms at 24 kHz arrives as about 200 ms of µ-law at 8 kHz (less the filter delay).
    assert!((1500..=1600).contains(&audio_bytes), "{audio_bytes}");
    assert_eq!(
        lines,
        vec![
            (Speaker::Customer, "utterance 1".into()),
            (Speaker::Assistant, "answer 1".into())
        ]
    );
}

#[tokio::test]
async fn the_gemini_fake_insists_on_setup_first() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;

    let listener = cc_sim::server::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(cc_sim::gemini::serve(listener, Faults::default()));
    let mut request = format!("ws://{addr}{}", cc_sim::gemini::PATH)
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("x-goog-api-key", "g".parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    ws.send(Message::text(
        r#"{"realtime_input":{"audio":{"mimeType":"audio/pcm;rate=16000","data":"AAA="}}}"#,
    ))
    .await
    .unwrap();
    match ws.next().await {
        Some(Ok(Message::Close(Some(frame)))) => {
            assert_eq!(frame.reason.as_str(), "setup must be the first message")
        }
        other => panic!("expected a policy close, got {other:?}"),
    }
}

#[tokio::test]
async fn a_lone_provider_that_drops_is_reconnected_with_the_conversation_replayed() {
    let base = start_openai(OpenAiScript {
        faults: Faults {
            fault: Some(Fault::Drop),
            after_answers: 1,
        },
        answer_ms: 100,
    })
    .await;
    let slot = ProviderSlot {
        agent: Arc::new(
            OpenAiRealtime::new("sk")
                .with_name("solo")
                .with_base_url(&base),
        ),
        breaker: Arc::new(Mutex::new(CircuitBreaker::new(
            "solo",
            BreakerConfig::default(),
        ))),
    };
    let mut session = FailoverSession::start(vec![slot], config()).await.unwrap();
    for frame in one_utterance() {
        session.send_audio(&frame).await.unwrap();
    }
    let mut seen = Vec::new();
    while seen.len() < 3 {
        match session.next_event().await.unwrap().unwrap() {
            SessionEvent::ProviderChanged { from, to } => {
                seen.push(format!("{from} -> {to}"));
                for frame in one_utterance() {
                    session.send_audio(&frame).await.unwrap();
                }
            }
            SessionEvent::Agent(event) => seen.extend(assistant_line(event)),
        }
    }
    assert_eq!(
        seen,
        [
            "answer 1 after 0 earlier lines",
            "solo -> solo",
            "answer 1 after 2 earlier lines"
        ]
    );
}
