//! Live STT against a local WebSocket peer answering as Deepgram does.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpListener;
use tokio_tungstenite::accept_hdr_async;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

use super::*;
use crate::capability::Language;

#[derive(Default)]
struct Seen {
    uri: String,
    auth: Option<String>,
    audio_bytes: usize,
    controls: Vec<String>,
}

async fn fake_deepgram() -> (String, Arc<Mutex<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("ws://{}/v1", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Seen::default()));
    let record = seen.clone();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        #[expect(
            clippy::result_large_err,
            reason = "tungstenite fixes the handshake callback's signature"
        )]
        let on_request = |req: &Request, resp: Response| {
            let mut s = record.lock().unwrap();
            s.uri = req.uri().to_string();
            s.auth = req
                .headers()
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_owned());
            Ok(resp)
        };
        let mut ws = accept_hdr_async(tcp, on_request).await.unwrap();
        let result = |text: &str, is_final: bool, start: f64| {
            Message::text(json!({"type":"Results","channel_index":[0,1],"duration":0.5,"start":start,"is_final":is_final,"speech_final":is_final,"channel":{"alternatives":[{"transcript":text,"confidence":0.9,"words":[]}]}}).to_string())
        };
        while let Some(Ok(message)) = ws.next().await {
            match message {
                Message::Binary(bytes) => {
                    let total = {
                        let mut s = record.lock().unwrap();
                        s.audio_bytes += bytes.len();
                        s.audio_bytes
                    };
                    if total == 320 {
                        ws.send(result("", false, 0.0)).await.unwrap();
                        ws.send(Message::text(
                            r#"{"type":"SpeechStarted","channel":[0,1],"timestamp":0.1}"#,
                        ))
                        .await
                        .unwrap();
                        ws.send(result("where is", false, 0.0)).await.unwrap();
                    }
                }
                Message::Text(text) => {
                    record
                        .lock()
                        .unwrap()
                        .controls
                        .push(text.as_str().to_owned());
                    if text.as_str().contains("CloseStream") {
                        ws.send(result("where is my order", true, 0.0))
                            .await
                            .unwrap();
                        ws.send(Message::text(r#"{"type":"Metadata","request_id":"r1"}"#))
                            .await
                            .unwrap();
                        ws.close(None).await.ok();
                        break;
                    }
                }
                _ => {}
            }
        }
    });
    (base, seen)
}

#[tokio::test]
async fn interim_and_final_transcripts_flow_until_close() {
    let (base, seen) = fake_deepgram().await;
    let config = TranscriptionConfig {
        language: Some(Language::En),
        interim_results: true,
        endpointing: Duration::from_millis(300),
    };
    let mut stream = DeepgramTranscriber::new("dg-key")
        .with_base_url(&base)
        .start(config)
        .await
        .unwrap();
    stream.send_audio(&[0xFF; 160]).await.unwrap();
    stream.send_audio(&[0xFF; 160]).await.unwrap();
    let interim = stream.next_transcript().await.unwrap().unwrap();
    assert_eq!(
        (interim.text.as_str(), interim.is_final),
        ("where is", false)
    );
    stream.finish().await.unwrap();
    let last = stream.next_transcript().await.unwrap().unwrap();
    assert_eq!(
        (last.text.as_str(), last.is_final, last.end_ms),
        ("where is my order", true, 500)
    );
    assert_eq!(stream.next_transcript().await.unwrap(), None);

    let seen = seen.lock().unwrap();
    assert_eq!(seen.auth.as_deref(), Some("Token dg-key"));
    assert_eq!(
        seen.uri,
        "/v1/listen?model=nova-3&encoding=mulaw&sample_rate=8000&channels=1&interim_results=true&endpointing=300&punctuate=true&vad_events=true&language=en"
    );
    assert_eq!(seen.audio_bytes, 320);
    assert_eq!(seen.controls, vec![r#"{"type":"CloseStream"}"#.to_owned()]);
}

#[test]
fn times_and_confidence_out_of_range_are_protocol_errors() {
    let results = |start: &str, duration: &str, confidence: &str| {
        format!(
            r#"{{"type":"Results","start":{start},"duration":{duration},"is_final":true,"channel":{{"alternatives":[{{"transcript":"hi","confidence":{confidence}}}]}}}}"#
        )
    };
    for (start, duration, confidence) in [
        ("1e300", "0.5", "0.9"),               // start in ms is past u64::MAX
        ("1.8446744073709552e16", "0", "0.9"), // 2^64 ms exactly
        ("1.0", "1.7e308", "0.9"),             // the end is past u64::MAX
        ("1.7e308", "1.7e308", "0.9"),         // the end is not even finite
        ("0", "0.5", "1e300"),                 // no f32 holds the confidence
    ] {
        let text = results(start, duration, confidence);
        assert!(
            matches!(
                transcript_from_text(&text),
                Err(ProviderError::Protocol { ref provider, .. }) if provider == "deepgram"
            ),
            "{text}"
        );
    }
    // Just below 2^64 ms is still a time.
    let edge = transcript_from_text(&results("1.8446744073709e16", "0", "1"))
        .unwrap()
        .unwrap();
    assert_eq!(edge.start_ms, 18_446_744_073_709_000_704);
    assert_eq!(edge.end_ms, edge.start_ms);
    // Negative times clamp to zero, as before.
    let early = transcript_from_text(&results("-1", "0.5", "0.5"))
        .unwrap()
        .unwrap();
    assert_eq!((early.start_ms, early.end_ms), (0, 0));
    assert_eq!(
        transcript_from_text(&results("0", "1", "0.5").replace("hi", "")).unwrap(),
        None
    );
    assert_eq!(
        transcript_from_text(r#"{"type":"Metadata","request_id":"r"}"#).unwrap(),
        None
    );
}
