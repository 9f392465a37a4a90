//! A fake OpenAI Realtime server at `/v1/realtime` (GA event names, `audio/pcmu`).
//!
//! Per connection: `session.created` on open, `session.updated` for each `session.update`,
//! caller audio from `input_audio_buffer.append` through the VAD; on speech start it sends
//! `input_audio_buffer.speech_started`, and when the utterance ends it sends
//! `speech_stopped`, `committed`, the input transcription (`utterance N`), then a response:
//! `response.created`, µ-law audio deltas in 20 ms chunks, the output transcript and
//! `response.done`. The answer's transcript says how many earlier conversation lines were
//! replayed to it (`answer 1 after 2 earlier lines`), which makes failover observable. With `drop_after_turns`, the socket is dropped without a close frame after
//! that many responses, as a provider outage looks to a client.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use cc_media::audio::vad::VadEvent;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

use crate::server::{Expect, accept};
use crate::utterance::{UtteranceDetector, speech_like};

/// Behaviour of the fake.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenAiScript {
    /// Drop each connection abruptly after this many responses.
    pub drop_after_turns: Option<u32>,
    /// Length of each synthetic answer in ms.
    pub answer_ms: u32,
}

const EXPECT: Expect = Expect {
    path: "/v1/realtime",
    auth_header: "authorization",
};

/// Serves connections from `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, script: OpenAiScript) {
    while let Ok((tcp, _)) = listener.accept().await {
        tokio::spawn(async move {
            if let Err(e) = connection(tcp, script).await {
                tracing::info!(error = %e, "openai fake connection ended with an error");
            }
        });
    }
}

async fn connection(tcp: TcpStream, script: OpenAiScript) -> anyhow::Result<()> {
    let Some(mut ws) = accept(tcp, EXPECT).await else {
        return Ok(());
    };
    let mut seq = 0u64;
    send(
        &mut ws,
        &mut seq,
        json!({"type":"session.created","session":{"type":"realtime","model":"gpt-realtime"}}),
    )
    .await?;
    let mut detector = UtteranceDetector::new();
    let mut turns = 0u32;
    let mut earlier_lines = 0usize;
    while let Some(message) = ws.next().await {
        let text = match message? {
            Message::Text(text) => text,
            Message::Close(_) => break,
            _ => continue,
        };
        let Ok(event) = serde_json::from_str::<Value>(text.as_str()) else {
            send(
                &mut ws,
                &mut seq,
                error("invalid_json", "could not parse the event"),
            )
            .await?;
            continue;
        };
        match event["type"].as_str().unwrap_or_default() {
            "session.update" => {
                let session = event.get("session").cloned().unwrap_or(Value::Null);
                send(
                    &mut ws,
                    &mut seq,
                    json!({"type":"session.updated","session":session}),
                )
                .await?;
            }
            "input_audio_buffer.append" => {
                let Some(audio) = event["audio"].as_str().and_then(|a| BASE64.decode(a).ok())
                else {
                    send(
                        &mut ws,
                        &mut seq,
                        error("invalid_value", "audio must be base64"),
                    )
                    .await?;
                    continue;
                };
                for vad in detector.push(&audio) {
                    match vad {
                        VadEvent::SpeechStarted => {
                            send(&mut ws, &mut seq, json!({"type":"input_audio_buffer.speech_started","audio_start_ms":0,"item_id":format!("user_{turns}")})).await?;
                        }
                        VadEvent::SpeechEnded => {
                            turns += 1;
                            respond(
                                &mut ws,
                                &mut seq,
                                turns,
                                earlier_lines,
                                script.answer_ms.max(20),
                            )
                            .await?;
                            if script.drop_after_turns.is_some_and(|n| turns >= n) {
                                // An outage: no close handshake.
                                return Ok(());
                            }
                        }
                    }
                }
            }
            "conversation.item.create" => {
                if event["item"]["type"] == "message" {
                    earlier_lines += 1;
                }
            }
            "response.create" | "response.cancel" | "conversation.item.truncate" => {}
            other => {
                send(
                    &mut ws,
                    &mut seq,
                    error("unknown_event", &format!("unsupported event type {other}")),
                )
                .await?
            }
        }
    }
    Ok(())
}

fn error(code: &str, message: &str) -> Value {
    json!({"type":"error","error":{"type":"invalid_request_error","code":code,"message":message,"param":null,"event_id":null}})
}

async fn send(
    ws: &mut WebSocketStream<TcpStream>,
    seq: &mut u64,
    mut event: Value,
) -> anyhow::Result<()> {
    *seq += 1;
    event["event_id"] = json!(format!("event_{seq}"));
    ws.send(Message::text(event.to_string())).await?;
    Ok(())
}

async fn respond(
    ws: &mut WebSocketStream<TcpStream>,
    seq: &mut u64,
    turn: u32,
    earlier_lines: usize,
    answer_ms: u32,
) -> anyhow::Result<()> {
    let user = format!("user_{}", turn - 1);
    let item = format!("item_{turn}");
    let response = format!("resp_{turn}");
    send(
        ws,
        seq,
        json!({"type":"input_audio_buffer.speech_stopped","audio_end_ms":0,"item_id":user}),
    )
    .await?;
    send(
        ws,
        seq,
        json!({"type":"input_audio_buffer.committed","item_id":user}),
    )
    .await?;
    send(ws, seq, json!({"type":"conversation.item.input_audio_transcription.completed","item_id":user,"content_index":0,"transcript":crate::utterance::transcript(turn)})).await?;
    send(
        ws,
        seq,
        json!({"type":"response.created","response":{"id":response,"status":"in_progress"}}),
    )
    .await?;
    for chunk in speech_like(answer_ms).chunks(160) {
        send(ws, seq, json!({"type":"response.output_audio.delta","response_id":response,"item_id":item,"output_index":0,"content_index":0,"delta":BASE64.encode(chunk)})).await?;
    }
    send(
        ws,
        seq,
        json!({"type":"response.output_audio.done","response_id":response,"item_id":item}),
    )
    .await?;
    send(ws, seq, json!({"type":"response.output_audio_transcript.done","response_id":response,"item_id":item,"transcript":format!("answer {turn} after {earlier_lines} earlier lines")})).await?;
    send(
        ws,
        seq,
        json!({"type":"response.done","response":{"id":response,"status":"completed","output":[]}}),
    )
    .await
}
