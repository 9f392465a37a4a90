//! Signed webhook delivery, as Telnyx does it: a JSON `{data, meta}` envelope POSTed to the
//! app with `telnyx-signature-ed25519` over `timestamp|body` and `telnyx-timestamp`. Each call
//! has one ordered queue, so an app sees `call.initiated` before `call.answered` even when it
//! answers from inside its `call.initiated` handler (delivery does not wait for commands).

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cc_media::telnyx::signature::{SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookSigner};
use rand::Rng;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::clock::rfc3339_now;

/// Where and how webhooks are sent.
#[derive(Debug, Clone)]
pub struct WebhookSender {
    http: reqwest::Client,
    signer: WebhookSigner,
    deliveries: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

/// One call's ordered queue of `(event_type, payload)`.
pub type HookQueue = mpsc::UnboundedSender<(&'static str, Value)>;

impl WebhookSender {
    /// A sender signing with `signer`.
    pub fn new(signer: WebhookSigner) -> Self {
        Self {
            http: reqwest::Client::new(),
            signer,
            deliveries: Arc::default(),
        }
    }

    /// Starts an ordered delivery queue to `url`; failures are logged (Telnyx would retry).
    pub fn queue(&self, url: String) -> HookQueue {
        let (tx, mut rx) = mpsc::unbounded_channel::<(&'static str, Value)>();
        let sender = self.clone();
        let delivery = tokio::spawn(async move {
            while let Some((event_type, payload)) = rx.recv().await {
                if let Err(e) = sender.send(&url, event_type, payload).await {
                    tracing::warn!(error = %e, event_type, "webhook delivery failed");
                }
            }
        });
        if let Ok(mut deliveries) = self.deliveries.lock() {
            deliveries.retain(|d| !d.is_finished());
            deliveries.push(delivery);
        }
        tx
    }

    /// Waits (up to `limit`) for every queue whose calls are gone to deliver what it holds.
    pub async fn drain(&self, limit: Duration) {
        let deliveries = match self.deliveries.lock() {
            Ok(mut d) => std::mem::take(&mut *d),
            Err(_) => return,
        };
        let all = futures_util::future::join_all(deliveries);
        tokio::time::timeout(limit, all).await.ok();
    }

    /// Posts one signed event to `url`.
    pub async fn send(&self, url: &str, event_type: &str, payload: Value) -> Result<(), String> {
        let body = json!({
            "data": {"record_type": "event", "event_type": event_type, "id": event_id(),
                     "occurred_at": rfc3339_now(), "payload": payload},
            "meta": {"attempt": 1, "delivered_to": url}
        })
        .to_string();
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default();
        let response = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header(
                SIGNATURE_HEADER,
                self.signer.sign(timestamp, body.as_bytes()),
            )
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .body(body)
            .send()
            .await
            .map_err(|e| format!("webhook {event_type}: {e}"))?;
        if !response.status().is_success() {
            return Err(format!(
                "webhook {event_type} answered {}",
                response.status()
            ));
        }
        Ok(())
    }
}

/// A random UUID-shaped event id.
pub fn event_id() -> String {
    let mut rng = rand::thread_rng();
    let hex: String = (0..32)
        .map(|_| char::from_digit(rng.gen_range(0..16), 16).unwrap_or('0'))
        .collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}
