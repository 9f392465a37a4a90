//! The fake AI peers' scripts through cc-media's real clients: tool calls answered by the
//! app before the spoken answer, and the faults (fail, stall, drop) failover is tested with.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use cc_media::capability::agent::{
    AgentEvent, AgentSession, AgentSessionConfig, SpeechToSpeechAgent, ToolSpec,
};
use cc_media::capability::transcription::{StreamingTranscriber, TranscriptionConfig};
use cc_media::deepgram::live::DeepgramTranscriber;
use cc_media::gemini::client::GeminiLive;
use cc_media::openai::client::OpenAiRealtime;
use cc_sim::openai::OpenAiScript;
use cc_sim::script::{Fault, Faults};
use cc_sim::utterance::{silence, speech_like};
use serde_json::json;

fn config(tools: bool) -> AgentSessionConfig {
    let lookup = ToolSpec {
        name: "lookup_order".into(),
        description: "Find an order".into(),
        parameters: json!({"type": "object"}),
    };
    AgentSessionConfig {
        instructions: "Help.".into(),
        voice: None,
        language: None,
        tools: if tools { vec![lookup] } else { Vec::new() },
        history: Vec::new(),
    }
}

/// 600 ms of speech then 500 ms of silence, as 20 ms frames.
fn one_utterance() -> Vec<Vec<u8>> {
    let mut audio = speech_like(600);
    audio.extend(silence(500));
    audio.chunks(160).map(<[u8]>::to_vec).collect()
}

fn faults(fault: Fault, after_answers: u32) -> Faults {
    Faults {
        fault: Some(fault),
        after_answers,
    }
}

async fn openai(faults: Faults) -> Box<dyn AgentSession> {
    let listener = cc_sim::server::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let script = OpenAiScript {
        faults,
        answer_ms: 100,
    };
    tokio::spawn(cc_sim::openai::serve(listener, script));
    let agent = OpenAiRealtime::new("sk").with_base_url(format!("ws://{addr}/v1"));
    agent.connect(config(faults.fault.is_none())).await.unwrap()
}

async fn gemini(faults: Faults) -> Box<dyn AgentSession> {
    let listener = cc_sim::server::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(cc_sim::gemini::serve(listener, faults));
    let agent = GeminiLive::new("g", "gemini-live-sim").with_base_url(format!("ws://{addr}"));
    agent.connect(config(faults.fault.is_none())).await.unwrap()
}

async fn speak(session: &mut Box<dyn AgentSession>) {
    for frame in one_utterance() {
        session.send_audio(&frame).await.unwrap();
    }
}

/// Runs one utterance through a session with a tool: the tool is called with the utterance
/// number, answered, and the spoken answer quotes the output.
async fn tool_round_trip(mut session: Box<dyn AgentSession>) -> String {
    speak(&mut session).await;
    let mut called = None;
    loop {
        match session.next_event().await.unwrap().unwrap() {
            AgentEvent::ToolCall {
                call_id,
                name,
                arguments,
            } => {
                assert_eq!(
                    (name.as_str(), arguments.clone()),
                    ("lookup_order", json!({"utterance": 1}))
                );
                session
                    .send_tool_result(&call_id, json!({"status": "shipped"}))
                    .await
                    .unwrap();
                called = Some(call_id);
            }
            AgentEvent::Transcript { turn, .. }
                if called.is_some() && turn.text.starts_with("answer") =>
            {
                return turn.text;
            }
            _ => {}
        }
    }
}

#[tokio::test]
async fn the_openai_fake_calls_the_declared_tool_and_answers_with_its_output() {
    let answer = tool_round_trip(openai(Faults::default()).await).await;
    assert_eq!(
        answer,
        r#"answer 1 with lookup_order: {"status":"shipped"}"#
    );
}

#[tokio::test]
async fn the_gemini_fake_calls_the_declared_tool_and_answers_with_its_output() {
    let answer = tool_round_trip(gemini(Faults::default()).await).await;
    assert_eq!(
        answer,
        r#"answer 1 with lookup_order: {"status":"shipped"}"#
    );
}

/// The first event that is an error, or `None` if the session ended cleanly first.
async fn first_error(session: &mut Box<dyn AgentSession>) -> Option<String> {
    loop {
        match session.next_event().await {
            Err(e) => return Some(format!("{e:?}")),
            Ok(None) => return None,
            Ok(Some(_)) => {}
        }
    }
}

#[tokio::test]
async fn failing_and_dropping_peers_end_the_session_with_an_error_failover_can_act_on() {
    for (name, mut session) in [
        ("openai fail", openai(faults(Fault::Fail, 1)).await),
        ("openai drop", openai(faults(Fault::Drop, 0)).await),
        ("gemini fail", gemini(faults(Fault::Fail, 0)).await),
        ("gemini drop", gemini(faults(Fault::Drop, 1)).await),
    ] {
        speak(&mut session).await;
        let error = first_error(&mut session).await;
        assert!(
            error.is_some(),
            "{name}: the session must fail, not end cleanly"
        );
    }
}

#[tokio::test]
async fn a_stalled_peer_stays_connected_and_says_nothing_more() {
    for (name, mut session) in [
        ("openai", openai(faults(Fault::Stall, 0)).await),
        ("gemini", gemini(faults(Fault::Stall, 0)).await),
    ] {
        speak(&mut session).await;
        // Silence is the behaviour under test, so this waits a bounded time for nothing;
        // a normal answer arrives within a few milliseconds of the utterance's end.
        let waited = tokio::time::timeout(Duration::from_millis(400), async {
            loop {
                match session.next_event().await {
                    Ok(Some(AgentEvent::SpeechStarted)) => continue,
                    other => return other,
                }
            }
        })
        .await;
        assert!(waited.is_err(), "{name}: expected silence, got {waited:?}");
        session.send_audio(&[0xFF; 160]).await.unwrap();
    }
}

#[tokio::test]
async fn deepgram_faults_end_or_silence_the_stream() {
    let config = TranscriptionConfig {
        language: None,
        interim_results: false,
        endpointing: Duration::from_millis(300),
    };
    for (fault, expect_error) in [
        (Fault::Fail, true),
        (Fault::Drop, true),
        (Fault::Stall, false),
    ] {
        let listener = cc_sim::server::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(cc_sim::deepgram::serve(listener, faults(fault, 0)));
        let mut stream = DeepgramTranscriber::new("dg")
            .with_base_url(format!("ws://{addr}/v1"))
            .start(config.clone())
            .await
            .unwrap();
        for frame in one_utterance() {
            if stream.send_audio(&frame).await.is_err() {
                break;
            }
        }
        if !expect_error {
            // A stalled peer still honours CloseStream, so the stream ends cleanly, unheard.
            stream.finish().await.unwrap();
        }
        let outcome = loop {
            match stream.next_transcript().await {
                // The interim result at speech start comes before the fault.
                Ok(Some(t)) if !t.is_final => continue,
                Ok(Some(t)) => panic!("{fault:?}: no final transcript expected, got {t:?}"),
                other => break other,
            }
        };
        assert_eq!(outcome.is_err(), expect_error, "{fault:?}: {outcome:?}");
    }
}
