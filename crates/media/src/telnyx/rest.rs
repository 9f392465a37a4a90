//! Telnyx Call Control v2 REST client: answer, hang up, speak, gather, play, record,
//! transfer, bridge, stream, and dial.
//!
//! Commands are `POST {base}/calls/{call_control_id}/actions/{action}` with a bearer key; the
//! id is percent-encoded because it may contain `:`. The base URL is configurable so tests
//! and cc-sim can stand in for `https://api.telnyx.com/v2`. A command on a call that has
//! already ended (HTTP 422, error code `90018`) is reported as [`TelnyxRestError::CallEnded`],
//! which callers usually treat as success for hang-ups. A command carrying a `command_id`
//! is idempotent (Telnyx ignores repeats for the same call), so it is retried on transport
//! errors, 429 and 5xx with the client's [`RetryPolicy`]; commands without one, and `dial`,
//! fail on the first error.

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::commands::{
    Answer, Bridge, CommandOptions, Dial, GatherUsingSpeak, PlaybackStart, RecordStart, Speak,
    StreamingStart, Transfer,
};
use crate::http::{join, path_segment};
use crate::observe;
use crate::resilience::retry::{RetryPolicy, Verdict, retry_idempotent};

/// The `provider` label of this client's metrics.
const PROVIDER: &str = "telnyx";

/// Production API root.
pub const DEFAULT_BASE_URL: &str = "https://api.telnyx.com/v2";

/// One entry of Telnyx's `errors` array.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiErrorDetail {
    /// Error code, as a string (e.g. `"90018"`).
    pub code: String,
    /// Short title.
    #[serde(default)]
    pub title: String,
    /// Explanation.
    #[serde(default)]
    pub detail: String,
}

/// Why a command failed.
#[derive(Debug, Error)]
pub enum TelnyxRestError {
    /// The call is already over (422 / 90018).
    #[error("call has already ended")]
    CallEnded,
    /// Telnyx refused the request.
    #[error("Telnyx API error {status}: {errors:?}")]
    Api {
        /// HTTP status.
        status: u16,
        /// Telnyx's error list.
        errors: Vec<ApiErrorDetail>,
    },
    /// The request never got an answer (connection, timeout, TLS).
    #[error("Telnyx request failed: {0}")]
    Transport(#[from] reqwest::Error),
    /// The answer was not the documented JSON.
    #[error("unexpected Telnyx response: {0}")]
    Decode(String),
}

impl TelnyxRestError {
    /// The `outcome` label of this error in the request metrics.
    fn outcome(&self) -> &'static str {
        match self {
            Self::CallEnded => "client_error",
            Self::Api { status, .. } => observe::status_outcome(*status),
            Self::Transport(_) => "transport",
            Self::Decode(_) => "decode",
        }
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    errors: Vec<ApiErrorDetail>,
}

#[derive(Deserialize)]
struct DataEnvelope<T> {
    data: T,
}

/// The `data` of a successful command.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CommandResult {
    /// `ok`.
    pub result: String,
    /// Present on some commands (e.g. `answer` with `record`).
    pub recording_id: Option<String>,
}

/// The `data` of a successful dial.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DialedCall {
    /// Handle for later commands.
    pub call_control_id: String,
    /// The leg.
    pub call_leg_id: String,
    /// The session.
    pub call_session_id: String,
    /// Whether the call is live yet.
    #[serde(default)]
    pub is_alive: bool,
}

/// A Call Control client for one API key.
#[derive(Debug, Clone)]
pub struct TelnyxClient {
    http: reqwest::Client,
    base_url: String,
    api_key: String,
    retry: RetryPolicy,
}

/// Whether a failed idempotent command is worth repeating.
fn transient(error: &TelnyxRestError) -> Verdict {
    match error {
        TelnyxRestError::Transport(_) => Verdict::Retry,
        TelnyxRestError::Api { status, .. } if *status == 429 || *status >= 500 => Verdict::Retry,
        _ => Verdict::Fail,
    }
}

impl TelnyxClient {
    /// A client against the production API.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self {
            http: reqwest::Client::new(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_key: api_key.into(),
            retry: RetryPolicy::default(),
        }
    }

    /// How commands with a `command_id` are retried.
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Points the client at another API root (cc-sim, a regional endpoint).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Uses a preconfigured HTTP client (timeouts, connection pool).
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// Sends one attempt and records it (see [`observe`]).
    async fn post<B: Serialize, T: for<'de> Deserialize<'de>>(
        &self,
        operation: &'static str,
        path: &str,
        body: &B,
    ) -> Result<T, TelnyxRestError> {
        observe::timed(
            PROVIDER,
            operation,
            self.attempt(path, body),
            TelnyxRestError::outcome,
        )
        .await
    }

    async fn attempt<B: Serialize, T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, TelnyxRestError> {
        let response = self
            .http
            .post(join(&self.base_url, path))
            .bearer_auth(&self.api_key)
            .json(body)
            .send()
            .await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        if status.is_success() {
            let envelope: DataEnvelope<T> = serde_json::from_slice(&bytes)
                .map_err(|e| TelnyxRestError::Decode(e.to_string()))?;
            return Ok(envelope.data);
        }
        let errors = serde_json::from_slice::<ErrorBody>(&bytes)
            .map(|b| b.errors)
            .unwrap_or_default();
        if status.as_u16() == 422 && errors.iter().any(|e| e.code == "90018") {
            return Err(TelnyxRestError::CallEnded);
        }
        Err(TelnyxRestError::Api {
            status: status.as_u16(),
            errors,
        })
    }

    async fn action<B: Serialize>(
        &self,
        call_control_id: &str,
        action: &'static str,
        body: &B,
    ) -> Result<CommandResult, TelnyxRestError> {
        let path = format!("calls/{}/actions/{action}", path_segment(call_control_id));
        let body =
            serde_json::to_value(body).map_err(|e| TelnyxRestError::Decode(e.to_string()))?;
        if body.get("command_id").is_none_or(|id| id.is_null()) {
            return self.post(action, &path, &body).await;
        }
        let mut rng = StdRng::from_entropy();
        retry_idempotent(&self.retry, &mut rng, tokio::time::sleep, transient, |n| {
            observe::attempt(PROVIDER, action, n);
            self.post(action, &path, &body)
        })
        .await
    }

    /// Answers an incoming call.
    pub async fn answer(
        &self,
        call_control_id: &str,
        body: &Answer,
    ) -> Result<CommandResult, TelnyxRestError> {
        self.action(call_control_id, "answer", body).await
    }

    /// Hangs up.
    pub async fn hangup(
        &self,
        call_control_id: &str,
        options: &CommandOptions,
    ) -> Result<CommandResult, TelnyxRestError> {
        self.action(call_control_id, "hangup", options).await
    }

    /// Speaks text.
    pub async fn speak(
        &self,
        call_control_id: &str,
        body: &Speak,
    ) -> Result<CommandResult, TelnyxRestError> {
        self.action(call_control_id, "speak", body).await
    }

    /// Speaks a prompt and gathers digits.
    pub async fn gather_using_speak(
        &self,
        call_control_id: &str,
        body: &GatherUsingSpeak,
    ) -> Result<CommandResult, TelnyxRestError> {
        self.action(call_control_id, "gather_using_speak", body)
            .await
    }

    /// Starts playing audio.
    pub async fn playback_start(
        &self,
        call_control_id: &str,
        body: &PlaybackStart,
    ) -> Result<CommandResult, TelnyxRestError> {
        self.action(call_control_id, "playback_start", body).await
    }

    /// Stops playback.
    pub async fn playback_stop(
        &self,
        call_control_id: &str,
        options: &CommandOptions,
    ) -> Result<CommandResult, TelnyxRestError> {
        self.action(call_control_id, "playback_stop", options).await
    }

    /// Starts recording.
    pub async fn record_start(
        &self,
        call_control_id: &str,
        body: &RecordStart,
    ) -> Result<CommandResult, TelnyxRestError> {
        self.action(call_control_id, "record_start", body).await
    }

    /// Stops recording.
    pub async fn record_stop(
        &self,
        call_control_id: &str,
        options: &CommandOptions,
    ) -> Result<CommandResult, TelnyxRestError> {
        self.action(call_control_id, "record_stop", options).await
    }

    /// Transfers the call.
    pub async fn transfer(
        &self,
        call_control_id: &str,
        body: &Transfer,
    ) -> Result<CommandResult, TelnyxRestError> {
        self.action(call_control_id, "transfer", body).await
    }

    /// Bridges this leg with another.
    pub async fn bridge(
        &self,
        call_control_id: &str,
        body: &Bridge,
    ) -> Result<CommandResult, TelnyxRestError> {
        self.action(call_control_id, "bridge", body).await
    }

    /// Starts media streaming.
    pub async fn streaming_start(
        &self,
        call_control_id: &str,
        body: &StreamingStart,
    ) -> Result<CommandResult, TelnyxRestError> {
        self.action(call_control_id, "streaming_start", body).await
    }

    /// Stops media streaming.
    pub async fn streaming_stop(
        &self,
        call_control_id: &str,
        options: &CommandOptions,
    ) -> Result<CommandResult, TelnyxRestError> {
        self.action(call_control_id, "streaming_stop", options)
            .await
    }

    /// Places an outbound call.
    pub async fn dial(&self, body: &Dial) -> Result<DialedCall, TelnyxRestError> {
        self.post("dial", "calls", body).await
    }
}

#[cfg(test)]
#[path = "rest_tests.rs"]
mod tests;
