//! `cc-sim call twilio`: behave as Twilio does for incoming calls to a voice URL.
//!
//! Per call: a form POST of the usual voice-webhook fields signed with `X-Twilio-Signature`;
//! the returned TwiML's `<Connect><Stream>` is followed by opening the WebSocket (the upgrade
//! is signed over the stream URL, as integrators report Twilio does), sending `connected` and
//! `start` (with the `<Parameter>`s as `customParameters`), then µ-law `media` in real-time
//! 20 ms frames (speech-like bursts of 1 s with 1 s pauses) and `stop`. Audio the app sends is
//! "played" at real-time rate: a `mark` is echoed when the audio queued before it has played,
//! and `clear` echoes every pending mark at once. The summary counts frames both ways, marks
//! acknowledged, the latency from the end of the caller's first utterance to the first
//! answer audio, and (for relays that send every frame back) the per-frame round trip.
//! The call ends when the caller's audio is done; frames still in flight then are not counted,
//! so a relay's `frames_received` may trail `frames_sent` by the last few frames.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use cc_media::twilio::signature::compute_signature;
use cc_media::twilio::stream::AppMessage;
use futures_util::{SinkExt, StreamExt};
use rand::Rng;
use serde::Serialize;
use serde_json::{Value, json};
use tokio_tungstenite::connect_async_with_config;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::twiml_scan::connect_stream;
use crate::utterance::{silence, speech_like};

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
}

/// The one-line JSON summary of a run.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Summary {
    /// Calls whose webhook was posted.
    pub calls_placed: usize,
    /// Calls that ran to the end without error.
    pub calls_completed: usize,
    /// 20 ms frames sent to apps.
    pub frames_sent: u64,
    /// 20 ms frames' worth of audio received from apps.
    pub frames_received: u64,
    /// Marks echoed after playout.
    pub marks_acknowledged: u64,
    /// Median first-response latency (ms), when any call got audio.
    pub first_response_ms_p50: Option<f64>,
    /// 99th percentile first-response latency (ms).
    pub first_response_ms_p99: Option<f64>,
    /// Median time from sending frame *n* to receiving the app's frame *n* (ms); meaningful
    /// when the app relays every frame back (a media relay), not for an AI agent.
    pub echo_rtt_ms_p50: Option<f64>,
    /// 99th percentile of the same (ms).
    pub echo_rtt_ms_p99: Option<f64>,
    /// Calls that failed.
    pub errors: usize,
    /// A few error messages, for diagnosis.
    pub error_samples: Vec<String>,
}

#[derive(Default)]
struct CallReport {
    frames_sent: u64,
    frames_received: u64,
    marks_acknowledged: u64,
    first_response_ms: Option<f64>,
    echo_rtt_ms: Vec<f64>,
}

fn sid(prefix: &str) -> String {
    let mut rng = rand::thread_rng();
    let hex: String = (0..32)
        .map(|_| char::from_digit(rng.gen_range(0..16), 16).unwrap_or('0'))
        .collect();
    format!("{prefix}{hex}")
}

fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

/// Places `options.calls` concurrent calls and summarises them.
pub async fn run(options: CallOptions) -> Summary {
    let options = Arc::new(options);
    let http = reqwest::Client::new();
    let tasks: Vec<_> = (0..options.calls)
        .map(|_| tokio::spawn(one_call(options.clone(), http.clone())))
        .collect();
    let mut summary = Summary {
        calls_placed: options.calls,
        ..Summary::default()
    };
    let mut latencies = Vec::new();
    let mut rtts = Vec::new();
    for task in tasks {
        match task.await.map_err(|e| e.to_string()).and_then(|r| r) {
            Ok(report) => {
                summary.calls_completed += 1;
                summary.frames_sent += report.frames_sent;
                summary.frames_received += report.frames_received;
                summary.marks_acknowledged += report.marks_acknowledged;
                latencies.extend(report.first_response_ms);
                rtts.extend(report.echo_rtt_ms);
            }
            Err(e) => {
                summary.errors += 1;
                if summary.error_samples.len() < 5 {
                    summary.error_samples.push(e);
                }
            }
        }
    }
    latencies.sort_by(f64::total_cmp);
    summary.first_response_ms_p50 = percentile(&latencies, 0.50);
    summary.first_response_ms_p99 = percentile(&latencies, 0.99);
    rtts.sort_by(f64::total_cmp);
    summary.echo_rtt_ms_p50 = percentile(&rtts, 0.50);
    summary.echo_rtt_ms_p99 = percentile(&rtts, 0.99);
    summary
}

async fn one_call(options: Arc<CallOptions>, http: reqwest::Client) -> Result<CallReport, String> {
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
    let signature = compute_signature(&options.auth_token, &options.voice_url, &params);
    let response = http
        .post(&options.voice_url)
        .header("X-Twilio-Signature", signature)
        .form(&params)
        .send()
        .await
        .map_err(|e| format!("voice webhook: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("voice webhook answered {}", response.status()));
    }
    let twiml = response
        .text()
        .await
        .map_err(|e| format!("voice webhook body: {e}"))?;
    let Some(stream) = connect_stream(&twiml) else {
        // No stream requested (a <Say>/<Hangup> flow): the call is done.
        return Ok(CallReport::default());
    };
    let mut request = stream
        .url
        .as_str()
        .into_client_request()
        .map_err(|e| format!("stream URL: {e}"))?;
    let upgrade_signature = compute_signature::<&str, &str>(&options.auth_token, &stream.url, &[]);
    if let Ok(value) = upgrade_signature.parse() {
        request.headers_mut().insert("X-Twilio-Signature", value);
    }
    let (ws, _) = connect_async_with_config(request, None, true)
        .await
        .map_err(|e| format!("stream connect: {e}"))?;
    let (mut sink, mut source) = ws.split();
    let stream_sid = sid("MZ");
    let mut seq = 0u64;
    let mut next = |mut v: Value| {
        seq += 1;
        v["sequenceNumber"] = json!(seq.to_string());
        Message::text(v.to_string())
    };
    let send_err = |e: tokio_tungstenite::tungstenite::Error| format!("stream send: {e}");
    sink.send(Message::text(
        json!({"event":"connected","protocol":"Call","version":"1.0.0"}).to_string(),
    ))
    .await
    .map_err(send_err)?;
    let custom: serde_json::Map<String, Value> = stream
        .parameters
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let start = json!({"event":"start","start":{"accountSid":options.account_sid,"streamSid":stream_sid,"callSid":call_sid,"tracks":["inbound"],
        "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":custom},"streamSid":stream_sid});
    sink.send(next(start)).await.map_err(send_err)?;

    let mut audio = Vec::new();
    for second in 0..options.seconds {
        audio.extend(if second % 2 == 0 {
            speech_like(1000)
        } else {
            silence(1000)
        });
    }
    let frames: Vec<&[u8]> = audio.chunks(160).collect();
    let mut report = CallReport::default();
    let mut ticker = tokio::time::interval(Duration::from_millis(20));
    let began = Instant::now();
    let first_utterance_end = began + Duration::from_millis(1000);
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
                    sink.send(next(json!({"event":"mark","streamSid":stream_sid,"mark":{"name":name}}))).await.map_err(send_err)?;
                    report.marks_acknowledged += 1;
                }
                let Some(frame) = frames.get(index) else { break };
                let media = json!({"event":"media","media":{"track":"inbound","chunk":(index + 1).to_string(),"timestamp":(index * 20).to_string(),"payload":BASE64.encode(frame)},"streamSid":stream_sid});
                sent_at.push(Instant::now());
                sink.send(next(media)).await.map_err(send_err)?;
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
                match AppMessage::parse(text.as_str()).map_err(|e| e.to_string())? {
                    AppMessage::Media { media, .. } => {
                        let bytes = BASE64.decode(media.payload.as_bytes()).map_err(|_| "app sent non-base64 media".to_owned())?.len();
                        let count = bytes.div_ceil(160);
                        report.frames_received += count as u64;
                        for _ in 0..count {
                            if let Some(sent) = sent_at.get(echoed) {
                                report.echo_rtt_ms.push(now.saturating_duration_since(*sent).as_secs_f64() * 1000.0);
                            }
                            echoed += 1;
                        }
                        playout_end = playout_end.max(now) + Duration::from_millis(bytes as u64 / 8);
                        if report.first_response_ms.is_none() {
                            report.first_response_ms = Some(now.saturating_duration_since(first_utterance_end).as_secs_f64() * 1000.0);
                        }
                    }
                    AppMessage::Mark { mark, .. } => marks.push_back((playout_end.max(now), mark.name)),
                    AppMessage::Clear { .. } => {
                        for (_, name) in marks.drain(..) {
                            sink.send(next(json!({"event":"mark","streamSid":stream_sid,"mark":{"name":name}}))).await.map_err(send_err)?;
                            report.marks_acknowledged += 1;
                        }
                        playout_end = now;
                    }
                }
            }
        }
    }
    let stop = json!({"event":"stop","stop":{"accountSid":options.account_sid,"callSid":call_sid},"streamSid":stream_sid});
    sink.send(next(stop)).await.map_err(send_err)?;
    sink.close().await.ok();
    Ok(report)
}
