//! The Gemini client against a local peer that speaks the Live protocol.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use serde_json::json;
use tokio::net::TcpListener;
use tokio_tungstenite::accept_hdr_async;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

use super::*;
use crate::audio::g711::ulaw_decode;

#[derive(Default)]
struct Seen {
    path: String,
    api_key: Option<String>,
    messages: Vec<Value>,
}

fn tone_24k_base64(samples: usize) -> String {
    let bytes: Vec<u8> = (0..samples)
        .flat_map(|n| {
            ((8000.0 * (2.0 * std::f64::consts::PI * 500.0 * n as f64 / 24_000.0).sin()) as i16)
                .to_le_bytes()
        })
        .collect();
    BASE64.encode(bytes)
}

async fn fake_gemini() -> (String, Arc<Mutex<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("ws://{}", listener.local_addr().unwrap());
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
            s.api_key = req
                .headers()
                .get("x-goog-api-key")
                .map(|v| v.to_str().unwrap().to_owned());
            Ok(resp)
        };
        let mut ws = accept_hdr_async(tcp, on_request).await.unwrap();
        while let Some(Ok(Message::Text(text))) = ws.next().await {
            let msg: Value = serde_json::from_str(text.as_str()).unwrap();
            record.lock().unwrap().messages.push(msg.clone());
            let send = |v: Value| Message::text(v.to_string());
            if msg.get("setup").is_some() {
                ws.send(send(json!({"setupComplete":{}}))).await.unwrap();
            } else if msg.get("realtimeInput").is_some() {
                for v in [
                    json!({"serverContent":{"inputTranscription":{"text":"Is it "}}}),
                    json!({"serverContent":{"inputTranscription":{"text":"raining?","finished":true}}}),
                    json!({"server_content":{"model_turn":{"parts":[{"inline_data":{"mime_type":"audio/pcm;rate=24000","data":tone_24k_base64(4800)}}]}}}),
                    json!({"serverContent":{"outputTranscription":{"text":"Let me check."}}}),
                    json!({"toolCall":{"functionCalls":[{"id":"fc_1","name":"get_weather","args":{"city":"Paris"}}]}}),
                ] {
                    ws.send(send(v)).await.unwrap();
                }
            } else if msg.get("toolResponse").is_some() {
                ws.send(send(json!({"serverContent":{"interrupted":true}})))
                    .await
                    .unwrap();
                ws.send(send(json!({"serverContent":{"turnComplete":true}})))
                    .await
                    .unwrap();
                ws.close(None).await.ok();
                break;
            }
        }
    });
    (base, seen)
}

#[tokio::test]
async fn audio_transcripts_and_tool_calls_cross_the_bridge() {
    let (base, seen) = fake_gemini().await;
    let config = AgentSessionConfig {
        instructions: "Help.".into(),
        voice: Some("Puck".into()),
        language: None,
        tools: Vec::new(),
        history: Vec::new(),
    };
    let mut session = GeminiLive::new("g-key", "gemini-live-test")
        .with_base_url(&base)
        .connect(config)
        .await
        .unwrap();
    session.send_audio(&[0xFF; 160]).await.unwrap();

    let mut events = Vec::new();
    while let Some(event) = session.next_event().await.unwrap() {
        if let AgentEvent::ToolCall { call_id, .. } = &event {
            session
                .send_tool_result(call_id, json!({"result":"21C"}))
                .await
                .unwrap();
        }
        events.push(event);
    }
    assert_eq!(
        events[0],
        AgentEvent::Transcript {
            turn: ConversationTurn {
                speaker: Speaker::Customer,
                text: "Is it raining?".into()
            },
            is_final: true
        }
    );
    let AgentEvent::Audio(audio) = &events[1] else {
        panic!("{:?}", events[1])
    };
    // 200 ms at 24 kHz becomes about 200 ms at 8 kHz; the filter delay holds back a few samples.
    assert!(audio.len() > 1500 && audio.len() <= 1600, "{}", audio.len());
    let peak = audio
        .iter()
        .map(|&c| i32::from(ulaw_decode(c)).abs())
        .max()
        .unwrap();
    assert!(
        peak > 6000 && peak < 9000,
        "a 500 Hz tone keeps its level: {peak}"
    );
    assert_eq!(
        events[2],
        AgentEvent::ToolCall {
            call_id: "fc_1".into(),
            name: "get_weather".into(),
            arguments: json!({"city":"Paris"})
        }
    );
    assert_eq!(events[3], AgentEvent::SpeechStarted);
    assert_eq!(
        events[4],
        AgentEvent::Transcript {
            turn: ConversationTurn {
                speaker: Speaker::Assistant,
                text: "Let me check.".into()
            },
            is_final: true
        }
    );
    assert_eq!(events[5], AgentEvent::ResponseDone);

    let seen = seen.lock().unwrap();
    assert_eq!(seen.path, format!("/{LIVE_PATH}"));
    assert_eq!(seen.api_key.as_deref(), Some("g-key"));
    assert_eq!(
        seen.messages[0]["setup"]["model"],
        "models/gemini-live-test"
    );
    let audio_in = &seen.messages[1]["realtimeInput"]["audio"];
    assert_eq!(audio_in["mimeType"], "audio/pcm;rate=16000");
    // 160 µ-law samples at 8 kHz become about 320 PCM16 samples (640 bytes) at 16 kHz.
    let bytes = BASE64
        .decode(audio_in["data"].as_str().unwrap())
        .unwrap()
        .len();
    assert!((636..=642).contains(&bytes), "{bytes}");
    assert_eq!(
        seen.messages[2],
        json!({"toolResponse":{"functionResponses":[{"id":"fc_1","name":"get_weather","response":{"result":"21C"}}]}})
    );
}

#[tokio::test]
async fn a_server_that_skips_setup_complete_is_a_protocol_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("ws://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        let _setup = ws.next().await;
        ws.send(Message::text(r#"{"serverContent":{"turnComplete":true}}"#))
            .await
            .unwrap();
    });
    let config = AgentSessionConfig {
        instructions: String::new(),
        voice: None,
        language: None,
        tools: Vec::new(),
        history: Vec::new(),
    };
    let err = GeminiLive::new("k", "m")
        .with_base_url(base)
        .connect(config)
        .await
        .err()
        .unwrap();
    assert!(matches!(err, ProviderError::Protocol { .. }), "{err:?}");
}
