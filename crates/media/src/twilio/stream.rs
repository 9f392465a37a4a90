//! Twilio Media Streams messages, both directions, exactly as they travel on the WebSocket.
//!
//! [`TwilioEvent`] is what Twilio sends (`connected`, `start`, `media`, `dtmf`, `mark`, `stop`);
//! [`AppMessage`] is what an application may send on a bidirectional `<Connect><Stream>`
//! (`media`, `mark`, `clear`). Field names are Twilio's camelCase, counters are decimal strings
//! ([`NumStr`]), unknown fields are ignored and unknown event types parse as
//! [`TwilioEvent::Unknown`]. Ordering rules live in
//! [`StreamTracker`](crate::twilio::session::StreamTracker).

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::wire::NumStr;

/// A Media Streams message that cannot be used.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum StreamError {
    /// Not JSON, or a known event with missing or ill-typed fields.
    #[error("malformed Media Streams message: {0}")]
    Malformed(String),
    /// A media payload that is not valid base64.
    #[error("media payload is not valid base64")]
    BadPayload,
    /// A message that is valid alone but not at this point of the stream.
    #[error("unexpected `{got}` message while {state}")]
    OutOfOrder {
        /// Event name received.
        got: &'static str,
        /// What the stream was waiting for.
        state: &'static str,
    },
    /// `sequenceNumber` did not increase by exactly one.
    #[error("sequenceNumber {got} where {expected} was expected")]
    SequenceGap {
        /// The next number the stream expected.
        expected: u64,
        /// The number received.
        got: u64,
    },
    /// A `sequenceNumber` so large that the next message could not be numbered.
    #[error("sequenceNumber {got} leaves no room for the next message")]
    SequenceOverflow {
        /// The number received.
        got: u64,
    },
    /// A message for a different stream arrived on this socket.
    #[error("message for stream {got} on stream {expected}")]
    WrongStream {
        /// This socket's stream SID.
        expected: String,
        /// The SID on the message.
        got: String,
    },
}

/// Which leg of the call a media frame belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Track {
    /// Audio from the caller to Twilio.
    Inbound,
    /// Audio from Twilio to the caller.
    Outbound,
}

/// Audio format of the stream; Twilio always sends µ-law, 8000 Hz, mono.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaFormat {
    /// MIME-like encoding name, `audio/x-mulaw`.
    pub encoding: String,
    /// Samples per second (a JSON number).
    pub sample_rate: u32,
    /// Channel count (a JSON number).
    pub channels: u16,
}

impl Default for MediaFormat {
    fn default() -> Self {
        Self {
            encoding: "audio/x-mulaw".to_owned(),
            sample_rate: 8_000,
            channels: 1,
        }
    }
}

/// `connected`: the first message on every stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connected {
    /// Always `Call`.
    pub protocol: String,
    /// Protocol version, `1.0.0`.
    pub version: String,
}

/// Body of the `start` message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartMeta {
    /// `AC…` account SID.
    pub account_sid: String,
    /// `MZ…` stream SID.
    pub stream_sid: String,
    /// `CA…` call SID.
    pub call_sid: String,
    /// Tracks on this stream (`["inbound"]` for `<Connect>`).
    pub tracks: Vec<Track>,
    /// Audio format.
    pub media_format: MediaFormat,
    /// The `<Parameter>` values from the TwiML, flat string to string.
    #[serde(default)]
    pub custom_parameters: BTreeMap<String, String>,
}

/// `start`: stream metadata, sent once after `connected`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Start {
    /// Per-socket message counter, starting at 1.
    pub sequence_number: NumStr,
    /// The metadata.
    pub start: StartMeta,
    /// `MZ…` stream SID.
    pub stream_sid: String,
}

/// Body of an inbound `media` message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaChunk {
    /// Which leg the audio is from.
    pub track: Track,
    /// Per-track chunk counter, starting at 1.
    pub chunk: NumStr,
    /// Presentation time in milliseconds since the stream started.
    pub timestamp: NumStr,
    /// Base64 of raw µ-law bytes (no header).
    pub payload: String,
}

impl MediaChunk {
    /// The µ-law bytes carried by this chunk.
    pub fn audio(&self) -> Result<Vec<u8>, StreamError> {
        BASE64
            .decode(&self.payload)
            .map_err(|_| StreamError::BadPayload)
    }
}

/// `media`: one chunk of call audio (20 ms, 160 bytes, in practice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Media {
    /// Per-socket message counter.
    pub sequence_number: NumStr,
    /// The audio.
    pub media: MediaChunk,
    /// `MZ…` stream SID.
    pub stream_sid: String,
}

/// DTMF track name; Twilio uses `inbound_track` here, unlike `media.track`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DtmfTrack {
    /// Keys pressed by the caller.
    InboundTrack,
}

/// Body of a `dtmf` message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DtmfDigit {
    /// Always `inbound_track`.
    pub track: DtmfTrack,
    /// The key: `0`–`9`, `*`, `#`.
    pub digit: String,
}

/// `dtmf`: the caller pressed a key (bidirectional streams only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dtmf {
    /// `MZ…` stream SID.
    pub stream_sid: String,
    /// Per-socket message counter.
    pub sequence_number: NumStr,
    /// The key.
    pub dtmf: DtmfDigit,
}

/// A mark's label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkName {
    /// The label chosen by the application.
    pub name: String,
}

/// `mark` from Twilio: audio queued before the app's mark of this name finished (or was cleared).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mark {
    /// Per-socket message counter.
    pub sequence_number: NumStr,
    /// `MZ…` stream SID.
    pub stream_sid: String,
    /// The echoed label.
    pub mark: MarkName,
}

/// Body of the `stop` message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StopMeta {
    /// `AC…` account SID.
    pub account_sid: String,
    /// `CA…` call SID.
    pub call_sid: String,
}

/// `stop`: the stream ended (the call hung up).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stop {
    /// Per-socket message counter.
    pub sequence_number: NumStr,
    /// Who stopped.
    pub stop: StopMeta,
    /// `MZ…` stream SID.
    pub stream_sid: String,
}

/// A message from Twilio to the application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum TwilioEvent {
    /// `connected`.
    Connected(Connected),
    /// `start`.
    Start(Start),
    /// `media`.
    Media(Media),
    /// `dtmf`.
    Dtmf(Dtmf),
    /// `mark`.
    Mark(Mark),
    /// `stop`.
    Stop(Stop),
    /// An event type this library does not know; ignore it.
    #[serde(other)]
    Unknown,
}

impl TwilioEvent {
    /// Parses one text frame.
    pub fn parse(text: &str) -> Result<Self, StreamError> {
        serde_json::from_str(text).map_err(|e| StreamError::Malformed(e.to_string()))
    }

    /// The wire name of the event.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Connected(_) => "connected",
            Self::Start(_) => "start",
            Self::Media(_) => "media",
            Self::Dtmf(_) => "dtmf",
            Self::Mark(_) => "mark",
            Self::Stop(_) => "stop",
            Self::Unknown => "unknown",
        }
    }
}

/// Outbound audio: base64 µ-law, 8 kHz, any length, no header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundMedia {
    /// Base64 of raw µ-law bytes.
    pub payload: String,
}

/// A message from the application to Twilio (bidirectional streams only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum AppMessage {
    /// Queue audio for playback.
    #[serde(rename_all = "camelCase")]
    Media {
        /// `MZ…` stream SID.
        stream_sid: String,
        /// The audio.
        media: OutboundMedia,
    },
    /// Ask to be told when the audio queued so far has played.
    #[serde(rename_all = "camelCase")]
    Mark {
        /// `MZ…` stream SID.
        stream_sid: String,
        /// The label to echo.
        mark: MarkName,
    },
    /// Drop all queued audio; pending marks are echoed back.
    #[serde(rename_all = "camelCase")]
    Clear {
        /// `MZ…` stream SID.
        stream_sid: String,
    },
}

impl AppMessage {
    /// A `media` message carrying `mulaw` bytes.
    pub fn media(stream_sid: impl Into<String>, mulaw: &[u8]) -> Self {
        Self::Media {
            stream_sid: stream_sid.into(),
            media: OutboundMedia {
                payload: BASE64.encode(mulaw),
            },
        }
    }

    /// A `mark` message with label `name`.
    pub fn mark(stream_sid: impl Into<String>, name: impl Into<String>) -> Self {
        Self::Mark {
            stream_sid: stream_sid.into(),
            mark: MarkName { name: name.into() },
        }
    }

    /// A `clear` message.
    pub fn clear(stream_sid: impl Into<String>) -> Self {
        Self::Clear {
            stream_sid: stream_sid.into(),
        }
    }

    /// Parses one text frame (what a fake Twilio receives).
    pub fn parse(text: &str) -> Result<Self, StreamError> {
        serde_json::from_str(text).map_err(|e| StreamError::Malformed(e.to_string()))
    }

    /// Serialises to the JSON text frame.
    pub fn to_json(&self) -> String {
        // Serialising these plain structs cannot fail; fall back to an empty object regardless.
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;
