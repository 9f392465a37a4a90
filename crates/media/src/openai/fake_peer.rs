//! A Realtime peer on 127.0.0.1 for tests: it speaks the documented protocol, records what
//! the client sent, and follows a small script (answer a turn, or drop the socket).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_tungstenite::accept_hdr_async;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

#[derive(Debug, Default)]
pub(crate) struct Seen {
    pub path: String,
    pub auth: Option<String>,
    pub beta_header: bool,
    pub client_events: Vec<Value>,
}

pub(crate) enum Script {
    /// Answer one appended chunk with a full turn, then close cleanly.
    OneTurn,
    /// Drop the TCP connection without a close frame after the first append.
    DropAfterAppend,
    /// Transcribe the first append as `text`, then drop the connection.
    TranscriptThenDrop(&'static str),
}

pub(crate) async fn fake_openai(script: Script) -> (String, Arc<Mutex<Seen>>) {
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
                ("input_audio_buffer.append", Script::TranscriptThenDrop(said)) => {
                    let v = json!({"type":"conversation.item.input_audio_transcription.completed","item_id":"u0","content_index":0,"transcript":said});
                    ws.send(send(v)).await.unwrap();
                    drop(ws);
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
