//! Telnyx's side of the media-streaming WebSocket: snake_case messages, `stream_id`,
//! `sequence_number` strings, `PCMU` 8 kHz, and app messages without a stream id. The
//! `stream_auth_token`, when the app set one, is sent as a bearer `Authorization` header on the
//! upgrade (how Telnyx delivers it is unconfirmed, see protocols.md §3.2).

use cc_media::telnyx::stream::TelnyxAppMessage;
use serde_json::{Value, json};

use crate::caller_audio::CallerAudio;
use crate::caller_stream::{
    self, AppAction, Dialect, MediaKeys, Sequence, media_action, write_media,
};
use crate::clock::rfc3339_now;
use crate::summary::CallReport;

/// Who the stream belongs to.
#[derive(Debug, Clone)]
pub struct StreamIdentity {
    /// The call's Call Control id.
    pub call_control_id: String,
    /// The call's session.
    pub call_session_id: String,
    /// Caller.
    pub from: String,
    /// Called number.
    pub to: String,
    /// Base64 state from the last command.
    pub client_state: Option<String>,
}

/// Called with each key the caller presses (the fake turns it into webhooks).
pub type KeyHandler = Box<dyn FnMut(char) + Send>;

/// Opens `url` and streams `audio` as Telnyx does; `on_key` hears each key pressed.
pub async fn run(
    url: &str,
    auth_token: Option<&str>,
    identity: StreamIdentity,
    stream_id: String,
    audio: &CallerAudio,
    on_key: KeyHandler,
) -> Result<CallReport, String> {
    let headers = auth_token
        .map(|t| vec![("Authorization", format!("Bearer {t}"))])
        .unwrap_or_default();
    let dialect = TelnyxDialect {
        identity,
        stream_id,
        seq: Sequence::default(),
        on_key,
    };
    caller_stream::run(url, headers, dialect, audio).await
}

struct TelnyxDialect {
    identity: StreamIdentity,
    stream_id: String,
    seq: Sequence,
    on_key: KeyHandler,
}

impl Dialect for TelnyxDialect {
    fn opening(&mut self) -> Vec<Value> {
        let id = &self.identity;
        let start = json!({"event":"start","start":{"user_id":"3e6f995f-85f7-4705-9741-53b116d28237",
            "call_control_id":id.call_control_id,"call_session_id":id.call_session_id,"from":id.from,"to":id.to,
            "tags":[],"client_state":id.client_state,"media_format":{"encoding":"PCMU","sample_rate":8000,"channels":1}},
            "stream_id":self.stream_id});
        vec![
            json!({"event":"connected","version":"1.0.0"}),
            self.seq.stamp(start, "sequence_number"),
        ]
    }

    fn media(&mut self, index: usize, payload: &str, out: &mut String) {
        let keys = MediaKeys {
            sequence: "sequence_number",
            stream: "stream_id",
        };
        let seq = self.seq.advance();
        write_media(out, &keys, seq, index, payload, &self.stream_id);
    }

    fn mark(&mut self, name: &str) -> Value {
        let mark = json!({"event":"mark","stream_id":self.stream_id,"mark":{"name":name}});
        self.seq.stamp(mark, "sequence_number")
    }

    fn dtmf(&mut self, digit: char) -> Value {
        (self.on_key)(digit);
        let dtmf = json!({"event":"dtmf","stream_id":self.stream_id,"occurred_at":rfc3339_now(),
            "dtmf":{"digit":digit.to_string()}});
        self.seq.stamp(dtmf, "sequence_number")
    }

    fn stop(&mut self) -> Value {
        let stop = json!({"event":"stop","stop":{"user_id":"3e6f995f-85f7-4705-9741-53b116d28237",
            "call_control_id":self.identity.call_control_id},"stream_id":self.stream_id});
        self.seq.stamp(stop, "sequence_number")
    }

    fn parse(&self, text: &str, scratch: &mut Vec<u8>) -> Result<AppAction, String> {
        Ok(
            match TelnyxAppMessage::parse(text).map_err(|e| e.to_string())? {
                TelnyxAppMessage::Media { media } => media_action(&media.payload, scratch)?,
                TelnyxAppMessage::Mark { mark } => AppAction::Mark(mark.name),
                TelnyxAppMessage::Clear => AppAction::Clear,
            },
        )
    }
}
