//! A small Telnyx Call Control app for the tests: it verifies each webhook with cc-media's
//! verifier, answers `call.initiated` with `answer` + `streaming_start` through cc-media's
//! Telnyx client, records the events per call, and echoes stream audio back (with a mark
//! after every tenth frame).

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use cc_media::telnyx::commands::{Answer, GatherUsingSpeak, StreamOptions, StreamingStart};
use cc_media::telnyx::rest::TelnyxClient;
use cc_media::telnyx::signature::WebhookVerifier;
use cc_media::telnyx::stream::{TelnyxAppMessage, TelnyxStreamEvent};
use cc_media::telnyx::webhook::{CallEvent, Webhook};
use cc_sim::http::{Request, Response};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

/// RFC 8032 test-1 seed, base64.
pub const SEED_B64: &str = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
/// Its public key.
pub const PUBLIC_B64: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

/// What the app saw.
#[derive(Default)]
pub struct Seen {
    /// Event types per call, in arrival order.
    pub events: HashMap<String, Vec<String>>,
    /// Webhooks whose signature did not verify.
    pub rejected: usize,
    /// Commands the API refused.
    pub command_errors: Vec<String>,
    /// Stream protocol problems.
    pub stream_errors: Vec<String>,
    /// Keys that arrived as stream `dtmf` messages, in order.
    pub stream_keys: String,
    /// `call.dtmf.received` digits, in order.
    pub webhook_keys: String,
    /// (digits, status) of each `call.gather.ended`.
    pub gathers: Vec<(String, String)>,
}

/// A running app.
pub struct App {
    /// Where webhooks go.
    pub webhook_url: String,
    /// Its media WebSocket.
    pub stream_url: String,
    /// What it saw.
    pub seen: Arc<Mutex<Seen>>,
}

impl App {
    /// Waits until `calls` calls have seen `event_type`, or panics at the deadline.
    pub async fn wait_for(&self, event_type: &str, calls: usize) {
        let what = format!("{calls} calls to see {event_type}");
        crate::common::until(&what, || {
            let seen = self.seen.lock().unwrap();
            let count = seen
                .events
                .values()
                .filter(|e| e.iter().any(|t| t == event_type));
            count.count() >= calls
        })
        .await;
    }
}

/// Starts the app; it commands the Call Control API at `api_base` (`http://…/v2`).
/// With `answer` false it only records events.
pub async fn start(api_base: String, answer: bool) -> App {
    start_with(api_base, answer, false).await
}

/// Like [`start`], and after starting the stream it asks for digits (`gather_using_speak`).
pub async fn start_gathering(api_base: String) -> App {
    start_with(api_base, true, true).await
}

async fn start_with(api_base: String, answer: bool, gather: bool) -> App {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let stream_url = echo_media(seen.clone()).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let webhook_url = format!("http://{}/telnyx/webhook", listener.local_addr().unwrap());
    let verifier = Arc::new(Mutex::new(WebhookVerifier::new(PUBLIC_B64).unwrap()));
    let client = TelnyxClient::new("KEY-test").with_base_url(api_base);
    let app_seen = seen.clone();
    let app_stream_url = stream_url.clone();
    tokio::spawn(cc_sim::http::serve(listener, move |request: Request| {
        let (seen, verifier, client, stream_url) = (
            app_seen.clone(),
            verifier.clone(),
            client.clone(),
            app_stream_url.clone(),
        );
        let mode = Mode { answer, gather };
        async move { webhook(request, seen, verifier, client, stream_url, mode).await }
    }));
    App {
        webhook_url,
        stream_url,
        seen,
    }
}

/// What the app does with a new call.
#[derive(Clone, Copy)]
struct Mode {
    answer: bool,
    gather: bool,
}

async fn webhook(
    request: Request,
    seen: Arc<Mutex<Seen>>,
    verifier: Arc<Mutex<WebhookVerifier>>,
    client: TelnyxClient,
    stream_url: String,
    mode: Mode,
) -> Response {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let verified = verifier
        .lock()
        .unwrap()
        .verify_headers(&request.headers, &request.body, now);
    if verified.is_err() {
        seen.lock().unwrap().rejected += 1;
        return Response::json(403, &json!({}));
    }
    let hook = Webhook::parse(&request.body).unwrap();
    let event = hook.event().unwrap();
    let id = hook.data.payload["call_control_id"]
        .as_str()
        .unwrap_or("?")
        .to_owned();
    seen.lock()
        .unwrap()
        .events
        .entry(id.clone())
        .or_default()
        .push(hook.data.event_type.clone());
    match &event {
        CallEvent::DtmfReceived(d) => seen.lock().unwrap().webhook_keys.push_str(&d.digit),
        CallEvent::GatherEnded(g) => {
            let ended = (g.digits.clone(), g.status.clone());
            seen.lock().unwrap().gathers.push(ended);
        }
        _ => {}
    }
    if let (CallEvent::Initiated(_), true) = (event, mode.answer) {
        let answered = client.answer(&id, &Answer::default()).await;
        let streaming = client
            .streaming_start(
                &id,
                &StreamingStart {
                    stream: StreamOptions {
                        stream_url: Some(stream_url),
                        ..StreamOptions::default()
                    },
                    ..StreamingStart::default()
                },
            )
            .await;
        let gathering = match mode.gather {
            true => client
                .gather_using_speak(&id, &pin_prompt())
                .await
                .map(|_| ()),
            false => Ok(()),
        };
        for result in [answered.map(|_| ()), streaming.map(|_| ()), gathering] {
            if let Err(e) = result {
                seen.lock().unwrap().command_errors.push(e.to_string());
            }
        }
    }
    Response::json(200, &json!({}))
}

fn pin_prompt() -> GatherUsingSpeak {
    GatherUsingSpeak {
        payload: "Enter your PIN, then press hash.".into(),
        voice: "female".into(),
        language: None,
        minimum_digits: Some(2),
        maximum_digits: Some(8),
        terminating_digit: None,
        timeout_millis: None,
        options: Default::default(),
    }
}

async fn echo_media(seen: Arc<Mutex<Seen>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/media", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
                let mut started = false;
                while let Some(Ok(Message::Text(text))) = ws.next().await {
                    let reply = match TelnyxStreamEvent::parse(text.as_str()) {
                        Ok(TelnyxStreamEvent::Start { start, .. }) => {
                            started = start.media_format.encoding == "PCMU";
                            continue;
                        }
                        Ok(TelnyxStreamEvent::Media { media, .. }) if started => {
                            let mut replies =
                                vec![TelnyxAppMessage::media(&media.audio().unwrap())];
                            if media.chunk.get() % 10 == 0 {
                                replies.push(serde_json::from_value(json!({"event":"mark","mark":{"name":format!("m{}", media.chunk)}})).unwrap());
                            }
                            replies
                        }
                        Ok(TelnyxStreamEvent::Dtmf { dtmf, .. }) => {
                            seen.lock().unwrap().stream_keys.push_str(&dtmf.digit);
                            continue;
                        }
                        Ok(TelnyxStreamEvent::Stop { .. }) => break,
                        Ok(
                            TelnyxStreamEvent::Connected { .. } | TelnyxStreamEvent::Mark { .. },
                        ) => continue,
                        other => {
                            seen.lock()
                                .unwrap()
                                .stream_errors
                                .push(format!("{other:?}"));
                            continue;
                        }
                    };
                    for message in reply {
                        ws.send(Message::text(message.to_json())).await.unwrap();
                    }
                }
            });
        }
    });
    url
}
