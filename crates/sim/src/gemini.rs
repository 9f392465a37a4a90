//! A fake Gemini Live server at the `BidiGenerateContent` WebSocket path.
//!
//! The first client message must be `setup` (answered with `setupComplete`); anything else
//! first closes the socket with a policy error, as the real service does. Both camelCase and
//! snake_case keys are accepted, because the official SDK mixes them. Caller audio
//! (`realtimeInput.audio` or the older `mediaChunks`, PCM16 16 kHz) is downsampled to 8 kHz and
//! run through the VAD; on speech start the fake sends `interrupted` (barge-in), and when the
//! utterance ends it sends the input transcription (`utterance N`), PCM16 24 kHz answer audio,
//! the output transcription and `turnComplete`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use cc_media::audio::g711::encode_ulaw_into;
use cc_media::audio::resample::Resampler;
use cc_media::audio::vad::VadEvent;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::server::{Expect, accept};
use crate::utterance::UtteranceDetector;

/// The Live API method path.
pub const PATH: &str =
    "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";
const EXPECT: Expect = Expect {
    path: PATH,
    auth_header: "x-goog-api-key",
};

/// Serves connections from `listener` until the task is dropped.
pub async fn serve(listener: TcpListener) {
    while let Ok((tcp, _)) = listener.accept().await {
        tokio::spawn(async move {
            if let Err(e) = connection(tcp).await {
                tracing::info!(error = %e, "gemini fake connection ended with an error");
            }
        });
    }
}

/// `key` in either casing.
fn field<'a>(v: &'a Value, camel: &str, snake: &str) -> Option<&'a Value> {
    v.get(camel).or_else(|| v.get(snake))
}

/// PCM16 LE base64 chunks carried by a `realtimeInput`, current or deprecated form.
fn audio_chunks(input: &Value) -> Vec<Vec<u8>> {
    let mut blobs: Vec<&Value> = field(input, "audio", "audio").into_iter().collect();
    if let Some(Value::Array(chunks)) = field(input, "mediaChunks", "media_chunks") {
        blobs.extend(chunks.iter());
    }
    blobs
        .iter()
        .filter_map(|b| b.get("data")?.as_str())
        .filter_map(|d| BASE64.decode(d).ok())
        .collect()
}

/// 24 kHz PCM16 LE answer audio: a 220 Hz tone of `ms`.
fn answer_audio(ms: u32) -> String {
    let bytes: Vec<u8> = (0..ms * 24)
        .flat_map(|n| {
            ((7000.0 * (2.0 * std::f64::consts::PI * 220.0 * f64::from(n) / 24_000.0).sin()) as i16)
                .to_le_bytes()
        })
        .collect();
    BASE64.encode(bytes)
}

async fn connection(tcp: TcpStream) -> anyhow::Result<()> {
    let Some(mut ws) = accept(tcp, EXPECT).await else {
        return Ok(());
    };
    let mut set_up = false;
    let mut detector = UtteranceDetector::new();
    let mut down = Resampler::new(16_000, 8_000)?;
    let mut turns = 0u32;
    let send = |v: Value| Message::text(v.to_string());
    while let Some(message) = ws.next().await {
        let bytes = match message? {
            Message::Text(t) => t.as_bytes().to_vec(),
            Message::Binary(b) => b.to_vec(),
            Message::Close(_) => break,
            _ => continue,
        };
        let Ok(msg) = serde_json::from_slice::<Value>(&bytes) else {
            ws.close(Some(CloseFrame {
                code: CloseCode::Invalid,
                reason: "invalid JSON".into(),
            }))
            .await
            .ok();
            break;
        };
        if !set_up {
            if msg.get("setup").is_none() {
                ws.close(Some(CloseFrame {
                    code: CloseCode::Policy,
                    reason: "setup must be the first message".into(),
                }))
                .await
                .ok();
                break;
            }
            set_up = true;
            ws.send(send(json!({"setupComplete": {}}))).await?;
            continue;
        }
        let Some(input) = field(&msg, "realtimeInput", "realtime_input") else {
            continue;
        };
        for chunk in audio_chunks(input) {
            let pcm: Vec<i16> = chunk
                .chunks_exact(2)
                .map(|p| i16::from_le_bytes([p[0], p[1]]))
                .collect();
            let mut narrow = Vec::with_capacity(pcm.len() / 2 + 1);
            down.process(&pcm, &mut narrow);
            let mut mulaw = Vec::with_capacity(narrow.len());
            encode_ulaw_into(&narrow, &mut mulaw);
            for event in detector.push(&mulaw) {
                match event {
                    VadEvent::SpeechStarted => {
                        ws.send(send(json!({"serverContent": {"interrupted": true}})))
                            .await?
                    }
                    VadEvent::SpeechEnded => {
                        turns += 1;
                        for v in [
                            json!({"serverContent": {"inputTranscription": {"text": crate::utterance::transcript(turns), "finished": true}}}),
                            json!({"serverContent": {"modelTurn": {"parts": [{"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": answer_audio(200)}}]}}}),
                            json!({"serverContent": {"outputTranscription": {"text": format!("answer {turns}")}}}),
                            json!({"serverContent": {"generationComplete": true}}),
                            json!({"serverContent": {"turnComplete": true}}),
                        ] {
                            ws.send(send(v)).await?;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}
