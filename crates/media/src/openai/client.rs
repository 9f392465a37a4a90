//! The OpenAI Realtime WebSocket client: a [`SpeechToSpeechAgent`] for phone calls.
//!
//! It connects to `{base}/realtime?model=…` with a bearer key (GA: no `OpenAI-Beta` header),
//! configures the session for µ-law both ways, replays the conversation so far (when taking
//! over a call from another provider), and then exchanges events through the
//! [`RealtimeBridge`]. The base URL is configurable (`wss://api.openai.com/v1` by default) so
//! tests and cc-sim can stand in. A dropped socket surfaces as
//! [`ProviderError::Unavailable`], which is the failover signal; reconnecting is the caller's
//! decision.

use std::collections::VecDeque;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use super::bridge::RealtimeBridge;
use super::events::ClientEvent;
use crate::capability::agent::{AgentEvent, AgentSession, AgentSessionConfig, SpeechToSpeechAgent};
use crate::capability::{BoxFuture, ProviderError};

/// Production WebSocket root.
pub const DEFAULT_BASE_URL: &str = "wss://api.openai.com/v1";
/// Default GA model.
pub const DEFAULT_MODEL: &str = "gpt-realtime";

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// OpenAI Realtime as a speech-to-speech provider.
#[derive(Debug, Clone)]
pub struct OpenAiRealtime {
    name: String,
    base_url: String,
    api_key: String,
    model: String,
}

impl OpenAiRealtime {
    /// A provider using `api_key` against the production endpoint and the default model.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self {
            name: "openai".to_owned(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_key: api_key.into(),
            model: DEFAULT_MODEL.to_owned(),
        }
    }

    /// Points at another WebSocket root (`ws://127.0.0.1:PORT/v1` for cc-sim).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Names this provider in logs, metrics and breakers (default `openai`), e.g. per region.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Chooses the model.
    pub fn with_model(mut self, model: impl Into<String>) -> Self {
        self.model = model.into();
        self
    }

    fn unavailable(&self, detail: impl Into<String>) -> ProviderError {
        ProviderError::Unavailable {
            provider: self.name.clone(),
            detail: detail.into(),
        }
    }

    async fn open(
        &self,
        config: AgentSessionConfig,
    ) -> Result<Box<dyn AgentSession>, ProviderError> {
        let url = format!(
            "{}/realtime?model={}",
            self.base_url.trim_end_matches('/'),
            self.model
        );
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(|e| self.unavailable(format!("bad URL {url}: {e}")))?;
        let auth = HeaderValue::from_str(&format!("Bearer {}", self.api_key)).map_err(|_| {
            ProviderError::Unauthorized {
                provider: self.name.clone(),
            }
        })?;
        request.headers_mut().insert("Authorization", auth);
        let (socket, _) = connect_async(request).await.map_err(|e| match e {
            WsError::Http(ref response)
                if response.status().as_u16() == 401 || response.status().as_u16() == 403 =>
            {
                ProviderError::Unauthorized {
                    provider: self.name.clone(),
                }
            }
            other => self.unavailable(format!("connect: {other}")),
        })?;
        let mut session = RealtimeSession {
            provider: self.name.clone(),
            socket,
            bridge: RealtimeBridge::new(&self.name),
            pending: VecDeque::new(),
        };
        session
            .send(&ClientEvent::session_update(&self.model, &config))
            .await?;
        for event in RealtimeBridge::replay_history(&config.history) {
            session.send(&event).await?;
        }
        Ok(Box::new(session))
    }
}

impl SpeechToSpeechAgent for OpenAiRealtime {
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

/// One live Realtime conversation.
pub struct RealtimeSession {
    provider: String,
    socket: Socket,
    bridge: RealtimeBridge,
    pending: VecDeque<AgentEvent>,
}

impl RealtimeSession {
    fn dropped(&self, detail: impl Into<String>) -> ProviderError {
        ProviderError::Unavailable {
            provider: self.provider.clone(),
            detail: detail.into(),
        }
    }

    async fn send(&mut self, event: &ClientEvent) -> Result<(), ProviderError> {
        let text = event.to_json();
        self.socket
            .send(Message::text(text))
            .await
            .map_err(|e| self.dropped(format!("send: {e}")))
    }

    async fn next(&mut self) -> Result<Option<AgentEvent>, ProviderError> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Ok(Some(event));
            }
            match self.socket.next().await {
                Some(Ok(Message::Close(frame))) => {
                    return match crate::close::failure(frame.as_ref()) {
                        Some(detail) => Err(self.dropped(detail)),
                        None => Ok(None),
                    };
                }
                None | Some(Err(WsError::ConnectionClosed)) => return Ok(None),
                Some(Ok(Message::Text(text))) => {
                    self.pending.extend(self.bridge.handle_text(text.as_str())?)
                }
                Some(Ok(Message::Binary(_))) => {
                    return Err(ProviderError::Protocol {
                        provider: self.provider.clone(),
                        detail: "unexpected binary frame".into(),
                    });
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(self.dropped(format!("receive: {e}"))),
            }
        }
    }
}

impl AgentSession for RealtimeSession {
    fn send_audio<'a>(&'a mut self, mulaw: &'a [u8]) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            self.send(&ClientEvent::AppendAudio {
                audio: BASE64.encode(mulaw),
            })
            .await
        })
    }

    fn send_tool_result<'a>(
        &'a mut self,
        call_id: &'a str,
        output: Value,
    ) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            for event in RealtimeBridge::tool_result(call_id, &output) {
                self.send(&event).await?;
            }
            Ok(())
        })
    }

    fn cancel_response(&mut self) -> BoxFuture<'_, Result<(), ProviderError>> {
        Box::pin(async move {
            // Without the carrier's playback position, keep everything sent in the transcript.
            for event in self.bridge.barge_in(u64::MAX) {
                self.send(&event).await?;
            }
            Ok(())
        })
    }

    fn next_event(&mut self) -> BoxFuture<'_, Result<Option<AgentEvent>, ProviderError>> {
        Box::pin(self.next())
    }

    fn close(&mut self) -> BoxFuture<'_, Result<(), ProviderError>> {
        Box::pin(async move {
            self.socket
                .close(None)
                .await
                .map_err(|e| self.dropped(format!("close: {e}")))
        })
    }
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
