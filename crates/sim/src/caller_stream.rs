//! The caller's side of a carrier media stream, shared by the Twilio and Telnyx fakes: open
//! the app's WebSocket, announce the stream, send µ-law in real-time 20 ms frames, and "play"
//! what the app sends back at real-time rate. A `mark` is echoed when the audio queued before
//! it has played, and `clear` echoes every pending mark at once. The carriers differ only in
//! message shapes, which a [`Dialect`] supplies. The call ends when the caller's audio is done;
//! frames still in flight then are not counted, so a relay's `frames_received` may trail
//! `frames_sent` by the last few frames.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::connect_async_with_config;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::caller_audio::CallerAudio;
use crate::summary::CallReport;

/// What the app asked of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppAction {
    /// Audio to play (codec bytes).
    Media(Vec<u8>),
    /// Echo this mark once the audio before it has played.
    Mark(String),
    /// Drop queued audio and echo pending marks.
    Clear,
}

/// One carrier's message shapes.
pub trait Dialect: Send {
    /// Messages sent on open (`connected`, `start`).
    fn opening(&mut self) -> Vec<Value>;
    /// Frame `index` (0-based) of caller audio.
    fn media(&mut self, index: usize, frame: &[u8]) -> Value;
    /// Echo of a mark.
    fn mark(&mut self, name: &str) -> Value;
    /// The last message.
    fn stop(&mut self) -> Value;
    /// Reads one text frame from the app.
    fn parse(&self, text: &str) -> Result<AppAction, String>;
}

/// Extra headers for the upgrade request (signatures, tokens).
pub type UpgradeHeaders = Vec<(&'static str, String)>;

/// Streams `audio` to `url` in real time and measures what comes back.
pub async fn run(
    url: &str,
    headers: UpgradeHeaders,
    mut dialect: impl Dialect,
    audio: &CallerAudio,
) -> Result<CallReport, String> {
    let mut request = url
        .into_client_request()
        .map_err(|e| format!("stream URL: {e}"))?;
    for (name, value) in headers {
        if let Ok(value) = value.parse() {
            request.headers_mut().insert(name, value);
        }
    }
    let (ws, _) = connect_async_with_config(request, None, true)
        .await
        .map_err(|e| format!("stream connect: {e}"))?;
    let (mut sink, mut source) = ws.split();
    let send_err = |e: tokio_tungstenite::tungstenite::Error| format!("stream send: {e}");
    for message in dialect.opening() {
        sink.send(Message::text(message.to_string()))
            .await
            .map_err(send_err)?;
    }
    let frames: Vec<&[u8]> = audio.mulaw.chunks(160).collect();
    let mut report = CallReport::default();
    let mut ticker = tokio::time::interval(Duration::from_millis(20));
    let began = Instant::now();
    let first_utterance_end = began + Duration::from_millis(u64::from(audio.first_utterance_ms));
    let mut playout_end = Instant::now();
    let mut marks: VecDeque<(Instant, String)> = VecDeque::new();
    let mut index = 0usize;
    let mut sent_at: Vec<Instant> = Vec::with_capacity(frames.len());
    let mut echoed = 0usize;
    loop {
        tokio::select! {
            _ = ticker.tick() => {
                let now = Instant::now();
                while marks.front().is_some_and(|(due, _)| *due <= now) {
                    let Some((_, name)) = marks.pop_front() else { break };
                    sink.send(Message::text(dialect.mark(&name).to_string())).await.map_err(send_err)?;
                    report.marks_acknowledged += 1;
                }
                let Some(frame) = frames.get(index) else { break };
                let media = dialect.media(index, frame);
                sent_at.push(Instant::now());
                sink.send(Message::text(media.to_string())).await.map_err(send_err)?;
                report.frames_sent += 1;
                index += 1;
            }
            incoming = source.next() => {
                let text = match incoming {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Close(_))) | None => break,
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => return Err(format!("stream receive: {e}")),
                };
                let now = Instant::now();
                match dialect.parse(text.as_str())? {
                    AppAction::Media(bytes) => {
                        let count = bytes.len().div_ceil(160);
                        report.frames_received += count as u64;
                        for _ in 0..count {
                            if let Some(sent) = sent_at.get(echoed) {
                                report.echo_rtt_ms.push(now.saturating_duration_since(*sent).as_secs_f64() * 1000.0);
                            }
                            echoed += 1;
                        }
                        playout_end = playout_end.max(now) + Duration::from_millis(bytes.len() as u64 / 8);
                        if report.first_response_ms.is_none() {
                            report.first_response_ms = Some(now.saturating_duration_since(first_utterance_end).as_secs_f64() * 1000.0);
                        }
                    }
                    AppAction::Mark(name) => marks.push_back((playout_end.max(now), name)),
                    AppAction::Clear => {
                        for (_, name) in marks.drain(..) {
                            sink.send(Message::text(dialect.mark(&name).to_string())).await.map_err(send_err)?;
                            report.marks_acknowledged += 1;
                        }
                        playout_end = now;
                    }
                }
            }
        }
    }
    sink.send(Message::text(dialect.stop().to_string()))
        .await
        .map_err(send_err)?;
    sink.close().await.ok();
    Ok(report)
}

/// A numbering helper: stamps `sequence_field` on each message with "1", "2", ...
#[derive(Debug, Default)]
pub struct Sequence(u64);

impl Sequence {
    /// Stamps the next number into `value[field]`.
    pub fn stamp(&mut self, mut value: Value, field: &str) -> Value {
        self.0 += 1;
        value[field] = json!(self.0.to_string());
        value
    }
}
