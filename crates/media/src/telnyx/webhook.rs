//! Telnyx Call Control webhooks: the `{data, meta}` envelope and typed call events.
//!
//! [`Webhook::parse`] reads the envelope and keeps the raw `payload`; [`Webhook::event`] turns
//! it into a [`CallEvent`] by `event_type`. Event types this library does not model come back
//! as [`CallEvent::Other`] rather than failing, because Telnyx adds events over time. Values
//! Telnyx documents as open-ended lists (hang-up causes, statuses) stay strings. Retries repeat
//! `data.id`; deduplication belongs to the handler, which has the store to do it across restarts.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

/// A webhook body that could not be read.
#[derive(Debug, Error)]
pub enum WebhookError {
    /// Not the documented envelope.
    #[error("malformed Telnyx webhook: {0}")]
    Malformed(#[from] serde_json::Error),
}

/// Delivery metadata (not present on every event family).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookMeta {
    /// Delivery attempt, starting at 1.
    pub attempt: Option<u32>,
    /// The URL Telnyx posted to.
    pub delivered_to: Option<String>,
}

/// The `data` object of a webhook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookData {
    /// Always `event`.
    pub record_type: String,
    /// Dotted event name, e.g. `call.answered`.
    pub event_type: String,
    /// Unique event id; retries repeat it.
    pub id: String,
    /// ISO-8601 time of the event.
    pub occurred_at: String,
    /// Event-specific fields.
    pub payload: Value,
}

/// A Telnyx webhook envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Webhook {
    /// The event.
    pub data: WebhookData,
    /// Delivery metadata.
    #[serde(default)]
    pub meta: Option<WebhookMeta>,
}

/// Identifiers common to call events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallIds {
    /// Handle for Call Control commands (absent on `call.recording.saved`).
    pub call_control_id: Option<String>,
    /// The leg.
    pub call_leg_id: Option<String>,
    /// The session grouping all legs.
    pub call_session_id: Option<String>,
    /// The Call Control application.
    pub connection_id: Option<String>,
    /// Base64 state echoed from the last command, if any.
    pub client_state: Option<String>,
}

/// `call.initiated`: a call arrived or an outbound dial started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallInitiated {
    /// Identifiers.
    #[serde(flatten)]
    pub ids: CallIds,
    /// `incoming` or `outgoing`.
    pub direction: String,
    /// Caller.
    pub from: String,
    /// Called number.
    pub to: String,
    /// `parked` or `bridging`.
    pub state: Option<String>,
    /// Caller name, when known.
    pub caller_id_name: Option<String>,
}

/// `call.answered`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallAnswered {
    /// Identifiers.
    #[serde(flatten)]
    pub ids: CallIds,
    /// Caller.
    pub from: Option<String>,
    /// Called number.
    pub to: Option<String>,
}

/// `call.hangup`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallHangup {
    /// Identifiers.
    #[serde(flatten)]
    pub ids: CallIds,
    /// e.g. `normal_clearing`, `user_busy`, `no_answer`.
    pub hangup_cause: Option<String>,
    /// `caller`, `callee` or `unknown`.
    pub hangup_source: Option<String>,
    /// SIP status code as text.
    pub sip_hangup_cause: Option<String>,
}

/// `call.gather.ended`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatherEnded {
    /// Identifiers.
    #[serde(flatten)]
    pub ids: CallIds,
    /// Digits collected.
    #[serde(default)]
    pub digits: String,
    /// `valid`, `invalid`, `timeout`, `call_hangup`, `cancelled`, ...
    pub status: String,
}

/// `call.dtmf.received`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DtmfReceived {
    /// Identifiers.
    #[serde(flatten)]
    pub ids: CallIds,
    /// The key.
    pub digit: String,
}

/// Recording download links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordingUrls {
    /// MP3 link.
    pub mp3: Option<String>,
    /// WAV link.
    pub wav: Option<String>,
}

/// `call.recording.saved`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordingSaved {
    /// Identifiers (no `call_control_id` here).
    #[serde(flatten)]
    pub ids: CallIds,
    /// `single` or `dual`.
    pub channels: Option<String>,
    /// Start time.
    pub recording_started_at: Option<String>,
    /// End time.
    pub recording_ended_at: Option<String>,
    /// Private links.
    #[serde(default)]
    pub recording_urls: RecordingUrls,
}

/// Ends of `speak`, `playback` and streaming: identifiers plus an optional status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandProgress {
    /// Identifiers.
    #[serde(flatten)]
    pub ids: CallIds,
    /// Outcome on `*.ended` (`completed`, `call_hangup`, ...).
    pub status: Option<String>,
    /// Stream URL on `streaming.*`.
    pub stream_url: Option<String>,
    /// Failure reason on `streaming.failed`.
    pub failure_reason: Option<String>,
}

/// A call event with its payload typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallEvent {
    /// `call.initiated`.
    Initiated(CallInitiated),
    /// `call.answered`.
    Answered(CallAnswered),
    /// `call.hangup`.
    Hangup(CallHangup),
    /// `call.bridged`.
    Bridged(CallAnswered),
    /// `call.gather.ended`.
    GatherEnded(GatherEnded),
    /// `call.dtmf.received`.
    DtmfReceived(DtmfReceived),
    /// `call.recording.saved`.
    RecordingSaved(RecordingSaved),
    /// `call.speak.started`.
    SpeakStarted(CommandProgress),
    /// `call.speak.ended`.
    SpeakEnded(CommandProgress),
    /// `call.playback.started`.
    PlaybackStarted(CommandProgress),
    /// `call.playback.ended`.
    PlaybackEnded(CommandProgress),
    /// `streaming.started`.
    StreamingStarted(CommandProgress),
    /// `streaming.stopped`.
    StreamingStopped(CommandProgress),
    /// `streaming.failed`.
    StreamingFailed(CommandProgress),
    /// Any other event type, by name.
    Other(String),
}

impl Webhook {
    /// Parses the raw webhook body.
    pub fn parse(body: &[u8]) -> Result<Self, WebhookError> {
        Ok(serde_json::from_slice(body)?)
    }

    /// Types the payload according to `event_type`.
    pub fn event(&self) -> Result<CallEvent, WebhookError> {
        fn typed<T: serde::de::DeserializeOwned>(payload: &Value) -> Result<T, WebhookError> {
            Ok(T::deserialize(payload)?)
        }
        let p = &self.data.payload;
        Ok(match self.data.event_type.as_str() {
            "call.initiated" => CallEvent::Initiated(typed(p)?),
            "call.answered" => CallEvent::Answered(typed(p)?),
            "call.hangup" => CallEvent::Hangup(typed(p)?),
            "call.bridged" => CallEvent::Bridged(typed(p)?),
            "call.gather.ended" => CallEvent::GatherEnded(typed(p)?),
            "call.dtmf.received" => CallEvent::DtmfReceived(typed(p)?),
            "call.recording.saved" => CallEvent::RecordingSaved(typed(p)?),
            "call.speak.started" => CallEvent::SpeakStarted(typed(p)?),
            "call.speak.ended" => CallEvent::SpeakEnded(typed(p)?),
            "call.playback.started" => CallEvent::PlaybackStarted(typed(p)?),
            "call.playback.ended" => CallEvent::PlaybackEnded(typed(p)?),
            "streaming.started" => CallEvent::StreamingStarted(typed(p)?),
            "streaming.stopped" => CallEvent::StreamingStopped(typed(p)?),
            "streaming.failed" => CallEvent::StreamingFailed(typed(p)?),
            other => CallEvent::Other(other.to_owned()),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn envelope(event_type: &str, payload: &str) -> Vec<u8> {
        format!(
            r#"{{"data":{{"record_type":"event","event_type":"{event_type}","id":"0ccc7b54-4df3-4bca-a65a-3da1ecc777f0","occurred_at":"2018-02-02T22:25:27.521992Z","payload":{payload}}},"meta":{{"attempt":1,"delivered_to":"https://example.com/webhooks"}}}}"#
        )
        .into_bytes()
    }

    #[test]
    fn the_documented_answered_webhook_parses() {
        let body = envelope(
            "call.answered",
            r#"{"call_control_id":"v2:T02llQxIyaRkhfRKxgAP8nY511EhFLizdvdUKJiSw8d6A9BborherQ","call_leg_id":"428c31b6-7af4-4bcb-b7f5-5013ef9657c1","call_session_id":"428c31b6-abf3-3bc1-b7f4-5013ef9657c1","client_state":"aGF2ZSBhIG5pY2UgZGF5ID1d","connection_id":"7267xxxxxxxxxxxxxx","from":"+35319605860","to":"+13129457420","state":"answered"}"#,
        );
        let hook = Webhook::parse(&body).unwrap();
        assert_eq!(hook.meta.as_ref().and_then(|m| m.attempt), Some(1));
        let CallEvent::Answered(a) = hook.event().unwrap() else {
            panic!("not answered")
        };
        assert_eq!(
            a.ids.client_state.as_deref(),
            Some("aGF2ZSBhIG5pY2UgZGF5ID1d")
        );
        assert_eq!(a.to.as_deref(), Some("+13129457420"));
    }

    #[test]
    fn hangup_gather_dtmf_and_recording_events_are_typed() {
        let hangup = Webhook::parse(&envelope("call.hangup", r#"{"call_control_id":"v3:a","hangup_cause":"normal_clearing","hangup_source":"caller","client_state":null}"#)).unwrap();
        assert!(
            matches!(hangup.event().unwrap(), CallEvent::Hangup(ref h) if h.hangup_cause.as_deref() == Some("normal_clearing") && h.ids.client_state.is_none())
        );
        let gather = Webhook::parse(&envelope(
            "call.gather.ended",
            r#"{"call_control_id":"v3:a","digits":"12#","status":"valid"}"#,
        ))
        .unwrap();
        assert!(
            matches!(gather.event().unwrap(), CallEvent::GatherEnded(ref g) if g.digits == "12#")
        );
        let dtmf = Webhook::parse(&envelope(
            "call.dtmf.received",
            r#"{"call_control_id":"v3:a","digit":"5"}"#,
        ))
        .unwrap();
        assert!(matches!(dtmf.event().unwrap(), CallEvent::DtmfReceived(ref d) if d.digit == "5"));
        let saved = Webhook::parse(&envelope("call.recording.saved", r#"{"call_leg_id":"l","channels":"dual","recording_urls":{"mp3":"https://x/a.mp3","wav":"https://x/a.wav"}}"#)).unwrap();
        let CallEvent::RecordingSaved(r) = saved.event().unwrap() else {
            panic!()
        };
        assert_eq!(r.ids.call_control_id, None);
        assert_eq!(r.recording_urls.wav.as_deref(), Some("https://x/a.wav"));
    }

    #[test]
    fn unknown_event_types_are_kept_by_name() {
        let hook = Webhook::parse(&envelope("call.cost", r#"{"total":1}"#)).unwrap();
        assert_eq!(hook.event().unwrap(), CallEvent::Other("call.cost".into()));
    }

    #[test]
    fn envelope_without_meta_is_accepted() {
        let body = br#"{"data":{"record_type":"event","event_type":"streaming.started","id":"1","occurred_at":"t","payload":{"call_control_id":"v3:a","stream_url":"wss://h/s"}}}"#;
        let hook = Webhook::parse(body).unwrap();
        assert!(hook.meta.is_none());
        assert!(
            matches!(hook.event().unwrap(), CallEvent::StreamingStarted(ref s) if s.stream_url.as_deref() == Some("wss://h/s"))
        );
    }

    #[test]
    fn malformed_bodies_and_payloads_are_errors() {
        assert!(Webhook::parse(b"").is_err());
        assert!(Webhook::parse(br#"{"data":{"event_type":"call.hangup"}}"#).is_err());
        let missing_digit = Webhook::parse(&envelope(
            "call.dtmf.received",
            r#"{"call_control_id":"v3:a"}"#,
        ))
        .unwrap();
        assert!(missing_digit.event().is_err());
        let wrong_type = Webhook::parse(&envelope(
            "call.initiated",
            r#"{"direction":5,"from":"a","to":"b"}"#,
        ))
        .unwrap();
        assert!(wrong_type.event().is_err());
    }
}
