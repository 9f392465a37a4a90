//! A fake Telnyx Call Control v2 API (`cc-sim serve telnyx`, and the carrier side of
//! `cc-sim call telnyx`).
//!
//! REST under `/v2`: `POST /v2/calls` dials (the far end answers at once) and
//! `POST /v2/calls/{call_control_id}/actions/{action}` runs a command, answering
//! `{"data":{"result":"ok"}}` or Telnyx's error envelope (see [`errors`]). Every request needs
//! `Authorization: Bearer <key>` (any key, or exactly `api_key` when one is configured).
//! Commands post the webhooks Telnyx would (`call.answered`, `call.speak.ended`,
//! `streaming.started`, `call.hangup`, …), signed with Ed25519, to the configured webhook URL
//! (or a dial's `webhook_url`); `streaming_start` opens the media WebSocket to `stream_url` and
//! streams the caller's audio in real time ([`stream`]). It does not model billing, SIP,
//! conferences, queues or the other Call Control resources.

pub mod actions;
pub mod calls;
pub mod errors;
pub mod gather;
pub mod stream;
pub mod webhooks;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cc_media::telnyx::signature::WebhookSigner;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::watch;

use self::actions::{object, required};
use self::calls::{CallRecord, Outcome};
use self::errors::ApiError;
use self::webhooks::WebhookSender;
use crate::caller_audio::CallerAudio;
use crate::http::{self, Request, Response};

/// How the fake behaves.
#[derive(Debug, Clone)]
pub struct TelnyxConfig {
    /// The only bearer key accepted; any non-empty key when `None`.
    pub api_key: Option<String>,
    /// Where webhooks go (a dial's `webhook_url` overrides it).
    pub webhook_url: Option<String>,
    /// Signs webhooks.
    pub signer: WebhookSigner,
    /// The caller's audio on each stream.
    pub audio: CallerAudio,
}

/// The fake's state, shared by its request handlers.
pub struct TelnyxFake {
    config: TelnyxConfig,
    webhooks: WebhookSender,
    calls: Mutex<HashMap<String, CallRecord>>,
}

impl TelnyxFake {
    /// A fake with no calls.
    pub fn new(config: TelnyxConfig) -> Arc<Self> {
        Arc::new(Self {
            webhooks: WebhookSender::new(config.signer.clone()),
            config,
            calls: Mutex::new(HashMap::new()),
        })
    }

    /// Serves the REST API on `listener` until the task is dropped.
    pub async fn serve(self: Arc<Self>, listener: TcpListener) {
        http::serve(listener, move |request| {
            let fake = self.clone();
            async move { fake.handle(request) }
        })
        .await
    }

    /// An incoming call from `from` to `to`: posts `call.initiated` and returns its id and a
    /// watch on its outcome. `None` when no webhook URL is configured.
    pub fn ring(&self, from: &str, to: &str) -> Option<(String, watch::Receiver<Outcome>)> {
        let url = self.config.webhook_url.clone()?;
        let call = CallRecord::new(
            "incoming",
            from.to_owned(),
            to.to_owned(),
            "cc-sim-connection".to_owned(),
            self.webhooks.queue(url),
        );
        let id = call.call_control_id.clone();
        let outcome = call.subscribe();
        // Registered before the app hears of it, so its first command finds the call.
        let mut calls = self.calls.lock().ok()?;
        call.hook(
            "call.initiated",
            "parked",
            json!({"caller_id_name": "cc-sim"}),
        );
        calls.insert(id.clone(), call);
        Some((id, outcome))
    }

    /// Forgets every call and waits (briefly) until their queued webhooks are delivered, so
    /// a run can exit without losing the last `call.hangup`s.
    pub async fn close(&self) {
        if let Ok(mut calls) = self.calls.lock() {
            for (_, call) in calls.drain() {
                call.abandon();
            }
        }
        self.webhooks.drain(std::time::Duration::from_secs(5)).await;
    }

    fn handle(self: Arc<Self>, request: Request) -> Response {
        match self.route(&request) {
            Ok(data) => Response::json(200, &json!({ "data": data })),
            Err(e) => e.response(),
        }
    }

    fn route(self: &Arc<Self>, request: &Request) -> Result<serde_json::Value, ApiError> {
        self.authorize(request)?;
        let segments = request.segments();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        match (request.method.as_str(), segments.as_slice()) {
            ("POST", ["v2", "calls"]) => self.dial(&request.body),
            ("POST", ["v2", "calls", id, "actions", action]) => {
                let body = actions::parse(action, &request.body)?;
                self.apply(id, body)
            }
            _ => Err(ApiError::NotFound(format!(
                "{} {} is not a Call Control route.",
                request.method, request.path
            ))),
        }
    }

    fn authorize(&self, request: &Request) -> Result<(), ApiError> {
        let key = request
            .header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or(ApiError::Unauthorized)?;
        match &self.config.api_key {
            Some(expected) if expected != key => Err(ApiError::Unauthorized),
            _ => Ok(()),
        }
    }

    fn dial(self: &Arc<Self>, body: &[u8]) -> Result<serde_json::Value, ApiError> {
        let body = object(body)?;
        let connection_id = required(&body, "connection_id")?.to_owned();
        let to = required(&body, "to")?.to_owned();
        let from = required(&body, "from")?.to_owned();
        let url = match body.get("webhook_url").and_then(|v| v.as_str()) {
            Some(url) => url.to_owned(),
            None => self
                .config
                .webhook_url
                .clone()
                .ok_or(ApiError::Missing("webhook_url"))?,
        };
        let stream = actions::parse("answer", &serde_json::to_vec(&body).unwrap_or_default())?;
        let call = CallRecord::new(
            "outgoing",
            from,
            to,
            connection_id,
            self.webhooks.queue(url),
        );
        let data = call.dialed();
        let id = call.call_control_id.clone();
        {
            let mut calls = self.calls.lock().map_err(|_| ApiError::CallEnded)?;
            call.hook("call.initiated", "bridging", json!({}));
            calls.insert(id.clone(), call);
        }
        // The far end picks up at once; `answer`'s stream options start the stream.
        self.apply(&id, stream)?;
        Ok(data)
    }
}
