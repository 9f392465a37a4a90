//! A fake OpenAI Realtime server at `/v1/realtime` (GA event names, `audio/pcmu`).
//!
//! Per connection: `session.created` on open, `session.updated` for each `session.update`,
//! caller audio from `input_audio_buffer.append` through the VAD; on speech start it sends
//! `input_audio_buffer.speech_started`, and when the utterance ends it sends
//! `speech_stopped`, `committed`, the input transcription (`utterance N`), then a response:
//! `response.created`, µ-law audio deltas in 20 ms chunks, the output transcript and
//! `response.done`. The answer's transcript says how many earlier conversation lines were
//! replayed to it (`answer 1 after 2 earlier lines`), which makes failover observable. When the
//! session declares tools, each utterance is first answered by a call of the first tool
//! (`response.function_call_arguments.done` and the `function_call` output item, arguments
//! `{"utterance": N}`); the spoken answer follows the app's `function_call_output` and
//! `response.create`, and its transcript quotes the output (`answer 1 with lookup: {...}`).
//! [`Faults`] make it fail (an `error` event, then close 1011), stall or drop the socket.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
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
use crate::utterance::{UtteranceDetector, speech_like};

/// Behaviour of the fake.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenAiScript {
    /// When to fail, stall or drop.
    pub faults: Faults,
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

/// One connection's conversation.
struct Conversation {
    ws: WebSocketStream<TcpStream>,
    seq: u64,
    script: OpenAiScript,
    /// Caller utterances heard.
    turns: u32,
    /// Answers given.
    answers: u32,
    earlier_lines: usize,
    /// Function names from the last `session.update`.
    tools: Vec<String>,
    /// A tool call waiting for its output: (call id, tool name).
    pending_call: Option<(String, String)>,
    /// A tool's output, to be used in the next answer.
    tool_output: Option<(String, String)>,
    stalled: bool,
}

/// What the connection loop does next.
enum Next {
    Continue,
    /// End the connection (a close frame was or was deliberately not sent).
    End,
}

async fn connection(tcp: TcpStream, script: OpenAiScript) -> anyhow::Result<()> {
    let Some(ws) = accept(tcp, EXPECT).await else {
        return Ok(());
    };
    let mut c = Conversation {
        ws,
        seq: 0,
        script,
        turns: 0,
        answers: 0,
        earlier_lines: 0,
        tools: Vec::new(),
        pending_call: None,
        tool_output: None,
        stalled: false,
    };
    c.send(json!({"type":"session.created","session":{"type":"realtime","model":"gpt-realtime"}}))
        .await?;
    let mut detector = UtteranceDetector::new();
    while let Some(message) = c.ws.next().await {
        let text = match message? {
            Message::Text(text) => text,
            Message::Close(_) => break,
            _ => continue,
        };
        if c.stalled {
            continue;
        }
        let Ok(event) = serde_json::from_str::<Value>(text.as_str()) else {
            c.send(error("invalid_json", "could not parse the event"))
                .await?;
            continue;
        };
        if let Next::End = c.handle(&event, &mut detector).await? {
            return Ok(());
        }
    }
    Ok(())
}

impl Conversation {
    async fn send(&mut self, mut event: Value) -> anyhow::Result<()> {
        self.seq += 1;
        event["event_id"] = json!(format!("event_{}", self.seq));
        self.ws.send(Message::text(event.to_string())).await?;
        Ok(())
    }

    async fn handle(
        &mut self,
        event: &Value,
        detector: &mut UtteranceDetector,
    ) -> anyhow::Result<Next> {
        match event["type"].as_str().unwrap_or_default() {
            "session.update" => {
                let session = event.get("session").cloned().unwrap_or(Value::Null);
                self.tools = tool_names(&session["tools"]);
                self.send(json!({"type":"session.updated","session":session}))
                    .await?;
            }
            "input_audio_buffer.append" => {
                let Some(audio) = event["audio"].as_str().and_then(|a| BASE64.decode(a).ok())
                else {
                    self.send(error("invalid_value", "audio must be base64"))
                        .await?;
                    return Ok(Next::Continue);
                };
                for vad in detector.push(&audio) {
                    if let Next::End = self.on_vad(vad).await? {
                        return Ok(Next::End);
                    }
                }
            }
            "conversation.item.create" => match event["item"]["type"].as_str() {
                Some("message") => self.earlier_lines += 1,
                Some("function_call_output") => {
                    let call_id = event["item"]["call_id"].as_str().unwrap_or_default();
                    match self.pending_call.take() {
                        Some((id, name)) if id == call_id => {
                            let output = event["item"]["output"].as_str().unwrap_or_default();
                            self.tool_output = Some((name, output.to_owned()));
                        }
                        other => {
                            self.pending_call = other;
                            self.send(error("invalid_value", "unknown call_id")).await?;
                        }
                    }
                }
                _ => {}
            },
            "response.create" => {
                if let Some((name, output)) = self.tool_output.take() {
                    let line = format!("answer {} with {name}: {output}", self.turns);
                    return self.answer(line).await;
                }
            }
            "response.cancel" | "conversation.item.truncate" => {}
            other => {
                self.send(error(
                    "unknown_event",
                    &format!("unsupported event type {other}"),
                ))
                .await?
            }
        }
        Ok(Next::Continue)
    }

    async fn on_vad(&mut self, vad: VadEvent) -> anyhow::Result<Next> {
        match vad {
            VadEvent::SpeechStarted => {
                let item = format!("user_{}", self.turns);
                self.send(json!({"type":"input_audio_buffer.speech_started","audio_start_ms":0,"item_id":item}))
                    .await?;
                Ok(Next::Continue)
            }
            VadEvent::SpeechEnded => {
                self.turns += 1;
                if let Some(fault) = self.script.faults.due(self.answers) {
                    return self.misbehave(fault).await;
                }
                self.heard().await?;
                match self.tools.first().cloned() {
                    Some(tool) => self.call_tool(tool).await,
                    None => {
                        let line = format!(
                            "answer {} after {} earlier lines",
                            self.turns, self.earlier_lines
                        );
                        self.answer(line).await
                    }
                }
            }
        }
    }

    async fn misbehave(&mut self, fault: Fault) -> anyhow::Result<Next> {
        match fault {
            // An outage: no close handshake.
            Fault::Drop => return Ok(Next::End),
            Fault::Fail => {
                self.send(json!({"type":"error","error":{"type":"server_error","code":"server_error",
                    "message":"The server had an error while processing your request.","param":null,"event_id":null}}))
                    .await?;
                let frame = CloseFrame {
                    code: CloseCode::Error,
                    reason: "server_error".into(),
                };
                self.ws.close(Some(frame)).await.ok();
                return Ok(Next::End);
            }
            Fault::Stall => self.stalled = true,
        }
        Ok(Next::Continue)
    }

    /// The caller's utterance ended: stopped, committed, transcribed.
    async fn heard(&mut self) -> anyhow::Result<()> {
        let user = format!("user_{}", self.turns - 1);
        self.send(
            json!({"type":"input_audio_buffer.speech_stopped","audio_end_ms":0,"item_id":user}),
        )
        .await?;
        self.send(json!({"type":"input_audio_buffer.committed","item_id":user}))
            .await?;
        let transcript = crate::utterance::transcript(self.turns);
        self.send(json!({"type":"conversation.item.input_audio_transcription.completed","item_id":user,"content_index":0,"transcript":transcript}))
            .await
    }

    /// A response that only calls `tool`; the answer follows its output.
    async fn call_tool(&mut self, tool: String) -> anyhow::Result<Next> {
        let (response, item) = (
            format!("resp_call_{}", self.turns),
            format!("fc_{}", self.turns),
        );
        let call_id = format!("call_{}", self.turns);
        let arguments = json!({"utterance": self.turns}).to_string();
        self.send(
            json!({"type":"response.created","response":{"id":response,"status":"in_progress"}}),
        )
        .await?;
        self.send(json!({"type":"response.function_call_arguments.done","response_id":response,"item_id":item,
            "output_index":0,"call_id":call_id,"name":tool,"arguments":arguments}))
            .await?;
        self.send(json!({"type":"response.output_item.done","response_id":response,"output_index":0,
            "item":{"id":item,"type":"function_call","status":"completed","call_id":call_id,"name":tool,"arguments":arguments}}))
            .await?;
        self.send(json!({"type":"response.done","response":{"id":response,"status":"completed","output":[]}}))
            .await?;
        self.pending_call = Some((call_id, tool));
        Ok(Next::Continue)
    }

    /// A spoken response whose transcript is `line`.
    async fn answer(&mut self, line: String) -> anyhow::Result<Next> {
        self.answers += 1;
        let (response, item) = (
            format!("resp_{}", self.answers),
            format!("item_{}", self.answers),
        );
        self.send(
            json!({"type":"response.created","response":{"id":response,"status":"in_progress"}}),
        )
        .await?;
        for chunk in speech_like(self.script.answer_ms.max(20)).chunks(160) {
            self.send(json!({"type":"response.output_audio.delta","response_id":response,"item_id":item,"output_index":0,"content_index":0,"delta":BASE64.encode(chunk)}))
                .await?;
        }
        self.send(
            json!({"type":"response.output_audio.done","response_id":response,"item_id":item}),
        )
        .await?;
        self.send(json!({"type":"response.output_audio_transcript.done","response_id":response,"item_id":item,"transcript":line}))
            .await?;
        self.send(json!({"type":"response.done","response":{"id":response,"status":"completed","output":[]}}))
            .await?;
        // A drop or failure "after N answers" follows the Nth at once; a stall waits for
        // the next utterance (it is silence, not an event).
        match self.script.faults.due(self.answers) {
            Some(fault @ (Fault::Drop | Fault::Fail)) => self.misbehave(fault).await,
            _ => Ok(Next::Continue),
        }
    }
}

/// Function names of a session's `tools`.
fn tool_names(tools: &Value) -> Vec<String> {
    let Value::Array(tools) = tools else {
        return Vec::new();
    };
    tools
        .iter()
        .filter_map(|t| t["name"].as_str().map(str::to_owned))
        .collect()
}

fn error(code: &str, message: &str) -> Value {
    json!({"type":"error","error":{"type":"invalid_request_error","code":code,"message":message,"param":null,"event_id":null}})
}
