//! Deepgram live transcription as a [`StreamingTranscriber`].
//!
//! Connects to `{base}/listen` with `Authorization: Token <key>` and the query for telephony
//! audio (`encoding=mulaw&sample_rate=8000&channels=1`), sends audio as binary frames, and
//! turns `Results` into [`Transcript`]s (empty interim results, which Deepgram sends for
//! silence, are skipped). [`TranscriptionStream::finish`] sends `CloseStream`, after which the
//! remaining finals arrive and the stream ends. Reading is cancel-safe, so a call task can
//! `select!` between reading transcripts and sending the next frame.

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use super::messages::{ControlMessage, ServerMessage};
use crate::capability::transcription::{
    StreamingTranscriber, Transcript, TranscriptionConfig, TranscriptionStream,
};
use crate::capability::{BoxFuture, ProviderError};

/// Production WebSocket root.
pub const DEFAULT_BASE_URL: &str = "wss://api.deepgram.com/v1";

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// Deepgram live STT.
#[derive(Debug, Clone)]
pub struct DeepgramTranscriber {
    base_url: String,
    api_key: String,
    model: String,
}

impl DeepgramTranscriber {
    /// A transcriber using `api_key` and the `nova-3` model.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_key: api_key.into(),
            model: "nova-3".to_owned(),
        }
    }

    /// Points at another WebSocket root (`ws://127.0.0.1:PORT/v1` for cc-sim).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Chooses the model, e.g. `nova-2-phonecall`.
    pub fn with_model(mut self, model: impl Into<String>) -> Self {
        self.model = model.into();
        self
    }

    /// The listen URL for `config`.
    pub fn listen_url(&self, config: &TranscriptionConfig) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("model", &self.model)
            .append_pair("encoding", "mulaw")
            .append_pair("sample_rate", "8000")
            .append_pair("channels", "1")
            .append_pair(
                "interim_results",
                if config.interim_results {
                    "true"
                } else {
                    "false"
                },
            )
            .append_pair("endpointing", &config.endpointing.as_millis().to_string())
            .append_pair("punctuate", "true")
            .append_pair("vad_events", "true");
        if let Some(language) = config.language {
            query.append_pair("language", language.code());
        }
        format!(
            "{}/listen?{}",
            self.base_url.trim_end_matches('/'),
            query.finish()
        )
    }

    fn unavailable(detail: String) -> ProviderError {
        ProviderError::Unavailable {
            provider: "deepgram".into(),
            detail,
        }
    }

    async fn open(
        &self,
        config: TranscriptionConfig,
    ) -> Result<Box<dyn TranscriptionStream>, ProviderError> {
        let url = self.listen_url(&config);
        let mut request = url
            .as_str()
            .into_client_request()
            .map_err(|e| Self::unavailable(format!("bad URL: {e}")))?;
        let auth = HeaderValue::from_str(&format!("Token {}", self.api_key)).map_err(|_| {
            ProviderError::Unauthorized {
                provider: "deepgram".into(),
            }
        })?;
        request.headers_mut().insert("Authorization", auth);
        let (socket, _) = connect_async(request).await.map_err(|e| match e {
            WsError::Http(ref r) if r.status().as_u16() == 401 || r.status().as_u16() == 403 => {
                ProviderError::Unauthorized {
                    provider: "deepgram".into(),
                }
            }
            other => Self::unavailable(format!("connect: {other}")),
        })?;
        Ok(Box::new(DeepgramStream { socket }))
    }
}

impl StreamingTranscriber for DeepgramTranscriber {
    fn name(&self) -> &str {
        "deepgram"
    }

    fn start(
        &self,
        config: TranscriptionConfig,
    ) -> BoxFuture<'_, Result<Box<dyn TranscriptionStream>, ProviderError>> {
        Box::pin(self.open(config))
    }
}

/// One live transcription stream.
pub struct DeepgramStream {
    socket: Socket,
}

/// Deepgram's seconds as whole milliseconds; negative times clamp to zero, and a time past
/// `u64::MAX` ms (or infinite) is `None` rather than saturating.
fn seconds_to_ms(s: f64) -> Option<u64> {
    /// 2^64, exactly representable, the first millisecond count a u64 cannot hold.
    const LIMIT: f64 = 18_446_744_073_709_551_616.0;
    let ms = (s.max(0.0) * 1000.0).round();
    // `as` is exact here: `ms` is a whole number in 0..2^64.
    (ms < LIMIT).then_some(ms as u64)
}

impl DeepgramStream {
    /// Keeps the stream open while no audio flows (Deepgram closes after 10 s of nothing).
    pub async fn keep_alive(&mut self) -> Result<(), ProviderError> {
        self.send_control(ControlMessage::KeepAlive).await
    }

    async fn send_control(&mut self, message: ControlMessage) -> Result<(), ProviderError> {
        self.socket
            .send(Message::text(message.to_json()))
            .await
            .map_err(|e| DeepgramTranscriber::unavailable(format!("send: {e}")))
    }

    async fn next(&mut self) -> Result<Option<Transcript>, ProviderError> {
        loop {
            let text = match self.socket.next().await {
                Some(Ok(Message::Close(frame))) => {
                    return match crate::close::failure(frame.as_ref()) {
                        Some(detail) => Err(DeepgramTranscriber::unavailable(detail)),
                        None => Ok(None),
                    };
                }
                None | Some(Err(WsError::ConnectionClosed)) => return Ok(None),
                Some(Ok(Message::Text(text))) => text,
                Some(Ok(_)) => continue,
                Some(Err(e)) => {
                    return Err(DeepgramTranscriber::unavailable(format!("receive: {e}")));
                }
            };
            if let Some(transcript) = transcript_from_text(text.as_str())? {
                return Ok(Some(transcript));
            }
        }
    }
}

/// Reads one text frame from Deepgram: the best hypothesis of a non-empty `Results`, or
/// `None` for anything else (other message types, silence).
pub(crate) fn transcript_from_text(text: &str) -> Result<Option<Transcript>, ProviderError> {
    let message: ServerMessage =
        serde_json::from_str(text).map_err(|e| protocol(format!("bad message: {e}")))?;
    let ServerMessage::Results {
        start,
        duration,
        is_final,
        channel,
        ..
    } = message
    else {
        return Ok(None);
    };
    let Some(best) = channel.alternatives.into_iter().next() else {
        return Ok(None);
    };
    if best.transcript.is_empty() {
        return Ok(None);
    }
    let (Some(start_ms), Some(end_ms)) = (seconds_to_ms(start), seconds_to_ms(start + duration))
    else {
        return Err(protocol(format!(
            "result time out of range: start {start} s, duration {duration} s"
        )));
    };
    let confidence = best.confidence as f32;
    if !confidence.is_finite() {
        return Err(protocol(format!(
            "confidence {} out of range",
            best.confidence
        )));
    }
    Ok(Some(Transcript {
        text: best.transcript,
        is_final,
        confidence,
        start_ms,
        end_ms,
    }))
}

fn protocol(detail: String) -> ProviderError {
    ProviderError::Protocol {
        provider: "deepgram".into(),
        detail,
    }
}

impl TranscriptionStream for DeepgramStream {
    fn send_audio<'a>(&'a mut self, mulaw: &'a [u8]) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            self.socket
                .send(Message::binary(mulaw.to_vec()))
                .await
                .map_err(|e| DeepgramTranscriber::unavailable(format!("send: {e}")))
        })
    }

    fn next_transcript(&mut self) -> BoxFuture<'_, Result<Option<Transcript>, ProviderError>> {
        Box::pin(self.next())
    }

    fn finish(&mut self) -> BoxFuture<'_, Result<(), ProviderError>> {
        Box::pin(self.send_control(ControlMessage::CloseStream))
    }
}

#[cfg(test)]
#[path = "live_tests.rs"]
mod tests;
