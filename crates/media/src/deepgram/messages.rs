//! Deepgram live-transcription messages: what the server sends and the text control
//! messages the client sends. Audio itself travels in binary frames.

use serde::{Deserialize, Serialize};

/// One recognised word.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    /// The word as recognised.
    pub word: String,
    /// Start in seconds from the stream start.
    pub start: f64,
    /// End in seconds.
    pub end: f64,
    /// 0..=1.
    pub confidence: f64,
    /// With punctuation and casing, when `punctuate` is on.
    pub punctuated_word: Option<String>,
}

/// One transcription hypothesis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    /// The text; empty for silence.
    pub transcript: String,
    /// 0..=1.
    pub confidence: f64,
    /// Word timings.
    #[serde(default)]
    pub words: Vec<Word>,
}

/// The `channel` object of a result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Channel {
    /// Hypotheses, best first.
    pub alternatives: Vec<Alternative>,
}

/// A message from Deepgram's live endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ServerMessage {
    /// A transcription result, interim or final.
    Results {
        /// Segment start in seconds.
        start: f64,
        /// Segment length in seconds.
        duration: f64,
        /// False for interim results.
        is_final: bool,
        /// True when endpointing decided the utterance ended.
        #[serde(default)]
        speech_final: bool,
        /// The hypotheses.
        channel: Channel,
    },
    /// Request metadata, sent at the end of the stream.
    Metadata {
        /// Request id.
        request_id: String,
    },
    /// VAD heard speech start (with `vad_events=true`).
    SpeechStarted {
        /// Seconds from the stream start.
        timestamp: f64,
    },
    /// An utterance ended (with `utterance_end_ms`).
    UtteranceEnd {
        /// End of the last word, in seconds.
        last_word_end: f64,
    },
    /// Any other message type.
    #[serde(other)]
    Other,
}

/// A text control message to Deepgram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ControlMessage {
    /// Keeps an idle stream open (send every 3–5 s without audio).
    KeepAlive,
    /// Flushes buffered audio into final results.
    Finalize,
    /// Finishes the stream: final results, then `Metadata`, then close.
    CloseStream,
}

impl ControlMessage {
    /// Serialises to the JSON text frame.
    pub fn to_json(self) -> String {
        serde_json::to_string(&self).unwrap_or_else(|_| "{}".to_owned())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_results_message_parses() {
        let text = r#"{"type":"Results","channel_index":[0,1],"duration":1.98,"start":5.99,"is_final":true,"speech_final":true,"from_finalize":false,"channel":{"alternatives":[{"transcript":"another big","confidence":0.98,"words":[{"word":"another","start":6.0,"end":6.3,"confidence":0.99,"punctuated_word":"Another"}]}]},"metadata":{"request_id":"uuid","model_uuid":"uuid","model_info":{"name":"general-nova-3","version":"x","arch":"nova-3"}}}"#;
        let ServerMessage::Results {
            is_final,
            speech_final,
            channel,
            start,
            ..
        } = serde_json::from_str(text).unwrap()
        else {
            panic!()
        };
        assert!(is_final && speech_final);
        assert_eq!(start, 5.99);
        assert_eq!(channel.alternatives[0].transcript, "another big");
        assert_eq!(
            channel.alternatives[0].words[0].punctuated_word.as_deref(),
            Some("Another")
        );
    }

    #[test]
    fn other_server_messages_parse_and_unknown_ones_are_tolerated() {
        let meta: ServerMessage = serde_json::from_str(r#"{"type":"Metadata","transaction_key":"deprecated","request_id":"8c8e","sha256":"e3b0","created":"2024-08-29T22:37:55.202Z","duration":0.0,"channels":0}"#).unwrap();
        assert_eq!(
            meta,
            ServerMessage::Metadata {
                request_id: "8c8e".into()
            }
        );
        let vad: ServerMessage =
            serde_json::from_str(r#"{"type":"SpeechStarted","channel":[0,1],"timestamp":9.54}"#)
                .unwrap();
        assert_eq!(vad, ServerMessage::SpeechStarted { timestamp: 9.54 });
        let end: ServerMessage = serde_json::from_str(
            r#"{"type":"UtteranceEnd","channel":[0,1],"last_word_end":2.395}"#,
        )
        .unwrap();
        assert_eq!(
            end,
            ServerMessage::UtteranceEnd {
                last_word_end: 2.395
            }
        );
        assert_eq!(
            serde_json::from_str::<ServerMessage>(r#"{"type":"Warning"}"#).unwrap(),
            ServerMessage::Other
        );
        assert!(
            serde_json::from_str::<ServerMessage>(r#"{"type":"Results","is_final":true}"#).is_err()
        );
    }

    #[test]
    fn control_messages_have_the_documented_shape() {
        assert_eq!(
            ControlMessage::KeepAlive.to_json(),
            r#"{"type":"KeepAlive"}"#
        );
        assert_eq!(ControlMessage::Finalize.to_json(), r#"{"type":"Finalize"}"#);
        assert_eq!(
            ControlMessage::CloseStream.to_json(),
            r#"{"type":"CloseStream"}"#
        );
    }
}
