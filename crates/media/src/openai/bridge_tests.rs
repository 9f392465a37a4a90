//! Bridge behaviour on documented GA and beta event sequences.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::*;
use crate::capability::Language;
use crate::capability::agent::{AgentSessionConfig, ToolSpec};

fn feed(bridge: &mut RealtimeBridge, frames: &[&str]) -> Vec<AgentEvent> {
    frames
        .iter()
        .flat_map(|f| bridge.handle_text(f).unwrap())
        .collect()
}

#[test]
fn a_ga_turn_yields_transcripts_audio_and_done() {
    let mut b = RealtimeBridge::new("openai");
    let events = feed(
        &mut b,
        &[
            r#"{"type":"session.created","event_id":"e1","session":{"type":"realtime"}}"#,
            r#"{"type":"input_audio_buffer.speech_started","event_id":"e2","audio_start_ms":100,"item_id":"u1"}"#,
            r#"{"type":"input_audio_buffer.speech_stopped","event_id":"e3","audio_end_ms":900,"item_id":"u1"}"#,
            r#"{"type":"conversation.item.input_audio_transcription.completed","event_id":"e4","item_id":"u1","content_index":0,"transcript":"Hello"}"#,
            r#"{"type":"response.created","event_id":"e5","response":{"id":"r1","status":"in_progress"}}"#,
            r#"{"type":"response.output_audio.delta","event_id":"e6","response_id":"r1","item_id":"a1","output_index":0,"content_index":0,"delta":"//8="}"#,
            r#"{"type":"response.output_audio_transcript.done","event_id":"e7","item_id":"a1","transcript":"Hi there"}"#,
            r#"{"type":"response.done","event_id":"e8","response":{"id":"r1","status":"completed","output":[]}}"#,
            r#"{"type":"rate_limits.updated","event_id":"e9","rate_limits":[]}"#,
        ],
    );
    assert_eq!(
        events,
        vec![
            AgentEvent::SpeechStarted,
            AgentEvent::Transcript {
                turn: ConversationTurn {
                    speaker: Speaker::Customer,
                    text: "Hello".into()
                },
                is_final: true
            },
            AgentEvent::Audio(vec![0xFF, 0xFF]),
            AgentEvent::Transcript {
                turn: ConversationTurn {
                    speaker: Speaker::Assistant,
                    text: "Hi there".into()
                },
                is_final: true
            },
            AgentEvent::ResponseDone,
        ]
    );
}

#[test]
fn beta_names_are_accepted() {
    let mut b = RealtimeBridge::new("openai");
    let events = feed(
        &mut b,
        &[
            r#"{"type":"response.audio.delta","response_id":"r","item_id":"a","delta":"AAA="}"#,
            r#"{"type":"response.audio_transcript.done","item_id":"a","transcript":"ok"}"#,
        ],
    );
    assert_eq!(events.len(), 2);
    assert_eq!(events[0], AgentEvent::Audio(vec![0, 0]));
}

#[test]
fn a_ga_function_call_is_reported_once() {
    let mut b = RealtimeBridge::new("openai");
    let events = feed(
        &mut b,
        &[
            r#"{"type":"response.function_call_arguments.done","call_id":"c1","name":"get_weather","arguments":"{\"city\":\"Brno\"}","item_id":"f1","response_id":"r","output_index":0}"#,
            r#"{"type":"response.output_item.done","item":{"id":"f1","type":"function_call","call_id":"c1","name":"get_weather","arguments":"{\"city\":\"Brno\"}"}}"#,
        ],
    );
    assert_eq!(
        events,
        vec![AgentEvent::ToolCall {
            call_id: "c1".into(),
            name: "get_weather".into(),
            arguments: json!({"city":"Brno"})
        }]
    );
}

#[test]
fn a_beta_function_call_takes_its_name_from_the_item() {
    let mut b = RealtimeBridge::new("openai");
    let events = feed(
        &mut b,
        &[
            r#"{"type":"response.function_call_arguments.done","call_id":"c2","arguments":"{}","item_id":"f2"}"#,
            r#"{"type":"response.output_item.done","item":{"id":"f2","type":"function_call","call_id":"c2","name":"transfer"}}"#,
        ],
    );
    assert_eq!(
        events,
        vec![AgentEvent::ToolCall {
            call_id: "c2".into(),
            name: "transfer".into(),
            arguments: json!({})
        }]
    );
}

#[test]
fn barge_in_truncates_at_what_was_heard_and_cancels() {
    let mut b = RealtimeBridge::new("openai");
    // 4000 bytes of µ-law = 500 ms sent.
    let delta = BASE64.encode([0xFFu8; 4000]);
    b.handle_text(&format!(r#"{{"type":"response.output_audio.delta","response_id":"r","item_id":"a7","delta":"{delta}"}}"#)).unwrap();
    let events = b.barge_in(320);
    assert_eq!(
        events,
        vec![
            ClientEvent::TruncateItem {
                item_id: "a7".into(),
                content_index: 0,
                audio_end_ms: 320
            },
            ClientEvent::CancelResponse { response_id: None }
        ]
    );
    assert_eq!(
        serde_json::to_value(&events[0]).unwrap(),
        json!({"type":"conversation.item.truncate","item_id":"a7","content_index":0,"audio_end_ms":320})
    );
    assert_eq!(events[1].to_json(), r#"{"type":"response.cancel"}"#);
    // Nothing playing any more: only the cancel.
    assert_eq!(
        b.barge_in(100),
        vec![ClientEvent::CancelResponse { response_id: None }]
    );
}

#[test]
fn errors_and_malformed_frames_become_provider_errors() {
    let mut b = RealtimeBridge::new("openai");
    let err = b
        .handle_text(r#"{"type":"error","event_id":"e","error":{"type":"invalid_request_error","code":"invalid_value","message":"bad","param":null,"event_id":null}}"#)
        .unwrap_err();
    assert!(
        matches!(err, ProviderError::Rejected { ref detail, .. } if detail == "invalid_value: bad")
    );
    let err = b.handle_text(r#"{"type":"error","error":{"type":"server_error","code":null,"message":"boom","param":null,"event_id":null}}"#).unwrap_err();
    assert!(err.warrants_failover());
    for bad in [
        "",
        "{}",
        r#"{"type":"response.output_audio.delta"}"#,
        r#"{"type":"response.output_audio.delta","delta":"***"}"#,
    ] {
        assert!(
            matches!(b.handle_text(bad), Err(ProviderError::Protocol { .. })),
            "{bad}"
        );
    }
    let bad_args = r#"{"type":"response.function_call_arguments.done","call_id":"c","name":"f","arguments":"not json"}"#;
    assert!(matches!(
        b.handle_text(bad_args),
        Err(ProviderError::Protocol { .. })
    ));
}

#[test]
fn client_events_have_the_documented_shapes() {
    let config = AgentSessionConfig {
        instructions: "Be brief.".into(),
        voice: Some("alloy".into()),
        language: Some(Language::Es),
        tools: vec![ToolSpec {
            name: "lookup".into(),
            description: "Find an order".into(),
            parameters: json!({"type":"object"}),
        }],
        history: Vec::new(),
    };
    let update =
        serde_json::to_value(ClientEvent::session_update("gpt-realtime", &config)).unwrap();
    assert_eq!(update["type"], "session.update");
    assert_eq!(update["session"]["type"], "realtime");
    assert_eq!(
        update["session"]["audio"]["input"]["format"],
        json!({"type":"audio/pcmu"})
    );
    assert_eq!(
        update["session"]["audio"]["output"],
        json!({"format":{"type":"audio/pcmu"},"voice":"alloy"})
    );
    assert_eq!(
        update["session"]["audio"]["input"]["transcription"]["language"],
        "es"
    );
    assert_eq!(
        update["session"]["tools"][0],
        json!({"type":"function","name":"lookup","description":"Find an order","parameters":{"type":"object"}})
    );

    let append = serde_json::to_value(ClientEvent::AppendAudio {
        audio: "//8=".into(),
    })
    .unwrap();
    assert_eq!(
        append,
        json!({"type":"input_audio_buffer.append","audio":"//8="})
    );
    let result: Vec<serde_json::Value> = RealtimeBridge::tool_result("c1", &json!({"temp":21}))
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    assert_eq!(
        result,
        vec![
            json!({"type":"conversation.item.create","item":{"type":"function_call_output","call_id":"c1","output":"{\"temp\":21}"}}),
            json!({"type":"response.create"})
        ]
    );
}

#[test]
fn history_replays_as_user_and_assistant_messages() {
    let history = vec![
        ConversationTurn {
            speaker: Speaker::Customer,
            text: "My order is late".into(),
        },
        ConversationTurn {
            speaker: Speaker::Assistant,
            text: "Let me check".into(),
        },
    ];
    let replay: Vec<serde_json::Value> = RealtimeBridge::replay_history(&history)
        .iter()
        .map(|e| serde_json::to_value(e).unwrap())
        .collect();
    assert_eq!(
        replay,
        vec![
            json!({"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"My order is late"}]}}),
            json!({"type":"conversation.item.create","item":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Let me check"}]}}),
        ]
    );
}

#[test]
fn an_audio_counter_overflow_is_a_protocol_error_not_a_panic() {
    let mut b = RealtimeBridge::new("openai");
    b.playing_item = Some("a1".into());
    b.audio_ms_sent = u64::MAX;
    // 8 bytes of µ-law is one more millisecond than the counter can hold.
    let delta = r#"{"type":"response.output_audio.delta","item_id":"a1","delta":"AAAAAAAAAAA="}"#;
    assert!(matches!(
        b.handle_text(delta),
        Err(ProviderError::Protocol { ref detail, .. }) if detail.contains("overflow")
    ));
    assert_eq!(b.audio_ms_sent, u64::MAX);
    // A new item starts counting again from zero.
    let next = delta.replace("a1", "a2");
    assert_eq!(
        b.handle_text(&next).unwrap(),
        vec![AgentEvent::Audio(vec![0; 8])]
    );
    assert_eq!(b.audio_ms_sent, 1);
}
