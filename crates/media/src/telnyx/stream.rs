//! Telnyx media-streaming WebSocket messages, both directions.
//!
//! The model matches Twilio's Media Streams, but names are snake_case, the stream is
//! `stream_id`, and app-to-Telnyx messages carry no stream id. Counters are decimal strings.
//! Telnyx does not guarantee frame order, so inbound `media` should go through a
//! [`JitterBuffer`](crate::audio::jitter::JitterBuffer) keyed by `media.chunk`. Unknown event
//! types parse as [`TelnyxStreamEvent::Unknown`].

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::wire::NumStr;

/// A stream message that cannot be used.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum TelnyxStreamError {
    /// Not JSON, or a known event with missing or ill-typed fields.
    #[error("malformed Telnyx stream message: {0}")]
    Malformed(String),
    /// A media payload that is not valid base64.
    #[error("media payload is not valid base64")]
    BadPayload,
}

/// The codec of a stream, from `media_format.encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// G.711 µ-law.
    Pcmu,
    /// G.711 A-law.
    Pcma,
    /// G.722.
    G722,
    /// Opus.
    Opus,
    /// AMR-WB.
    AmrWb,
    /// Linear 16-bit PCM.
    L16,
}

/// Audio format announced in `start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaFormat {
    /// `PCMU` (older docs: `audio/x-mulaw`), `PCMA`, `G722`, `OPUS`, `AMR-WB`, `L16`.
    pub encoding: String,
    /// Samples per second.
    pub sample_rate: u32,
    /// Channel count.
    pub channels: u16,
}

impl MediaFormat {
    /// The codec, accepting both the current and the older encoding names.
    pub fn codec(&self) -> Option<Codec> {
        Some(match self.encoding.as_str() {
            "PCMU" | "audio/x-mulaw" => Codec::Pcmu,
            "PCMA" | "audio/x-alaw" => Codec::Pcma,
            "G722" => Codec::G722,
            "OPUS" => Codec::Opus,
            "AMR-WB" => Codec::AmrWb,
            "L16" => Codec::L16,
            _ => return None,
        })
    }
}

/// Body of `start`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartMeta {
    /// Telnyx user id.
    pub user_id: Option<String>,
    /// The call's Call Control id.
    pub call_control_id: String,
    /// The call session.
    pub call_session_id: Option<String>,
    /// Caller.
    pub from: Option<String>,
    /// Called number.
    pub to: Option<String>,
    /// Tags on the call.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Base64 client state.
    pub client_state: Option<String>,
    /// Audio format.
    pub media_format: MediaFormat,
}

/// Body of inbound `media`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaChunk {
    /// `inbound` or `outbound`.
    pub track: String,
    /// Per-track chunk counter (use it to reorder).
    pub chunk: NumStr,
    /// Presentation time in ms.
    pub timestamp: NumStr,
    /// Base64 RTP payload without the RTP header.
    pub payload: String,
}

impl MediaChunk {
    /// The codec bytes of this chunk.
    pub fn audio(&self) -> Result<Vec<u8>, TelnyxStreamError> {
        BASE64
            .decode(&self.payload)
            .map_err(|_| TelnyxStreamError::BadPayload)
    }
}

/// Body of `stop`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopMeta {
    /// Telnyx user id.
    pub user_id: Option<String>,
    /// The call's Call Control id.
    pub call_control_id: Option<String>,
}

/// Body of `dtmf`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digit {
    /// The key.
    pub digit: String,
}

/// A mark's label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkName {
    /// The label.
    pub name: String,
}

/// Body of `error`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamFault {
    /// 100002 unknown, 100003 malformed frame, 100004 invalid media, 100005 rate limit.
    pub code: u32,
    /// Short name, e.g. `malformed_frame`.
    pub title: String,
    /// Explanation.
    #[serde(default)]
    pub detail: String,
}

/// A message from Telnyx to the application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum TelnyxStreamEvent {
    /// First message.
    Connected {
        /// Protocol version.
        version: String,
    },
    /// Stream metadata.
    Start {
        /// Per-socket counter.
        sequence_number: NumStr,
        /// The metadata.
        start: StartMeta,
        /// The stream.
        stream_id: String,
    },
    /// Call audio.
    Media {
        /// Per-socket counter.
        sequence_number: NumStr,
        /// The audio.
        media: MediaChunk,
        /// The stream.
        stream_id: String,
    },
    /// The stream ended.
    Stop {
        /// Per-socket counter.
        sequence_number: NumStr,
        /// Who stopped.
        stop: StopMeta,
        /// The stream.
        stream_id: String,
    },
    /// A key press.
    Dtmf {
        /// The stream.
        stream_id: String,
        /// When.
        occurred_at: Option<String>,
        /// Per-socket counter.
        sequence_number: NumStr,
        /// The key.
        dtmf: Digit,
    },
    /// Echo of an app mark.
    Mark {
        /// The stream.
        stream_id: String,
        /// Per-socket counter.
        sequence_number: NumStr,
        /// The label.
        mark: MarkName,
    },
    /// Telnyx rejected something the app sent.
    Error {
        /// What went wrong.
        payload: StreamFault,
        /// The stream.
        stream_id: Option<String>,
    },
    /// An event type this library does not know.
    #[serde(other)]
    Unknown,
}

impl TelnyxStreamEvent {
    /// Parses one text frame.
    pub fn parse(text: &str) -> Result<Self, TelnyxStreamError> {
        serde_json::from_str(text).map_err(|e| TelnyxStreamError::Malformed(e.to_string()))
    }
}

/// Outbound audio payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundMedia {
    /// Base64 codec payload (RTP mode) or a whole MP3 (MP3 mode).
    pub payload: String,
}

/// A message from the application to Telnyx; no stream id is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "lowercase")]
pub enum TelnyxAppMessage {
    /// Queue audio.
    Media {
        /// The audio.
        media: OutboundMedia,
    },
    /// Ask for an echo when queued audio has played.
    Mark {
        /// The label.
        mark: MarkName,
    },
    /// Stop playback and drop queued audio.
    Clear,
}

impl TelnyxAppMessage {
    /// A `media` message with raw codec bytes.
    pub fn media(bytes: &[u8]) -> Self {
        Self::Media {
            media: OutboundMedia {
                payload: BASE64.encode(bytes),
            },
        }
    }

    /// Parses one text frame (what a fake Telnyx receives).
    pub fn parse(text: &str) -> Result<Self, TelnyxStreamError> {
        serde_json::from_str(text).map_err(|e| TelnyxStreamError::Malformed(e.to_string()))
    }

    /// Serialises to the JSON text frame.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::audio::jitter::{JitterBuffer, Playout};

    #[test]
    fn the_documented_start_parses_with_either_encoding_name() {
        let text = r#"{"event":"start","sequence_number":"1","start":{"user_id":"3E6F995F-85F7-4705-9741-53B116D28237","call_control_id":"v2:T02llQ","call_session_id":"ff55a038","from":"+13122010094","to":"+13122123456","tags":["TAG1","TAG2"],"client_state":"aGF2ZSBhIG5pY2UgZGF5ID1d","media_format":{"encoding":"PCMU","sample_rate":8000,"channels":1}},"stream_id":"32DE0DEA-53CB-4B21-89A4-9E1819C043BC"}"#;
        let TelnyxStreamEvent::Start {
            start, stream_id, ..
        } = TelnyxStreamEvent::parse(text).unwrap()
        else {
            panic!()
        };
        assert_eq!(stream_id, "32DE0DEA-53CB-4B21-89A4-9E1819C043BC");
        assert_eq!(start.media_format.codec(), Some(Codec::Pcmu));
        let old = MediaFormat {
            encoding: "audio/x-mulaw".into(),
            sample_rate: 8000,
            channels: 1,
        };
        assert_eq!(old.codec(), Some(Codec::Pcmu));
    }

    #[test]
    fn dtmf_mark_stop_and_error_parse() {
        let dtmf = TelnyxStreamEvent::parse(r#"{"event":"dtmf","stream_id":"s","occurred_at":"2025-06-05T08:54:19.698408Z","sequence_number":"5","dtmf":{"digit":"1"}}"#).unwrap();
        assert!(matches!(dtmf, TelnyxStreamEvent::Dtmf { ref dtmf, .. } if dtmf.digit == "1"));
        let mark = TelnyxStreamEvent::parse(r#"{"event":"mark","stream_id":"s","sequence_number":"5","mark":{"name":"some_mark_name"}}"#).unwrap();
        assert!(matches!(mark, TelnyxStreamEvent::Mark { .. }));
        let stop = TelnyxStreamEvent::parse(r#"{"event":"stop","sequence_number":"5","stop":{"user_id":"u","call_control_id":"v2:x"},"stream_id":"s"}"#).unwrap();
        assert!(matches!(stop, TelnyxStreamEvent::Stop { .. }));
        let error = TelnyxStreamEvent::parse(r#"{"event":"error","payload":{"code":100003,"title":"malformed_frame","detail":"bad"},"stream_id":"s"}"#).unwrap();
        assert!(
            matches!(error, TelnyxStreamEvent::Error { ref payload, .. } if payload.code == 100_003)
        );
        assert_eq!(
            TelnyxStreamEvent::parse(r#"{"event":"new_thing"}"#).unwrap(),
            TelnyxStreamEvent::Unknown
        );
    }

    #[test]
    fn app_messages_carry_no_stream_id() {
        let media: Value =
            serde_json::from_str(&TelnyxAppMessage::media(&[0xFF; 3]).to_json()).unwrap();
        assert_eq!(media, json!({"event":"media","media":{"payload":"////"}}));
        let mark: Value = serde_json::from_str(
            &TelnyxAppMessage::Mark {
                mark: MarkName { name: "x".into() },
            }
            .to_json(),
        )
        .unwrap();
        assert_eq!(mark, json!({"event":"mark","mark":{"name":"x"}}));
        assert_eq!(TelnyxAppMessage::Clear.to_json(), r#"{"event":"clear"}"#);
        assert_eq!(
            TelnyxAppMessage::parse(r#"{"event":"clear"}"#).unwrap(),
            TelnyxAppMessage::Clear
        );
    }

    #[test]
    fn out_of_order_media_is_restored_by_chunk() {
        let mut buffer = JitterBuffer::new(3, 50);
        for chunk in [3, 1, 2, 4] {
            let text = format!(
                r#"{{"event":"media","sequence_number":"{chunk}","media":{{"track":"inbound","chunk":"{chunk}","timestamp":"{}","payload":"{}"}},"stream_id":"s"}}"#,
                chunk * 20,
                BASE64.encode([chunk as u8; 160])
            );
            let TelnyxStreamEvent::Media { media, .. } = TelnyxStreamEvent::parse(&text).unwrap()
            else {
                panic!()
            };
            buffer
                .push(media.chunk.get(), media.audio().unwrap())
                .unwrap();
        }
        let order: Vec<u64> = (0..4)
            .filter_map(|_| match buffer.pop() {
                Playout::Frame(seq, audio) => {
                    assert_eq!(audio[0] as u64, seq);
                    Some(seq)
                }
                _ => None,
            })
            .collect();
        assert_eq!(order, vec![1, 2, 3, 4]);
    }

    #[test]
    fn malformed_messages_give_clear_errors() {
        for bad in [
            "",
            "{}",
            r#"{"event":"media","sequence_number":"x","media":{},"stream_id":"s"}"#,
            r#"{"event":"start","sequence_number":"1","stream_id":"s"}"#,
        ] {
            assert!(
                matches!(
                    TelnyxStreamEvent::parse(bad),
                    Err(TelnyxStreamError::Malformed(_))
                ),
                "{bad}"
            );
        }
        let chunk = MediaChunk {
            track: "inbound".into(),
            chunk: NumStr(1),
            timestamp: NumStr(0),
            payload: "***".into(),
        };
        assert_eq!(chunk.audio(), Err(TelnyxStreamError::BadPayload));
    }
}
