//! A minimal Telnyx Call Control app for measuring `cc-sim call telnyx`: it verifies each
//! webhook with cc-media's verifier, answers `call.initiated` with `answer` and
//! `streaming_start` through cc-media's Telnyx client, and echoes the media stream back.
//!
//! ```text
//! cargo run -p cc-sim --example telnyx_echo -- 127.0.0.1:18090 127.0.0.1:18092 \
//!     http://127.0.0.1:18091/v2 PUBLIC_KEY_B64 &
//! cc-sim call telnyx --webhook-url http://127.0.0.1:18090/webhook --signing-key-b64 SEED \
//!     --api-listen 127.0.0.1:18091 --calls 10 --seconds 5
//! ```

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use cc_media::telnyx::commands::{Answer, StreamOptions, StreamingStart};
use cc_media::telnyx::rest::TelnyxClient;
use cc_media::telnyx::signature::WebhookVerifier;
use cc_media::telnyx::stream::{TelnyxAppMessage, TelnyxStreamEvent};
use cc_media::telnyx::webhook::{CallEvent, Webhook};
use cc_sim::http::{Request, Response};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, listen, media, api_base, public_key] = args.as_slice() else {
        anyhow::bail!("usage: telnyx_echo WEBHOOK_ADDR MEDIA_ADDR API_BASE_URL PUBLIC_KEY_B64");
    };
    let addr: SocketAddr = listen.parse()?;
    let media_addr: SocketAddr = media.parse()?;
    let stream_url = format!("ws://{media_addr}/media");
    tokio::spawn(echo(TcpListener::bind(media_addr).await?));
    let verifier = Arc::new(Mutex::new(WebhookVerifier::new(public_key)?));
    let client = TelnyxClient::new("KEY-echo").with_base_url(api_base.clone());
    eprintln!("webhooks on http://{addr}/webhook, media on {stream_url}");
    cc_sim::http::serve(TcpListener::bind(addr).await?, move |request: Request| {
        let (verifier, client, stream_url) = (verifier.clone(), client.clone(), stream_url.clone());
        async move { webhook(request, verifier, client, stream_url).await }
    })
    .await;
    Ok(())
}

async fn webhook(
    request: Request,
    verifier: Arc<Mutex<WebhookVerifier>>,
    client: TelnyxClient,
    stream_url: String,
) -> Response {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let verified = verifier
        .lock()
        .map(|mut v| {
            v.verify_headers(&request.headers, &request.body, now)
                .is_ok()
        })
        .unwrap_or(false);
    if !verified {
        return Response::json(403, &json!({"error": "bad signature"}));
    }
    let Ok(hook) = Webhook::parse(&request.body) else {
        return Response::json(400, &json!({"error": "not a webhook"}));
    };
    if let Ok(CallEvent::Initiated(call)) = hook.event() {
        let id = call.ids.call_control_id.unwrap_or_default();
        let stream = StreamingStart {
            stream: StreamOptions {
                stream_url: Some(stream_url),
                ..StreamOptions::default()
            },
            ..StreamingStart::default()
        };
        if let Err(e) = client.answer(&id, &Answer::default()).await {
            eprintln!("answer {id}: {e}");
        } else if let Err(e) = client.streaming_start(&id, &stream).await {
            eprintln!("streaming_start {id}: {e}");
        }
    }
    Response::json(200, &json!({}))
}

async fn echo(listener: TcpListener) {
    while let Ok((tcp, _)) = listener.accept().await {
        tcp.set_nodelay(true).ok();
        tokio::spawn(async move {
            let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else {
                return;
            };
            while let Some(Ok(Message::Text(text))) = ws.next().await {
                match TelnyxStreamEvent::parse(text.as_str()) {
                    Ok(TelnyxStreamEvent::Media { media, .. }) => {
                        let Ok(audio) = media.audio() else { continue };
                        let reply = TelnyxAppMessage::media(&audio).to_json();
                        if ws.send(Message::text(reply)).await.is_err() {
                            break;
                        }
                    }
                    Ok(TelnyxStreamEvent::Stop { .. }) => break,
                    _ => {}
                }
            }
        });
    }
}
