//! A fake Twilio Voice REST API (`cc-sim serve twilio`) for one account.
//!
//! Routes under `/2010-04-01/Accounts/{AccountSid}`: `POST Calls.json` creates an outbound
//! call, `GET|POST Calls/{CallSid}.json` fetches or updates one (`Status=completed` ends it,
//! `Twiml`/`Url` redirects it), `POST Calls/{CallSid}/Recordings.json` starts a recording.
//! Requests need HTTP Basic `AccountSid:AuthToken`; refusals carry Twilio's error JSON (see
//! [`errors`]). A created call is placed as Twilio places it ([`calls`]): the `Url` is fetched
//! with a signed POST, and the TwiML's `<Connect><Stream>` is followed with the caller's audio,
//! as `cc-sim call twilio` does; `StatusCallback` gets signed progress posts ([`progress`]). Queues,
//! conferences, `<Gather>` and the other TwiML verbs are not acted on.

pub mod calls;
pub mod errors;
pub mod progress;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use tokio::net::TcpListener;

use self::calls::CallEntry;
use self::errors::ApiError;
use crate::caller_audio::CallerAudio;
use crate::http::{self, Request, Response};

/// The account the fake serves.
#[derive(Debug, Clone)]
pub struct TwilioConfig {
    /// `AC…`.
    pub account_sid: String,
    /// Basic-auth password and the key that signs webhooks.
    pub auth_token: String,
    /// The callee's audio on each stream.
    pub audio: CallerAudio,
}

/// The fake's state, shared by its request handlers.
pub struct TwilioFake {
    config: TwilioConfig,
    http: reqwest::Client,
    calls: Mutex<HashMap<String, CallEntry>>,
}

impl TwilioFake {
    /// A fake with no calls.
    pub fn new(config: TwilioConfig) -> Arc<Self> {
        Arc::new(Self {
            config,
            http: reqwest::Client::new(),
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

    fn handle(self: Arc<Self>, request: Request) -> Response {
        match self.route(&request) {
            Ok((status, body)) => Response::json(status, &body),
            Err(e) => e.response(),
        }
    }

    fn route(self: &Arc<Self>, request: &Request) -> Result<(u16, serde_json::Value), ApiError> {
        self.authorize(request)?;
        let segments = request.segments();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        let ["2010-04-01", "Accounts", account, rest @ ..] = segments.as_slice() else {
            return Err(ApiError::NotFound);
        };
        if *account != self.config.account_sid {
            return Err(ApiError::NotFound);
        }
        let form = request.form();
        match (request.method.as_str(), rest) {
            ("POST", ["Calls.json"]) => self.create(&form).map(|c| (201, c)),
            ("GET", ["Calls", call]) => self.fetch(strip_json(call)?).map(|c| (200, c)),
            ("POST", ["Calls", call]) => self.update(strip_json(call)?, &form).map(|c| (200, c)),
            ("POST", ["Calls", call, "Recordings.json"]) => {
                self.record(call, &form).map(|r| (201, r))
            }
            _ => Err(ApiError::NotFound),
        }
    }

    fn authorize(&self, request: &Request) -> Result<(), ApiError> {
        let expected = BASE64.encode(format!(
            "{}:{}",
            self.config.account_sid, self.config.auth_token
        ));
        match request
            .header("authorization")
            .and_then(|v| v.strip_prefix("Basic "))
        {
            Some(given)
                if bool::from(subtle::ConstantTimeEq::ct_eq(
                    given.trim().as_bytes(),
                    expected.as_bytes(),
                )) =>
            {
                Ok(())
            }
            _ => Err(ApiError::Unauthorized),
        }
    }
}

fn strip_json(segment: &str) -> Result<&str, ApiError> {
    segment.strip_suffix(".json").ok_or(ApiError::NotFound)
}
