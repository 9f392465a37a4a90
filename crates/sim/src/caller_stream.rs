//! The caller's side of a carrier media stream, shared by the Twilio and Telnyx fakes: open
//! the app's WebSocket, announce the stream, send µ-law in real-time 20 ms frames, and "play"
//! what the app sends back at real-time rate. A `mark` is echoed when the audio queued before
//! it has played, and `clear` echoes every pending mark at once. The carriers differ only in
//! message shapes, which a [`Dialect`] supplies. After the caller's audio the call stays up
//! until the app has sent back as many frames as it received, or one more second, so a relay's
//! `frames_received` equals `frames_sent` unless frames were really lost.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use cc_media::twilio::frame::push_json_string;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::connect_async_with_config;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

use crate::caller_audio::CallerAudio;
use crate::summary::CallReport;

/// What the app asked of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppAction {
    /// Audio to play: this many codec bytes (decoded into the caller's scratch buffer).
    Media(usize),
    /// Echo this mark once the audio before it has played.
    Mark(String),
    /// Drop queued audio and echo pending marks.
    Clear,
}

/// One carrier's message shapes.
pub trait Dialect: Send {
    /// Messages sent on open (`connected`, `start`).
    fn opening(&mut self) -> Vec<Value>;
    /// Writes the message for frame `index` (0-based) of caller audio, whose base64 is
    /// `payload`, into `out` (a fresh string per frame).
    fn media(&mut self, index: usize, payload: &str, out: &mut String);
    /// Echo of a mark.
    fn mark(&mut self, name: &str) -> Value;
    /// The caller pressed `digit`.
    fn dtmf(&mut self, digit: char) -> Value;
    /// The last message.
    fn stop(&mut self) -> Value;
    /// Reads one text frame from the app; media is decoded into `scratch` (cleared first).
    fn parse(&self, text: &str, scratch: &mut Vec<u8>) -> Result<AppAction, String>;
}

/// Decodes a base64 media payload into `scratch` (cleared first): a [`AppAction::Media`].
pub fn media_action(payload: &str, scratch: &mut Vec<u8>) -> Result<AppAction, String> {
    scratch.clear();
    BASE64
        .decode_vec(payload.as_bytes(), scratch)
        .map_err(|_| "app sent non-base64 media".to_owned())?;
    Ok(AppAction::Media(scratch.len()))
}

/// Key names of a carrier's media message: the sequence counter and the stream id.
pub struct MediaKeys {
    /// `sequenceNumber` (Twilio) or `sequence_number` (Telnyx).
    pub sequence: &'static str,
    /// `streamSid` (Twilio) or `stream_id` (Telnyx).
    pub stream: &'static str,
}

/// Writes inbound `media` message number `seq` for frame `index` (0-based) to `out`; the
/// carriers' shapes differ only in [`MediaKeys`].
pub fn write_media(
    out: &mut String,
    keys: &MediaKeys,
    seq: u64,
    index: usize,
    payload: &str,
    stream: &str,
) {
    let (chunk, timestamp) = (index + 1, index * 20);
    let _ = write!(
        out,
        r#"{{"event":"media","{}":"{seq}","media":{{"track":"inbound","chunk":"{chunk}","timestamp":"{timestamp}","payload":"{payload}"}},"{}":"#,
        keys.sequence, keys.stream
    );
    push_json_string(stream, out);
    out.push('}');
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
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0);
    let (mut ws, _) = connect_async_with_config(request, Some(config), true)
        .await
        .map_err(|e| format!("stream connect: {e}"))?;
    for message in dialect.opening() {
        ws.send(Message::text(message.to_string()))
            .await
            .map_err(send_err)?;
    }
    let mut call = Playout::new(audio);
    let mut ticker = tokio::time::interval(Duration::from_millis(20));
    let mut scratch = Vec::with_capacity(160);
    loop {
        tokio::select! {
            _ = ticker.tick() => {
                for name in call.due_marks(Instant::now()) {
                    ws.send(Message::text(dialect.mark(&name).to_string())).await.map_err(send_err)?;
                }
                let Some(payload) = audio.payloads.get(call.index) else {
                    if call.drained(Instant::now()) { break }
                    continue;
                };
                let mut media = String::with_capacity(payload.len() + 200);
                dialect.media(call.index, payload, &mut media);
                call.sent(Instant::now());
                ws.send(Message::text(media)).await.map_err(send_err)?;
                while let Some(digit) = call.key_due(&audio.dtmf) {
                    ws.send(Message::text(dialect.dtmf(digit).to_string())).await.map_err(send_err)?;
                }
            }
            incoming = ws.next() => {
                let text = match incoming {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Close(_))) | None => break,
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => return Err(format!("stream receive: {e}")),
                };
                match dialect.parse(text.as_str(), &mut scratch)? {
                    AppAction::Media(bytes) => call.played(bytes, Instant::now()),
                    AppAction::Mark(name) => call.mark(name, Instant::now()),
                    AppAction::Clear => {
                        for name in call.clear(Instant::now()) {
                            ws.send(Message::text(dialect.mark(&name).to_string())).await.map_err(send_err)?;
                        }
                    }
                }
            }
        }
    }
    ws.send(Message::text(dialect.stop().to_string()))
        .await
        .map_err(send_err)?;
    ws.close(None).await.ok();
    Ok(call.report)
}

fn send_err(e: tokio_tungstenite::tungstenite::Error) -> String {
    format!("stream send: {e}")
}

/// The caller's clock: frames sent, audio "played" back in real time, marks due.
struct Playout {
    report: CallReport,
    index: usize,
    sent_at: Vec<Instant>,
    echoed: usize,
    first_utterance_end: Instant,
    playout_end: Instant,
    marks: VecDeque<(Instant, String)>,
    drain_until: Option<Instant>,
    keys_pressed: usize,
}

/// How long the caller stays on after its audio, for the app's last frames to arrive.
const DRAIN: Duration = Duration::from_secs(1);

impl Playout {
    fn new(audio: &CallerAudio) -> Self {
        let began = Instant::now();
        Self {
            report: CallReport::default(),
            index: 0,
            sent_at: Vec::with_capacity(audio.payloads.len()),
            echoed: 0,
            first_utterance_end: began + Duration::from_millis(u64::from(audio.first_utterance_ms)),
            playout_end: began,
            marks: VecDeque::new(),
            drain_until: None,
            keys_pressed: 0,
        }
    }

    /// The next key of `dtmf` due by the frame just sent, if any; counts it as pressed.
    fn key_due(&mut self, dtmf: &[(usize, char)]) -> Option<char> {
        let (frame, digit) = *dtmf.get(self.keys_pressed)?;
        (frame < self.index).then(|| {
            self.keys_pressed += 1;
            self.report.dtmf_sent += 1;
            digit
        })
    }

    /// After the caller's audio: true once the app has sent back as many frames as it was
    /// sent (a relay is done) or [`DRAIN`] has passed (an agent that answers differently).
    fn drained(&mut self, now: Instant) -> bool {
        let until = *self.drain_until.get_or_insert(now + DRAIN);
        self.echoed >= self.sent_at.len() || now >= until
    }

    fn sent(&mut self, at: Instant) {
        self.sent_at.push(at);
        self.report.frames_sent += 1;
        self.index += 1;
    }

    /// `bytes` of app audio arrived at `now`: count frames, time the echo, queue playout.
    fn played(&mut self, bytes: usize, now: Instant) {
        let count = bytes.div_ceil(160);
        self.report.frames_received += count as u64;
        for _ in 0..count {
            if let Some(sent) = self.sent_at.get(self.echoed) {
                let rtt = now.saturating_duration_since(*sent).as_secs_f64() * 1000.0;
                self.report.echo_rtt_ms.push(rtt);
            }
            self.echoed += 1;
        }
        self.playout_end = self.playout_end.max(now) + Duration::from_millis(bytes as u64 / 8);
        if self.report.first_response_ms.is_none() {
            let latency = now.saturating_duration_since(self.first_utterance_end);
            self.report.first_response_ms = Some(latency.as_secs_f64() * 1000.0);
        }
    }

    fn mark(&mut self, name: String, now: Instant) {
        self.marks.push_back((self.playout_end.max(now), name));
    }

    /// Marks whose audio has played by `now`, in order; each counts as acknowledged.
    fn due_marks(&mut self, now: Instant) -> Vec<String> {
        let mut due = Vec::new();
        while self.marks.front().is_some_and(|(at, _)| *at <= now) {
            due.extend(self.marks.pop_front().map(|(_, name)| name));
        }
        self.report.marks_acknowledged += due.len() as u64;
        due
    }

    /// `clear`: queued audio is dropped and every pending mark is acknowledged at once.
    fn clear(&mut self, now: Instant) -> Vec<String> {
        self.playout_end = now;
        let all: Vec<String> = self.marks.drain(..).map(|(_, name)| name).collect();
        self.report.marks_acknowledged += all.len() as u64;
        all
    }
}

/// A numbering helper: stamps `sequence_field` on each message with "1", "2", ...
#[derive(Debug, Default)]
pub struct Sequence(u64);

impl Sequence {
    /// The next number, for messages written without a `Value`.
    pub fn advance(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }

    /// Stamps the next number into `value[field]`.
    pub fn stamp(&mut self, mut value: Value, field: &str) -> Value {
        value[field] = json!(self.advance().to_string());
        value
    }
}
