//! `cc-sim call twilio`: behave as Twilio does for incoming calls to a voice URL.
//!
//! Per call: a form POST of the usual voice-webhook fields signed with `X-Twilio-Signature`;
//! the returned TwiML's `<Connect><Stream>` is followed by opening the WebSocket (the upgrade
//! is signed over the stream URL, as integrators report Twilio does), sending `connected` and
//! `start` (with the `<Parameter>`s as `customParameters`), then µ-law `media` in real-time
//! 20 ms frames (speech-like bursts of 1 s with 1 s pauses, or the `--say` text) and `stop`. Audio the app sends is
//! "played" at real-time rate: a `mark` is echoed when the audio queued before it has played,
//! and `clear` echoes every pending mark at once. The summary counts frames both ways, marks
//! acknowledged, the latency from the end of the caller's first utterance to the first
//! answer audio, and (for relays that send every frame back) the per-frame round trip.
//! After the caller's audio the call stays up until a relay has sent every frame back, or one
//! more second, then sends `stop`.

use std::path::PathBuf;
use std::sync::Arc;

use cc_media::twilio::frame::FromApp;
use cc_media::twilio::signature::compute_signature;
use cc_media::twilio::stream::AppMessage;
use serde_json::{Value, json};

use crate::caller_audio::CallerAudio;
use crate::caller_stream::{
    self, AppAction, Dialect, MediaKeys, Sequence, media_action, write_media,
};
use crate::summary::{CallReport, Summary, sid};
use crate::twiml_scan::{StreamRequest, connect_stream};

/// What to call and how.
#[derive(Debug, Clone)]
pub struct CallOptions {
    /// The app's voice webhook.
    pub voice_url: String,
    /// `AC…` account SID used in the webhook and stream.
    pub account_sid: String,
    /// Auth token used to sign.
    pub auth_token: String,
    /// Concurrent calls.
    pub calls: usize,
    /// Seconds of caller audio per call.
    pub seconds: u32,
    /// What the caller says (`--say`); synthetic speech-like bursts when absent.
    pub say: Option<String>,
    /// Keys the caller presses after its first utterance (`--dtmf`), e.g. `12#`.
    pub dtmf: String,
    /// A WAV file the caller plays as its utterance (`--wav`).
    pub wav: Option<PathBuf>,
}

/// Places `options.calls` concurrent calls and summarises them.
pub async fn run(options: CallOptions) -> Summary {
    let audio = match CallerAudio::for_call(
        options.say.as_deref(),
        options.wav.as_deref(),
        options.seconds,
    )
    .await
    {
        Ok(audio) => Arc::new(audio.with_dtmf(&options.dtmf)),
        Err(reason) => return Summary::not_started("twilio", reason),
    };
    let options = Arc::new(options);
    let http = reqwest::Client::new();
    let tasks: Vec<_> = (0..options.calls)
        .map(|_| tokio::spawn(one_call(options.clone(), http.clone(), audio.clone())))
        .collect();
    let mut outcomes = Vec::with_capacity(tasks.len());
    for task in tasks {
        outcomes.push(task.await.map_err(|e| e.to_string()).and_then(|r| r));
    }
    Summary::from_outcomes("twilio", options.calls, outcomes)
}

async fn one_call(
    options: Arc<CallOptions>,
    http: reqwest::Client,
    audio: Arc<CallerAudio>,
) -> Result<CallReport, String> {
    let call_sid = sid("CA");
    let (from, to) = ("+15005550006", "+15005550001");
    let params = [
        ("AccountSid", options.account_sid.as_str()),
        ("ApiVersion", "2010-04-01"),
        ("CallSid", call_sid.as_str()),
        ("CallStatus", "ringing"),
        ("Called", to),
        ("Caller", from),
        ("Direction", "inbound"),
        ("From", from),
        ("To", to),
    ];
    let twiml = signed_post(&http, &options.auth_token, &options.voice_url, &params).await?;
    let Some(stream) = connect_stream(&twiml) else {
        // No stream requested (a <Say>/<Hangup> flow): the call is done.
        return Ok(CallReport::default());
    };
    stream_call(
        &options.account_sid,
        &options.auth_token,
        &call_sid,
        &stream,
        &audio,
    )
    .await
}

/// Posts `params` to `url` signed with `X-Twilio-Signature`; returns the body (TwiML).
pub async fn signed_post(
    http: &reqwest::Client,
    auth_token: &str,
    url: &str,
    params: &[(&str, &str)],
) -> Result<String, String> {
    let signature = compute_signature(auth_token, url, params);
    let response = http
        .post(url)
        .header("X-Twilio-Signature", signature)
        .form(params)
        .send()
        .await
        .map_err(|e| format!("voice webhook: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("voice webhook answered {}", response.status()));
    }
    response
        .text()
        .await
        .map_err(|e| format!("voice webhook body: {e}"))
}

/// Follows a `<Connect><Stream>`: opens the signed WebSocket and streams `audio`.
pub async fn stream_call(
    account_sid: &str,
    auth_token: &str,
    call_sid: &str,
    stream: &StreamRequest,
    audio: &CallerAudio,
) -> Result<CallReport, String> {
    let upgrade_signature = compute_signature::<&str, &str>(auth_token, &stream.url, &[]);
    let dialect = TwilioDialect {
        account_sid: account_sid.to_owned(),
        call_sid: call_sid.to_owned(),
        stream_sid: sid("MZ"),
        parameters: stream.parameters.clone(),
        seq: Sequence::default(),
    };
    caller_stream::run(
        &stream.url,
        vec![("X-Twilio-Signature", upgrade_signature)],
        dialect,
        audio,
    )
    .await
}

/// Twilio Media Streams shapes (camelCase, `streamSid`, `sequenceNumber`).
struct TwilioDialect {
    account_sid: String,
    call_sid: String,
    stream_sid: String,
    parameters: Vec<(String, String)>,
    seq: Sequence,
}

impl Dialect for TwilioDialect {
    fn opening(&mut self) -> Vec<Value> {
        let custom: serde_json::Map<String, Value> = self
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        let start = json!({"event":"start","start":{"accountSid":self.account_sid,"streamSid":self.stream_sid,"callSid":self.call_sid,"tracks":["inbound"],
            "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":custom},"streamSid":self.stream_sid});
        vec![
            json!({"event":"connected","protocol":"Call","version":"1.0.0"}),
            self.seq.stamp(start, "sequenceNumber"),
        ]
    }

    fn media(&mut self, index: usize, payload: &str, out: &mut String) {
        let keys = MediaKeys {
            sequence: "sequenceNumber",
            stream: "streamSid",
        };
        let seq = self.seq.advance();
        write_media(out, &keys, seq, index, payload, &self.stream_sid);
    }

    fn mark(&mut self, name: &str) -> Value {
        let mark = json!({"event":"mark","streamSid":self.stream_sid,"mark":{"name":name}});
        self.seq.stamp(mark, "sequenceNumber")
    }

    fn dtmf(&mut self, digit: char) -> Value {
        let dtmf = json!({"event":"dtmf","streamSid":self.stream_sid,"dtmf":{"track":"inbound_track","digit":digit.to_string()}});
        self.seq.stamp(dtmf, "sequenceNumber")
    }

    fn stop(&mut self) -> Value {
        let stop = json!({"event":"stop","stop":{"accountSid":self.account_sid,"callSid":self.call_sid},"streamSid":self.stream_sid});
        self.seq.stamp(stop, "sequenceNumber")
    }

    fn parse(&self, text: &str, scratch: &mut Vec<u8>) -> Result<AppAction, String> {
        Ok(match FromApp::parse(text).map_err(|e| e.to_string())? {
            FromApp::Media { payload, .. } => media_action(&payload, scratch)?,
            FromApp::Other(AppMessage::Mark { mark, .. }) => AppAction::Mark(mark.name),
            FromApp::Other(AppMessage::Clear { .. }) => AppAction::Clear,
            FromApp::Other(AppMessage::Media { media, .. }) => {
                media_action(&media.payload, scratch)?
            }
        })
    }
}
