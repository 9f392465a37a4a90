//! The media hot path of a Twilio stream, without per-frame allocation.
//!
//! A relay handles 50 `media` messages a second per call in each direction, so at a thousand
//! calls the general [`TwilioEvent`]/[`AppMessage`] types (an owned `String` per field, a
//! `Vec` per payload) cost more than the audio work itself. [`Inbound::parse`] borrows the
//! stream SID and payload from the text frame (escape-free JSON strings, which SIDs and base64
//! always are, borrow; anything else is copied), decodes the payload into a buffer the caller
//! reuses, and hands every other event to the general parser. [`write_media`] writes an
//! outbound `media` message straight into a reusable `String`. Both produce and accept exactly
//! the bytes of the general types; the tests check them against each other.

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Deserialize;

use super::stream::{AppMessage, StreamError, Track, TwilioEvent};
use crate::wire::NumStr;

/// A borrowed inbound `media` message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFrame<'a> {
    /// Per-socket message counter.
    pub sequence_number: u64,
    /// `MZ…` stream SID.
    pub stream_sid: Cow<'a, str>,
    /// Which leg the audio is from.
    pub track: Track,
    /// Per-track chunk counter.
    pub chunk: u64,
    /// Milliseconds since the stream started.
    pub timestamp: u64,
    /// Base64 of the µ-law bytes.
    pub payload: Cow<'a, str>,
}

impl MediaFrame<'_> {
    /// Appends the µ-law bytes to `out` (which the caller clears and reuses).
    pub fn decode_into(&self, out: &mut Vec<u8>) -> Result<(), StreamError> {
        BASE64
            .decode_vec(self.payload.as_bytes(), out)
            .map_err(|_| StreamError::BadPayload)
    }
}

/// One message from Twilio: `media` borrowed, everything else fully parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inbound<'a> {
    /// The frequent case.
    Media(MediaFrame<'a>),
    /// `connected`, `start`, `dtmf`, `mark`, `stop` or an unknown event.
    Other(TwilioEvent),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a> {
    #[serde(borrow)]
    event: Cow<'a, str>,
    sequence_number: NumStr,
    #[serde(borrow)]
    stream_sid: Cow<'a, str>,
    #[serde(borrow)]
    media: ChunkRef<'a>,
}

#[derive(Deserialize)]
struct ChunkRef<'a> {
    track: Track,
    chunk: NumStr,
    timestamp: NumStr,
    #[serde(borrow)]
    payload: Cow<'a, str>,
}

impl<'a> Inbound<'a> {
    /// Parses one text frame; errors are those of [`TwilioEvent::parse`].
    pub fn parse(text: &'a str) -> Result<Self, StreamError> {
        // Fields are required here, so other events and malformed media both fall through to
        // the general parser, which parses the one and explains the other.
        let envelope = match serde_json::from_str::<Envelope<'a>>(text) {
            Ok(envelope) if envelope.event == "media" => envelope,
            _ => return TwilioEvent::parse(text).map(Self::Other),
        };
        let media = envelope.media;
        Ok(Self::Media(MediaFrame {
            sequence_number: envelope.sequence_number.get(),
            stream_sid: envelope.stream_sid,
            track: media.track,
            chunk: media.chunk.get(),
            timestamp: media.timestamp.get(),
            payload: media.payload,
        }))
    }
}

/// A borrowed message from the application: `media` borrowed, `mark`/`clear` parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FromApp<'a> {
    /// Audio to queue: the stream SID and the base64 payload.
    Media {
        /// `MZ…` stream SID.
        stream_sid: Cow<'a, str>,
        /// Base64 of the µ-law bytes.
        payload: Cow<'a, str>,
    },
    /// `mark` or `clear`.
    Other(AppMessage),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AppEnvelope<'a> {
    #[serde(borrow)]
    event: Cow<'a, str>,
    #[serde(borrow)]
    stream_sid: Cow<'a, str>,
    #[serde(borrow)]
    media: PayloadRef<'a>,
}

#[derive(Deserialize)]
struct PayloadRef<'a> {
    #[serde(borrow)]
    payload: Cow<'a, str>,
}

impl<'a> FromApp<'a> {
    /// Parses one text frame; errors are those of [`AppMessage::parse`].
    pub fn parse(text: &'a str) -> Result<Self, StreamError> {
        match serde_json::from_str::<AppEnvelope<'a>>(text) {
            Ok(AppEnvelope {
                event,
                stream_sid,
                media,
            }) if event == "media" => Ok(Self::Media {
                stream_sid,
                payload: media.payload,
            }),
            _ => AppMessage::parse(text).map(Self::Other),
        }
    }
}

/// Writes the `media` message [`AppMessage::media`] would, into `out` (not cleared first).
pub fn write_media(stream_sid: &str, mulaw: &[u8], out: &mut String) {
    out.push_str(r#"{"event":"media","streamSid":"#);
    push_json_string(stream_sid, out);
    out.push_str(r#","media":{"payload":""#);
    BASE64.encode_string(mulaw, out);
    out.push_str(r#""}}"#);
}

/// Appends `value` as a JSON string literal.
pub fn push_json_string(value: &str, out: &mut String) {
    if value.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(value);
        out.push('"');
    } else {
        // Rare (SIDs are alphanumeric): let serde_json do the escaping.
        out.push_str(&serde_json::Value::from(value).to_string());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const MEDIA: &str = r#"{"event":"media","sequenceNumber":"7","media":{"track":"inbound","chunk":"6","timestamp":"100","payload":"AAEC/w=="},"streamSid":"MZ1"}"#;

    #[test]
    fn media_is_borrowed_and_agrees_with_the_general_parser() {
        let Inbound::Media(frame) = Inbound::parse(MEDIA).unwrap() else {
            panic!("not media");
        };
        assert!(matches!(frame.stream_sid, Cow::Borrowed("MZ1")));
        assert!(matches!(frame.payload, Cow::Borrowed(_)));
        let TwilioEvent::Media(general) = TwilioEvent::parse(MEDIA).unwrap() else {
            panic!("not media");
        };
        assert_eq!(frame.sequence_number, general.sequence_number.get());
        assert_eq!(frame.chunk, general.media.chunk.get());
        assert_eq!(frame.timestamp, general.media.timestamp.get());
        assert_eq!(frame.track, general.media.track);
        let mut audio = vec![9];
        frame.decode_into(&mut audio).unwrap();
        assert_eq!(audio, [9, 0, 1, 2, 255]);
        assert_eq!(&audio[1..], general.media.audio().unwrap());
    }

    #[test]
    fn other_events_and_escaped_strings_fall_back_correctly() {
        let stop = r#"{"event":"stop","sequenceNumber":"3","stop":{"accountSid":"AC1","callSid":"CA1"},"streamSid":"MZ1"}"#;
        assert_eq!(
            Inbound::parse(stop).unwrap(),
            Inbound::Other(TwilioEvent::parse(stop).unwrap())
        );
        let escaped = MEDIA.replace("MZ1", r"MZ\u0031");
        let Inbound::Media(frame) = Inbound::parse(&escaped).unwrap() else {
            panic!("not media");
        };
        assert_eq!(frame.stream_sid, "MZ1");
    }

    #[test]
    fn malformed_media_gets_the_general_error_not_a_panic() {
        for text in [
            r#"{"event":"media","sequenceNumber":"x","media":{},"streamSid":"MZ1"}"#,
            r#"{"event":"media","streamSid":"MZ1"}"#,
            "not json",
            r#"{"event":"media","sequenceNumber":"1","media":{"track":"inbound","chunk":"1","timestamp":"0","payload":"AAEC/w=="}}"#,
        ] {
            assert_eq!(
                Inbound::parse(text).unwrap_err(),
                TwilioEvent::parse(text).unwrap_err(),
                "{text}"
            );
        }
        let bad = MEDIA.replace("AAEC/w==", "!!");
        let Inbound::Media(frame) = Inbound::parse(&bad).unwrap() else {
            panic!("not media");
        };
        assert_eq!(
            frame.decode_into(&mut Vec::new()),
            Err(StreamError::BadPayload)
        );
    }

    #[test]
    fn written_media_is_what_the_general_type_serialises() {
        for sid in ["MZ1", "MZ\"odd\\"] {
            let mut out = String::new();
            write_media(sid, &[0, 1, 2, 255], &mut out);
            assert_eq!(out, AppMessage::media(sid, &[0, 1, 2, 255]).to_json());
            assert_eq!(
                FromApp::parse(&out).unwrap(),
                FromApp::Media {
                    stream_sid: sid.into(),
                    payload: "AAEC/w==".into()
                }
            );
        }
        let mark = AppMessage::mark("MZ1", "m1");
        assert_eq!(
            FromApp::parse(&mark.to_json()).unwrap(),
            FromApp::Other(mark)
        );
        assert!(FromApp::parse(r#"{"event":"media"}"#).is_err());
    }
}
