//! A fake Deepgram live-transcription server at `/v1/listen`.
//!
//! Binary frames are caller audio (µ-law 8 kHz, as the query declares). When the VAD hears
//! speech it sends `SpeechStarted` and an interim result; when the utterance ends, a final
//! `Results` with `speech_final: true` and the text `utterance N`. `CloseStream` is answered
//! with `Metadata` and a close; `KeepAlive` and `Finalize` are accepted silently. [`Faults`]
//! count final results: at the utterance after N of them the fake drops the socket, fails
//! (close 1011 `NET-0000`) or stalls (keeps reading, sends nothing).

use cc_media::audio::vad::VadEvent;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use crate::script::{Fault, Faults};
use crate::server::{Expect, accept};
use crate::utterance::UtteranceDetector;

const EXPECT: Expect = Expect {
    path: "/v1/listen",
    auth_header: "authorization",
};

/// Serves connections from `listener` until the task is dropped.
pub async fn serve(listener: TcpListener, faults: Faults) {
    while let Ok((tcp, _)) = listener.accept().await {
        tokio::spawn(async move {
            if let Err(e) = connection(tcp, faults).await {
                tracing::info!(error = %e, "deepgram fake connection ended with an error");
            }
        });
    }
}

fn results(text: &str, is_final: bool, start: f64, duration: f64) -> Message {
    let value: Value = json!({
        "type": "Results", "channel_index": [0, 1], "duration": duration, "start": start,
        "is_final": is_final, "speech_final": is_final, "from_finalize": false,
        "channel": {"alternatives": [{"transcript": text, "confidence": 0.93, "words": []}]},
        "metadata": {"request_id": "sim", "model_uuid": "sim", "model_info": {"name": "sim", "version": "0", "arch": "sim"}}
    });
    Message::text(value.to_string())
}

async fn connection(tcp: TcpStream, faults: Faults) -> anyhow::Result<()> {
    let Some(mut ws) = accept(tcp, EXPECT).await else {
        return Ok(());
    };
    let mut detector = UtteranceDetector::new();
    let mut received_ms = 0.0f64;
    let mut started_at = 0.0f64;
    let mut turns = 0u32;
    let mut stalled = false;
    while let Some(message) = ws.next().await {
        match message? {
            Message::Binary(_) if stalled => {}
            Message::Binary(audio) => {
                received_ms += audio.len() as f64 / 8.0;
                for event in detector.push(&audio) {
                    let now = received_ms / 1000.0;
                    match event {
                        VadEvent::SpeechStarted => {
                            started_at = now;
                            ws.send(Message::text(
                                json!({"type":"SpeechStarted","channel":[0,1],"timestamp":now})
                                    .to_string(),
                            ))
                            .await?;
                            ws.send(results("utterance", false, now, 0.1)).await?;
                        }
                        VadEvent::SpeechEnded => {
                            match faults.due(turns) {
                                Some(Fault::Drop) => return Ok(()),
                                Some(Fault::Fail) => {
                                    let frame = CloseFrame {
                                        code: CloseCode::Error,
                                        reason: "NET-0000".into(),
                                    };
                                    ws.close(Some(frame)).await.ok();
                                    return Ok(());
                                }
                                Some(Fault::Stall) => {
                                    stalled = true;
                                    break;
                                }
                                None => {}
                            }
                            turns += 1;
                            ws.send(results(
                                &crate::utterance::transcript(turns),
                                true,
                                started_at,
                                now - started_at,
                            ))
                            .await?;
                        }
                    }
                }
            }
            Message::Text(text) if text.as_str().contains("\"CloseStream\"") => {
                ws.send(Message::text(json!({"type":"Metadata","request_id":"sim","sha256":"","created":"","duration":received_ms / 1000.0,"channels":1}).to_string())).await?;
                ws.close(None).await.ok();
                break;
            }
            Message::Close(_) => break,
            _ => {}
        }
    }
    Ok(())
}
