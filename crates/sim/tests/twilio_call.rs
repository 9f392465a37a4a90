//! The fake Twilio caller against a small app: a signed voice webhook answered with TwiML,
//! then a media stream that the app echoes back with marks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use cc_media::twilio::session::StreamTracker;
use cc_media::twilio::signature::validate_form_body;
use cc_media::twilio::stream::{AppMessage, TwilioEvent};
use cc_sim::twilio_call::{CallOptions, run};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

const TOKEN: &str = "secret-token";

/// Answers each voice webhook whose signature verifies with TwiML pointing at `ws_url`.
async fn voice_app(ws_url: String, rejected: Arc<AtomicUsize>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/voice?tenant=acme",
        listener.local_addr().unwrap()
    );
    let signed_url = url.clone();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let (ws_url, signed_url, rejected) =
                (ws_url.clone(), signed_url.clone(), rejected.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let (head_end, length) = loop {
                    let n = tcp.read(&mut chunk).await.unwrap();
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..pos]).to_lowercase();
                        let length = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .map(|v| v.trim().parse::<usize>().unwrap())
                            .unwrap_or(0);
                        break (pos + 4, length);
                    }
                };
                while buf.len() < head_end + length {
                    let n = tcp.read(&mut chunk).await.unwrap();
                    buf.extend_from_slice(&chunk[..n]);
                }
                let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
                let signature = head
                    .lines()
                    .find_map(|l| {
                        l.strip_prefix("x-twilio-signature: ")
                            .or_else(|| l.strip_prefix("X-Twilio-Signature: "))
                    })
                    .unwrap_or("")
                    .trim()
                    .to_owned();
                let body = &buf[head_end..head_end + length];
                let (status, twiml) = if validate_form_body(TOKEN, &signed_url, body, &signature)
                    .is_ok()
                {
                    (
                        "200 OK",
                        format!(
                            r#"<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="{ws_url}"><Parameter name="tenant" value="acme"/></Stream></Connect></Response>"#
                        ),
                    )
                } else {
                    rejected.fetch_add(1, Ordering::SeqCst);
                    ("403 Forbidden", String::new())
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{twiml}",
                    twiml.len()
                );
                tcp.write_all(response.as_bytes()).await.unwrap();
            });
        }
    });
    url
}

/// Keys pressed, as (stream SID, digit) in arrival order.
type Keys = Arc<Mutex<Vec<(String, String)>>>;

/// Echoes inbound audio back and sends a mark after every tenth frame; counts protocol errors
/// and records the keys pressed.
async fn media_app(protocol_errors: Arc<AtomicUsize>, keys: Keys) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/media", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let protocol_errors = protocol_errors.clone();
            let keys = keys.clone();
            tokio::spawn(async move {
                let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
                let mut tracker = StreamTracker::new();
                while let Some(Ok(Message::Text(text))) = ws.next().await {
                    let event = TwilioEvent::parse(text.as_str()).unwrap();
                    if tracker.accept(&event).is_err() {
                        protocol_errors.fetch_add(1, Ordering::SeqCst);
                    }
                    match event {
                        TwilioEvent::Start(start) => {
                            assert_eq!(start.start.custom_parameters["tenant"], "acme")
                        }
                        TwilioEvent::Media(m) => {
                            let sid = tracker.stream_sid().unwrap().to_owned();
                            ws.send(Message::text(
                                AppMessage::media(sid.clone(), &m.media.audio().unwrap()).to_json(),
                            ))
                            .await
                            .unwrap();
                            if m.media.chunk.get() % 10 == 0 {
                                ws.send(Message::text(
                                    AppMessage::mark(sid, format!("m{}", m.media.chunk)).to_json(),
                                ))
                                .await
                                .unwrap();
                            }
                        }
                        TwilioEvent::Dtmf(d) => {
                            keys.lock().unwrap().push((d.stream_sid, d.dtmf.digit));
                        }
                        TwilioEvent::Stop(_) => break,
                        _ => {}
                    }
                }
            });
        }
    });
    url
}

#[tokio::test]
async fn concurrent_calls_stream_real_time_audio_and_get_marks_back() {
    let protocol_errors = Arc::new(AtomicUsize::new(0));
    let rejected = Arc::new(AtomicUsize::new(0));
    let keys = Keys::default();
    let ws_url = media_app(protocol_errors.clone(), keys.clone()).await;
    let voice_url = voice_app(ws_url, rejected.clone()).await;
    let summary = run(CallOptions {
        voice_url,
        account_sid: "AC0123456789abcdef0123456789abcdef".into(),
        auth_token: TOKEN.into(),
        calls: 3,
        seconds: 1,
        say: None,
        wav: None,
        dtmf: "12#".into(),
    })
    .await;
    assert_eq!(summary.error_samples, Vec::<String>::new());
    assert_eq!(
        (
            summary.calls_placed,
            summary.calls_completed,
            summary.errors
        ),
        (3, 3, 0)
    );
    // 1 s of audio, lengthened to 75 frames for the last key (pressed at frame 74).
    assert_eq!(summary.frames_sent, 225, "75 frames of 20 ms per call");
    assert_eq!(
        summary.frames_received, 225,
        "every frame's echo comes back before the caller hangs up"
    );
    // Seven marks per call; each is acknowledged once its audio has played, except possibly the last.
    assert!(
        (18..=21).contains(&summary.marks_acknowledged),
        "{}",
        summary.marks_acknowledged
    );
    assert!(summary.first_response_ms_p50.is_some());
    // The app echoes every frame, so each received frame has a round trip.
    assert!(
        summary.echo_rtt_ms_p50.is_some() && summary.echo_rtt_ms_p99 >= summary.echo_rtt_ms_p50
    );
    assert_eq!(
        rejected.load(Ordering::SeqCst),
        0,
        "every webhook signature verified"
    );
    assert_eq!(
        protocol_errors.load(Ordering::SeqCst),
        0,
        "the stream follows Twilio's ordering rules"
    );
    assert_eq!(summary.dtmf_sent, 9, "three keys per call");
    let keys = keys.lock().unwrap();
    let mut per_stream: std::collections::BTreeMap<&str, String> = Default::default();
    for (stream, digit) in keys.iter() {
        per_stream.entry(stream).or_default().push_str(digit);
    }
    assert_eq!(
        per_stream.into_values().collect::<Vec<_>>(),
        ["12#", "12#", "12#"],
        "each caller's keys arrive in order as dtmf messages"
    );
}

#[tokio::test]
async fn a_wrong_token_is_rejected_by_the_app_and_reported() {
    let ws_url = media_app(Arc::new(AtomicUsize::new(0)), Keys::default()).await;
    let rejected = Arc::new(AtomicUsize::new(0));
    let voice_url = voice_app(ws_url, rejected.clone()).await;
    let summary = run(CallOptions {
        voice_url,
        account_sid: "AC1".into(),
        auth_token: "wrong".into(),
        calls: 2,
        seconds: 1,
        say: None,
        wav: None,
        dtmf: String::new(),
    })
    .await;
    assert_eq!((summary.calls_completed, summary.errors), (0, 2));
    assert!(
        summary.error_samples[0].contains("403"),
        "{:?}",
        summary.error_samples
    );
    assert_eq!(rejected.load(Ordering::SeqCst), 2);
}
