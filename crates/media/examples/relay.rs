//! A media relay built from cc-media, for load runs with `cc-sim call twilio`.
//!
//! `relay HTTP_ADDR WS_ADDR`: the voice webhook on HTTP_ADDR answers every POST with
//! `<Connect><Stream url="ws://WS_ADDR/media">`; each media stream on WS_ADDR is checked with
//! the Twilio stream tracker, and every inbound frame is decoded, mixed with a second leg (a
//! quiet 440 Hz tone standing in for an agent, at −20 dB), re-encoded and sent straight back
//! ([`MixingRelay`], which allocates nothing per frame once warm).
//! The webhook is a bare HTTP/1.1 responder for this benchmark, not a web framework.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use cc_media::audio::mix::Gain;
use cc_media::audio::tone::Tone;
use cc_media::twilio::relay::{MixingRelay, Step};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

async fn webhook(mut tcp: TcpStream, twiml: Arc<String>) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    loop {
        let n = tcp.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = tcp.read(&mut chunk).await?;
                if n == 0 {
                    return Ok(());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            break;
        }
    }
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{twiml}",
        twiml.len()
    );
    tcp.write_all(response.as_bytes()).await
}

async fn stream(tcp: TcpStream, frames: Arc<AtomicU64>, errors: Arc<AtomicU64>) {
    // 20 ms frames are tiny; without this, Nagle and delayed ACKs add tens of milliseconds.
    let _ = tcp.set_nodelay(true);
    // A media socket carries ~300-byte messages: small buffers keep 1,000 sockets in cache.
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0);
    let Ok(mut ws) = tokio_tungstenite::accept_async_with_config(tcp, Some(config)).await else {
        return;
    };
    // The second leg: a quiet 440 Hz tone standing in for an agent, at -20 dB.
    let mut relay = MixingRelay::new(Tone::new(440, 8_000, 3_000), Gain::db(-20.0));
    while let Some(Ok(message)) = ws.next().await {
        let Message::Text(text) = message else {
            continue;
        };
        let mut reply = String::with_capacity(320);
        match relay.on_text(text.as_str(), &mut reply) {
            Ok(Step::Reply) => {
                if ws.send(Message::text(reply)).await.is_err() {
                    break;
                }
                frames.fetch_add(1, Ordering::Relaxed);
            }
            Ok(Step::Nothing) => {}
            Ok(Step::Stopped) => break,
            Err(_) => {
                errors.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let http_addr = args.next().unwrap_or_else(|| "127.0.0.1:8080".into());
    let ws_addr = args.next().unwrap_or_else(|| "127.0.0.1:8081".into());
    let http = TcpListener::bind(&http_addr).await?;
    let ws = TcpListener::bind(&ws_addr).await?;
    let twiml = Arc::new(format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="ws://{}/media"><Parameter name="leg" value="customer"/></Stream></Connect></Response>"#,
        ws.local_addr()?
    ));
    eprintln!(
        "relay: webhook http://{}/voice, media ws://{}/media",
        http.local_addr()?,
        ws.local_addr()?
    );
    let frames = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let (f, e) = (frames.clone(), errors.clone());
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            ticker.tick().await;
            eprintln!(
                "relay: {} frames relayed, {} protocol errors",
                f.load(Ordering::Relaxed),
                e.load(Ordering::Relaxed)
            );
        }
    });
    tokio::spawn(async move {
        while let Ok((tcp, _)) = http.accept().await {
            let twiml = twiml.clone();
            tokio::spawn(async move {
                let _ = webhook(tcp, twiml).await;
            });
        }
    });
    while let Ok((tcp, _)) = ws.accept().await {
        tokio::spawn(stream(tcp, frames.clone(), errors.clone()));
    }
    Ok(())
}
