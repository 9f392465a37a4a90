//! A fake Gemini Live server at the `BidiGenerateContent` WebSocket path.
//!
//! The first client message must be `setup` (answered with `setupComplete`); anything else
//! first closes the socket with a policy error, as the real service does. Both camelCase and
//! snake_case keys are accepted, because the official SDK mixes them. Caller audio
//! (`realtimeInput.audio` or the older `mediaChunks`, PCM16 16 kHz) is downsampled to 8 kHz and
//! run through the VAD; on speech start the fake sends `interrupted` (barge-in), and when the
//! utterance ends it sends the input transcription (`utterance N`), PCM16 24 kHz answer audio,
//! the output transcription and `turnComplete`. When `setup` declares functions, each
//! utterance is first answered by a `toolCall` of the first one (args `{"utterance": N}`); the
//! spoken answer follows the app's `toolResponse` and quotes it (`answer 1 with lookup: {...}`).
//! [`Faults`] make it fail (close 1011), stall or drop the socket.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use cc_media::audio::g711::encode_ulaw_into;
use cc_media::audio::resample::Resampler;
use cc_media::audio::vad::VadEvent;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::script::{Fault, Faults};
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
pub async fn serve(listener: TcpListener, faults: Faults) {
    while let Ok((tcp, _)) = listener.accept().await {
        tokio::spawn(async move {
            if let Err(e) = connection(tcp, faults).await {
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

/// One connection's conversation.
struct Conversation {
    ws: WebSocketStream<TcpStream>,
    faults: Faults,
    turns: u32,
    answers: u32,
    /// Function names declared in `setup`.
    tools: Vec<String>,
    /// A tool call waiting for its response: (id, name).
    pending_call: Option<(String, String)>,
    stalled: bool,
}

async fn connection(tcp: TcpStream, faults: Faults) -> anyhow::Result<()> {
    let Some(ws) = accept(tcp, EXPECT).await else {
        return Ok(());
    };
    let mut c = Conversation {
        ws,
        faults,
        turns: 0,
        answers: 0,
        tools: Vec::new(),
        pending_call: None,
        stalled: false,
    };
    let mut set_up = false;
    let mut detector = UtteranceDetector::new();
    let mut down = Resampler::new(16_000, 8_000)?;
    while let Some(message) = c.ws.next().await {
        let bytes = match message? {
            Message::Text(t) => t.as_bytes().to_vec(),
            Message::Binary(b) => b.to_vec(),
            Message::Close(_) => break,
            _ => continue,
        };
        if c.stalled {
            continue;
        }
        let Ok(msg) = serde_json::from_slice::<Value>(&bytes) else {
            c.close(CloseCode::Invalid, "invalid JSON").await;
            break;
        };
        if !set_up {
            let Some(setup) = msg.get("setup") else {
                c.close(CloseCode::Policy, "setup must be the first message")
                    .await;
                break;
            };
            c.tools = declared_tools(setup);
            set_up = true;
            c.send(json!({"setupComplete": {}})).await?;
            continue;
        }
        if let Some(response) = field(&msg, "toolResponse", "tool_response") {
            if let Next::End = c.tool_response(response).await? {
                return Ok(());
            }
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
                if let Next::End = c.on_vad(event).await? {
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}

/// What the connection loop does next.
enum Next {
    Continue,
    End,
}

impl Conversation {
    async fn send(&mut self, v: Value) -> anyhow::Result<()> {
        self.ws.send(Message::text(v.to_string())).await?;
        Ok(())
    }

    async fn close(&mut self, code: CloseCode, reason: &str) {
        let frame = CloseFrame {
            code,
            reason: reason.to_owned().into(),
        };
        self.ws.close(Some(frame)).await.ok();
    }

    async fn on_vad(&mut self, event: VadEvent) -> anyhow::Result<Next> {
        if let VadEvent::SpeechStarted = event {
            self.send(json!({"serverContent": {"interrupted": true}}))
                .await?;
            return Ok(Next::Continue);
        }
        self.turns += 1;
        if let Some(fault) = self.faults.due(self.answers) {
            return Ok(self.misbehave(fault).await);
        }
        let heard = crate::utterance::transcript(self.turns);
        self.send(
            json!({"serverContent": {"inputTranscription": {"text": heard, "finished": true}}}),
        )
        .await?;
        match self.tools.first().cloned() {
            Some(name) => {
                let id = format!("fc_{}", self.turns);
                self.send(json!({"toolCall": {"functionCalls": [{"id": id, "name": name, "args": {"utterance": self.turns}}]}}))
                    .await?;
                self.pending_call = Some((id, name));
                Ok(Next::Continue)
            }
            None => {
                let line = format!("answer {}", self.turns);
                self.answer(&line).await
            }
        }
    }

    async fn tool_response(&mut self, response: &Value) -> anyhow::Result<Next> {
        let answered = field(response, "functionResponses", "function_responses")
            .and_then(|r| r.get(0))
            .cloned()
            .unwrap_or(Value::Null);
        match self.pending_call.take() {
            Some((id, name)) if answered["id"] == id.as_str() => {
                let line = format!(
                    "answer {} with {name}: {}",
                    self.turns, answered["response"]
                );
                self.answer(&line).await
            }
            pending => {
                self.pending_call = pending;
                self.close(CloseCode::Invalid, "unknown function call id")
                    .await;
                Ok(Next::End)
            }
        }
    }

    async fn answer(&mut self, line: &str) -> anyhow::Result<Next> {
        self.answers += 1;
        for v in [
            json!({"serverContent": {"modelTurn": {"parts": [{"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": answer_audio(200)}}]}}}),
            json!({"serverContent": {"outputTranscription": {"text": line}}}),
            json!({"serverContent": {"generationComplete": true}}),
            json!({"serverContent": {"turnComplete": true}}),
        ] {
            self.send(v).await?;
        }
        // A drop or failure "after N answers" follows the Nth at once.
        Ok(match self.faults.due(self.answers) {
            Some(fault @ (Fault::Drop | Fault::Fail)) => self.misbehave(fault).await,
            _ => Next::Continue,
        })
    }

    async fn misbehave(&mut self, fault: Fault) -> Next {
        match fault {
            Fault::Drop => Next::End,
            Fault::Fail => {
                self.close(CloseCode::Error, "Internal error encountered.")
                    .await;
                Next::End
            }
            Fault::Stall => {
                self.stalled = true;
                Next::Continue
            }
        }
    }
}

/// Function names declared in a `setup`'s `tools`.
fn declared_tools(setup: &Value) -> Vec<String> {
    let Some(Value::Array(tools)) = setup.get("tools") else {
        return Vec::new();
    };
    tools
        .iter()
        .filter_map(|t| field(t, "functionDeclarations", "function_declarations"))
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|d| d["name"].as_str().map(str::to_owned))
        .collect()
}
