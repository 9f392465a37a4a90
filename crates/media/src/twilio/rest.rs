//! Twilio Voice REST client: create, fetch, redirect and end calls, and start call recordings.
//!
//! Requests go to `{base}/2010-04-01/Accounts/{AccountSid}/...` as form posts with HTTP Basic
//! auth (`AccountSid:AuthToken`). The base URL is configurable so tests and cc-sim can stand
//! in for `https://api.twilio.com` (or a regional host). A call that no longer exists (HTTP
//! 404, code 20404) is reported as [`TwilioRestError::NotFound`]; for hang-ups that usually
//! means the job is already done. Reading a call and hanging up are idempotent and are
//! retried on transport errors, 429 and 5xx with the client's [`RetryPolicy`] (exponential
//! backoff with jitter); creating a call, redirecting it and starting a recording are not,
//! and fail on the first error.

use std::future::Future;

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::Deserialize;
use thiserror::Error;

use crate::http::{join, path_segment};
use crate::observe;
use crate::resilience::retry::{RetryPolicy, Verdict, retry_idempotent};

/// The `provider` label of this client's metrics.
const PROVIDER: &str = "twilio";

/// Production API root.
pub const DEFAULT_BASE_URL: &str = "https://api.twilio.com";

/// Why a request failed.
#[derive(Debug, Error)]
pub enum TwilioRestError {
    /// The call (or account) does not exist any more (404 / 20404).
    #[error("Twilio resource not found")]
    NotFound,
    /// Twilio refused the request.
    #[error("Twilio API error {status} (code {code:?}): {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// Twilio error code, e.g. 21211 for an invalid `To`.
        code: Option<u32>,
        /// Twilio's message.
        message: String,
    },
    /// The request never got an answer.
    #[error("Twilio request failed: {0}")]
    Transport(#[from] reqwest::Error),
    /// The answer was not the documented JSON.
    #[error("unexpected Twilio response: {0}")]
    Decode(String),
}

impl TwilioRestError {
    /// The `outcome` label of this error in the request metrics.
    fn outcome(&self) -> &'static str {
        match self {
            Self::NotFound => "client_error",
            Self::Api { status, .. } => observe::status_outcome(*status),
            Self::Transport(_) => "transport",
            Self::Decode(_) => "decode",
        }
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    code: Option<u32>,
    #[serde(default)]
    message: String,
}

/// A call as Twilio returns it (the fields the voice path uses).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CallResource {
    /// `CA…`.
    pub sid: String,
    /// `queued`, `ringing`, `in-progress`, `completed`, ...
    pub status: String,
    /// Called party.
    #[serde(default)]
    pub to: Option<String>,
    /// Caller.
    #[serde(default)]
    pub from: Option<String>,
    /// `inbound`, `outbound-api`, ...
    #[serde(default)]
    pub direction: Option<String>,
}

/// A recording as Twilio returns it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RecordingResource {
    /// `RE…`.
    pub sid: String,
    /// The recorded call.
    #[serde(default)]
    pub call_sid: Option<String>,
    /// `in-progress`, `completed`, ...
    pub status: String,
}

/// What Twilio should do when the new call connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallInstructions {
    /// Fetch TwiML from this URL.
    Url(String),
    /// Run this TwiML document.
    Twiml(String),
}

/// An outbound call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateCall {
    /// Destination, E.164.
    pub to: String,
    /// Our number, E.164.
    pub from: String,
    /// What to run on answer.
    pub instructions: CallInstructions,
    /// Where Twilio posts call status changes.
    pub status_callback: Option<String>,
    /// Which changes to post (`StatusCallbackEvent`, one form field each); Twilio posts only
    /// `completed` when this is empty.
    pub status_callback_events: Vec<CallProgress>,
}

/// A call progress event a status callback can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallProgress {
    /// The call was created and is being dialled.
    Initiated,
    /// The far end is ringing.
    Ringing,
    /// The far end answered (`CallStatus=in-progress`).
    Answered,
    /// The call ended.
    Completed,
}

impl CallProgress {
    /// The `StatusCallbackEvent` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initiated => "initiated",
            Self::Ringing => "ringing",
            Self::Answered => "answered",
            Self::Completed => "completed",
        }
    }
}

/// Options for recording a live call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartRecording {
    /// `mono` or `dual` (one party per channel).
    pub channels: Option<String>,
    /// `inbound`, `outbound` or `both`.
    pub track: Option<String>,
    /// Where Twilio posts when the file is ready.
    pub status_callback: Option<String>,
}

/// A REST client for one Twilio account.
#[derive(Debug, Clone)]
pub struct TwilioClient {
    http: reqwest::Client,
    base_url: String,
    account_sid: String,
    auth_token: String,
    retry: RetryPolicy,
}

/// Whether a failed idempotent request is worth repeating.
fn transient(error: &TwilioRestError) -> Verdict {
    match error {
        TwilioRestError::Transport(_) => Verdict::Retry,
        TwilioRestError::Api { status, .. } if *status == 429 || *status >= 500 => Verdict::Retry,
        _ => Verdict::Fail,
    }
}

impl TwilioClient {
    /// A client against the production API.
    pub fn new(account_sid: impl Into<String>, auth_token: impl Into<String>) -> Self {
        Self {
            http: reqwest::Client::new(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            account_sid: account_sid.into(),
            auth_token: auth_token.into(),
            retry: RetryPolicy::default(),
        }
    }

    /// How idempotent requests (fetch, hang-up) are retried.
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    async fn idempotent<T, Op, Fut>(
        &self,
        operation: &'static str,
        mut op: Op,
    ) -> Result<T, TwilioRestError>
    where
        Op: FnMut() -> Fut,
        Fut: Future<Output = Result<T, TwilioRestError>>,
    {
        let mut rng = StdRng::from_entropy();
        let attempt = |n| {
            observe::attempt(PROVIDER, operation, n);
            op()
        };
        retry_idempotent(
            &self.retry,
            &mut rng,
            tokio::time::sleep,
            transient,
            attempt,
        )
        .await
    }

    /// Points the client at another API root (cc-sim, a regional edge).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Uses a preconfigured HTTP client (timeouts, connection pool).
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    fn url(&self, tail: &str) -> String {
        join(
            &self.base_url,
            &format!(
                "2010-04-01/Accounts/{}/{tail}",
                path_segment(&self.account_sid)
            ),
        )
    }

    async fn post<T: for<'de> Deserialize<'de>>(
        &self,
        operation: &'static str,
        tail: &str,
        form: &[(&str, &str)],
    ) -> Result<T, TwilioRestError> {
        self.send(operation, self.http.post(self.url(tail)).form(form))
            .await
    }

    /// Sends one attempt and records it (see [`observe`]).
    async fn send<T: for<'de> Deserialize<'de>>(
        &self,
        operation: &'static str,
        request: reqwest::RequestBuilder,
    ) -> Result<T, TwilioRestError> {
        observe::timed(
            PROVIDER,
            operation,
            self.attempt(request),
            TwilioRestError::outcome,
        )
        .await
    }

    async fn attempt<T: for<'de> Deserialize<'de>>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, TwilioRestError> {
        let response = request
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .send()
            .await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        if status.is_success() {
            return serde_json::from_slice(&bytes)
                .map_err(|e| TwilioRestError::Decode(e.to_string()));
        }
        let body = serde_json::from_slice::<ErrorBody>(&bytes).ok();
        if status.as_u16() == 404 {
            return Err(TwilioRestError::NotFound);
        }
        Err(TwilioRestError::Api {
            status: status.as_u16(),
            code: body.as_ref().and_then(|b| b.code),
            message: body.map(|b| b.message).unwrap_or_default(),
        })
    }

    /// Reads a call's current state.
    pub async fn fetch_call(&self, call_sid: &str) -> Result<CallResource, TwilioRestError> {
        let url = self.url(&format!("Calls/{}.json", path_segment(call_sid)));
        self.idempotent("fetch_call", || {
            self.send("fetch_call", self.http.get(&url))
        })
        .await
    }

    /// Places an outbound call.
    pub async fn create_call(&self, call: &CreateCall) -> Result<CallResource, TwilioRestError> {
        let mut form = vec![("To", call.to.as_str()), ("From", call.from.as_str())];
        match &call.instructions {
            CallInstructions::Url(url) => form.push(("Url", url)),
            CallInstructions::Twiml(twiml) => form.push(("Twiml", twiml)),
        }
        if let Some(cb) = &call.status_callback {
            form.push(("StatusCallback", cb));
        }
        for event in &call.status_callback_events {
            form.push(("StatusCallbackEvent", event.as_str()));
        }
        self.post("create_call", "Calls.json", &form).await
    }

    /// Replaces what a live call is doing with new TwiML (e.g. move it to a queue).
    pub async fn update_call_twiml(
        &self,
        call_sid: &str,
        twiml: &str,
    ) -> Result<CallResource, TwilioRestError> {
        self.post(
            "update_call",
            &format!("Calls/{}.json", path_segment(call_sid)),
            &[("Twiml", twiml)],
        )
        .await
    }

    /// Ends a call (`Status=completed`).
    pub async fn hangup(&self, call_sid: &str) -> Result<CallResource, TwilioRestError> {
        let tail = format!("Calls/{}.json", path_segment(call_sid));
        self.idempotent("hangup", || {
            self.post("hangup", &tail, &[("Status", "completed")])
        })
        .await
    }

    /// Starts recording a live call.
    pub async fn start_recording(
        &self,
        call_sid: &str,
        options: &StartRecording,
    ) -> Result<RecordingResource, TwilioRestError> {
        let mut form = Vec::new();
        if let Some(v) = &options.channels {
            form.push(("RecordingChannels", v.as_str()));
        }
        if let Some(v) = &options.track {
            form.push(("RecordingTrack", v.as_str()));
        }
        if let Some(v) = &options.status_callback {
            form.push(("RecordingStatusCallback", v.as_str()));
        }
        self.post(
            "start_recording",
            &format!("Calls/{}/Recordings.json", path_segment(call_sid)),
            &form,
        )
        .await
    }
}

#[cfg(test)]
#[path = "rest_tests.rs"]
mod tests;
