//! The Gemini Live WebSocket client: a [`SpeechToSpeechAgent`] for phone calls.
//!
//! Connects to `{base}/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent`
//! with `x-goog-api-key`, sends `setup`, waits for `setupComplete` (nothing else may be sent
//! before it), replays the conversation so far, then bridges audio: caller µ-law 8 kHz is
//! decoded and upsampled to 16 kHz; model PCM16 24 kHz is downsampled to 8 kHz and µ-law
//! encoded. `interrupted` is reported as [`AgentEvent::SpeechStarted`] (flush playback);
//! transcription chunks are joined into one final line per utterance. Gemini interrupts by
//! itself on caller speech, so [`AgentSession::cancel_response`] sends nothing.

use std::collections::{HashMap, VecDeque};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use super::messages::{self, ServerContent, ServerMessage};
use crate::audio::g711::{decode_ulaw_into, encode_ulaw_into};
use crate::audio::resample::Resampler;
use crate::capability::agent::{AgentEvent, AgentSession, AgentSessionConfig, SpeechToSpeechAgent};
use crate::capability::{BoxFuture, ConversationTurn, ProviderError, Speaker};

/// Production host.
pub const DEFAULT_BASE_URL: &str = "wss://generativelanguage.googleapis.com";
/// Path of the bidirectional method.
pub const LIVE_PATH: &str =
    "ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// Gemini Live as a speech-to-speech provider.
#[derive(Debug, Clone)]
pub struct GeminiLive {
    name: String,
    base_url: String,
    api_key: String,
    model: String,
}

fn err(
    kind: fn(String, String) -> ProviderError,
    name: &str,
    detail: impl Into<String>,
) -> ProviderError {
    kind(name.to_owned(), detail.into())
}

fn unavailable(provider: String, detail: String) -> ProviderError {
    ProviderError::Unavailable { provider, detail }
}

fn protocol(provider: String, detail: String) -> ProviderError {
    ProviderError::Protocol { provider, detail }
}

impl GeminiLive {
    /// A provider using `api_key` and the given model.
    pub fn new(api_key: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            name: "gemini".into(),
            base_url: DEFAULT_BASE_URL.into(),
            api_key: api_key.into(),
            model: model.into(),
        }
    }

    /// Points at another host (`ws://127.0.0.1:PORT` for cc-sim).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Names this provider in logs, metrics and breakers.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    async fn open(
        &self,
        config: AgentSessionConfig,
    ) -> Result<Box<dyn AgentSession>, ProviderError> {
        let url = format!("{}/{LIVE_PATH}", self.base_url.trim_end_matches('/'));
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(|e| err(unavailable, &self.name, format!("bad URL: {e}")))?;
        let key =
            HeaderValue::from_str(&self.api_key).map_err(|_| ProviderError::Unauthorized {
                provider: self.name.clone(),
            })?;
        request.headers_mut().insert("x-goog-api-key", key);
        let (socket, _) = connect_async(request)
            .await
            .map_err(|e| err(unavailable, &self.name, format!("connect: {e}")))?;
        let (Ok(up), Some(downlink)) = (Resampler::new(8_000, 16_000), Downlink::new(&self.name))
        else {
            return Err(err(protocol, &self.name, "resampler setup failed"));
        };
        let mut session = GeminiSession {
            name: self.name.clone(),
            socket,
            up,
            downlink,
        };
        session.send(&messages::setup(&self.model, &config)).await?;
        session.await_setup_complete().await?;
        if !config.history.is_empty() {
            session.send(&messages::history(&config.history)).await?;
        }
        Ok(Box::new(session))
    }
}

impl SpeechToSpeechAgent for GeminiLive {
    fn name(&self) -> &str {
        &self.name
    }

    fn connect(
        &self,
        config: AgentSessionConfig,
    ) -> BoxFuture<'_, Result<Box<dyn AgentSession>, ProviderError>> {
        Box::pin(self.open(config))
    }
}

/// One live Gemini conversation.
pub struct GeminiSession {
    name: String,
    socket: Socket,
    up: Resampler,
    downlink: Downlink,
}

/// What the session makes of server messages, without the socket: events waiting to be
/// returned, transcription text not yet flushed, and the names of pending tool calls.
pub(crate) struct Downlink {
    name: String,
    down: Resampler,
    pending: VecDeque<AgentEvent>,
    tool_names: HashMap<String, String>,
    heard: String,
    said: String,
}

impl GeminiSession {
    async fn send(&mut self, message: &Value) -> Result<(), ProviderError> {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .map_err(|e| err(unavailable, &self.name, format!("send: {e}")))
    }

    async fn read(&mut self) -> Result<Option<ServerMessage>, ProviderError> {
        loop {
            match self.socket.next().await {
                Some(Ok(Message::Close(frame))) => {
                    return match crate::close::failure(frame.as_ref()) {
                        Some(detail) => Err(err(unavailable, &self.name, detail)),
                        None => Ok(None),
                    };
                }
                None | Some(Err(WsError::ConnectionClosed)) => return Ok(None),
                // Gemini sends JSON in binary frames too; accept both.
                Some(Ok(Message::Text(t))) => return self.downlink.parse(t.as_bytes()).map(Some),
                Some(Ok(Message::Binary(b))) => return self.downlink.parse(&b).map(Some),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(err(unavailable, &self.name, format!("receive: {e}"))),
            }
        }
    }

    async fn await_setup_complete(&mut self) -> Result<(), ProviderError> {
        match self.read().await? {
            Some(m) if m.setup_complete.is_some() => Ok(()),
            Some(_) => Err(err(protocol, &self.name, "expected setupComplete first")),
            None => Err(err(unavailable, &self.name, "closed during setup")),
        }
    }

    async fn next(&mut self) -> Result<Option<AgentEvent>, ProviderError> {
        loop {
            if let Some(event) = self.downlink.pending.pop_front() {
                return Ok(Some(event));
            }
            let Some(message) = self.read().await? else {
                return Ok(None);
            };
            self.downlink.on_message(message)?;
        }
    }
}

impl Downlink {
    /// A downlink for the provider `name`; `None` if the resampler cannot be built.
    pub(crate) fn new(name: &str) -> Option<Self> {
        Some(Self {
            name: name.to_owned(),
            down: Resampler::new(24_000, 8_000).ok()?,
            pending: VecDeque::new(),
            tool_names: HashMap::new(),
            heard: String::new(),
            said: String::new(),
        })
    }

    /// The next event ready for the caller.
    #[cfg(test)]
    pub(crate) fn pop(&mut self) -> Option<AgentEvent> {
        self.pending.pop_front()
    }

    /// Parses one frame from the server.
    pub(crate) fn parse(&self, bytes: &[u8]) -> Result<ServerMessage, ProviderError> {
        serde_json::from_slice(bytes)
            .map_err(|e| err(protocol, &self.name, format!("bad server message: {e}")))
    }

    /// Queues the events of one server message.
    pub(crate) fn on_message(&mut self, message: ServerMessage) -> Result<(), ProviderError> {
        if let Some(content) = message.server_content {
            self.on_content(content)?;
        }
        for call in message
            .tool_call
            .map(|t| t.function_calls)
            .unwrap_or_default()
        {
            self.tool_names.insert(call.id.clone(), call.name.clone());
            self.pending.push_back(AgentEvent::ToolCall {
                call_id: call.id,
                name: call.name,
                arguments: call.args,
            });
        }
        Ok(())
    }

    fn on_content(&mut self, content: ServerContent) -> Result<(), ProviderError> {
        if content.interrupted {
            self.pending.push_back(AgentEvent::SpeechStarted);
        }
        if let Some(t) = content.input_transcription {
            self.heard.push_str(&t.text);
            if t.finished {
                self.flush_line(Speaker::Customer);
            }
        }
        for part in content.model_turn.map(|t| t.parts).unwrap_or_default() {
            let Some(blob) = part.inline_data else {
                continue;
            };
            let bytes = BASE64
                .decode(blob.data.as_bytes())
                .map_err(|_| err(protocol, &self.name, "audio is not base64"))?;
            let pcm: Vec<i16> = bytes
                .chunks_exact(2)
                .map(|p| i16::from_le_bytes([p[0], p[1]]))
                .collect();
            let mut narrow = Vec::with_capacity(pcm.len() / 3 + 1);
            self.down.process(&pcm, &mut narrow);
            let mut mulaw = Vec::with_capacity(narrow.len());
            encode_ulaw_into(&narrow, &mut mulaw);
            self.pending.push_back(AgentEvent::Audio(mulaw));
        }
        if let Some(t) = content.output_transcription {
            self.said.push_str(&t.text);
        }
        if content.turn_complete {
            self.flush_line(Speaker::Customer);
            self.flush_line(Speaker::Assistant);
            self.pending.push_back(AgentEvent::ResponseDone);
        }
        Ok(())
    }

    fn flush_line(&mut self, speaker: Speaker) {
        let buffer = if speaker == Speaker::Customer {
            &mut self.heard
        } else {
            &mut self.said
        };
        let text = std::mem::take(buffer).trim().to_owned();
        if !text.is_empty() {
            self.pending.push_back(AgentEvent::Transcript {
                turn: ConversationTurn { speaker, text },
                is_final: true,
            });
        }
    }
}

impl AgentSession for GeminiSession {
    fn send_audio<'a>(&'a mut self, mulaw: &'a [u8]) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            let mut pcm = Vec::with_capacity(mulaw.len());
            decode_ulaw_into(mulaw, &mut pcm);
            let mut wide = Vec::with_capacity(pcm.len() * 2 + 1);
            self.up.process(&pcm, &mut wide);
            let bytes: Vec<u8> = wide.iter().flat_map(|s| s.to_le_bytes()).collect();
            self.send(&messages::audio(BASE64.encode(bytes))).await
        })
    }

    fn send_tool_result<'a>(
        &'a mut self,
        call_id: &'a str,
        output: Value,
    ) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            let name = self.downlink.tool_names.remove(call_id).ok_or_else(|| {
                ProviderError::Rejected {
                    provider: self.name.clone(),
                    detail: format!("unknown call id {call_id}"),
                }
            })?;
            self.send(&messages::tool_response(call_id, &name, &output))
                .await
        })
    }

    fn cancel_response(&mut self) -> BoxFuture<'_, Result<(), ProviderError>> {
        Box::pin(std::future::ready(Ok(())))
    }

    fn next_event(&mut self) -> BoxFuture<'_, Result<Option<AgentEvent>, ProviderError>> {
        Box::pin(self.next())
    }

    fn close(&mut self) -> BoxFuture<'_, Result<(), ProviderError>> {
        Box::pin(async move {
            self.socket
                .close(None)
                .await
                .map_err(|e| err(unavailable, &self.name, format!("close: {e}")))
        })
    }
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
