//! Calls of the fake Twilio: their resource JSON and lifecycle (`queued` → `in-progress` →
//! `completed`), and placing them: fetch the TwiML (a signed POST to `Url`, or the `Twiml`
//! parameter), follow `<Connect><Stream>` with the callee's audio, then complete; progress
//! goes to the `StatusCallback` ([`super::progress`]). A redirect replaces the running instructions; `Status=completed`
//! stops them.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::task::JoinHandle;

use super::TwilioFake;
use super::errors::ApiError;
use super::progress::{Progress, requested};
use crate::summary::sid;
use crate::twilio_call::{signed_post, stream_call};
use crate::twiml_scan::connect_stream;

/// What a call runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instructions {
    /// Fetch TwiML from this URL.
    Url(String),
    /// This TwiML.
    Twiml(String),
}

/// One call and what it is doing.
pub struct CallEntry {
    sid: String,
    to: String,
    from: String,
    status: &'static str,
    progress: Progress,
    task: Option<JoinHandle<()>>,
}

fn param<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

fn instructions(form: &[(String, String)]) -> Option<Instructions> {
    param(form, "Twiml")
        .map(|t| Instructions::Twiml(t.to_owned()))
        .or_else(|| param(form, "Url").map(|u| Instructions::Url(u.to_owned())))
}

impl TwilioFake {
    fn resource(&self, call: &CallEntry) -> Value {
        let uri = format!(
            "/2010-04-01/Accounts/{}/Calls/{}",
            self.config.account_sid, call.sid
        );
        json!({"sid": call.sid, "account_sid": self.config.account_sid, "to": call.to,
               "from": call.from, "status": call.status, "direction": "outbound-api",
               "api_version": "2010-04-01", "price": null, "uri": format!("{uri}.json"),
               "subresource_uris": {"recordings": format!("{uri}/Recordings.json")}})
    }

    pub(super) fn create(self: &Arc<Self>, form: &[(String, String)]) -> Result<Value, ApiError> {
        let to = param(form, "To").ok_or(ApiError::Missing {
            code: 21201,
            message: "No 'To' number is specified",
        })?;
        let from = param(form, "From").ok_or(ApiError::Missing {
            code: 21213,
            message: "No 'From' number is specified",
        })?;
        let run = instructions(form).ok_or(ApiError::Missing {
            code: 21205,
            message: "Url or Twiml parameter is required",
        })?;
        let progress = Progress::new(
            param(form, "StatusCallback").map(str::to_owned),
            requested(form)?,
            self.http.clone(),
            self.config.auth_token.clone(),
        );
        let mut call = CallEntry {
            sid: sid("CA"),
            to: to.to_owned(),
            from: from.to_owned(),
            status: "queued",
            progress,
            task: None,
        };
        let body = self.resource(&call);
        call.progress
            .reached("initiated", self.webhook_params(&call));
        // Registered before its task starts, so the task always finds it.
        let mut calls = self.calls.lock().map_err(|_| ApiError::NotFound)?;
        call.task = Some(self.spawn_run(call.sid.clone(), run));
        calls.insert(call.sid.clone(), call);
        Ok(body)
    }

    pub(super) fn fetch(&self, call_sid: &str) -> Result<Value, ApiError> {
        let calls = self.calls.lock().map_err(|_| ApiError::NotFound)?;
        let call = calls.get(call_sid).ok_or(ApiError::NotFound)?;
        Ok(self.resource(call))
    }

    pub(super) fn update(
        self: &Arc<Self>,
        call_sid: &str,
        form: &[(String, String)],
    ) -> Result<Value, ApiError> {
        let mut calls = self.calls.lock().map_err(|_| ApiError::NotFound)?;
        let call = calls.get_mut(call_sid).ok_or(ApiError::NotFound)?;
        match param(form, "Status") {
            Some("completed" | "canceled") => {
                if call.status != "completed" {
                    self.complete(call);
                }
                return Ok(self.resource(call));
            }
            Some(other) => return Err(ApiError::Invalid(format!("Invalid Status '{other}'"))),
            None => {}
        }
        if let Some(run) = instructions(form) {
            if call.status == "completed" {
                return Err(ApiError::NotInProgress);
            }
            if let Some(task) = call.task.take() {
                task.abort();
            }
            call.task = Some(self.spawn_run(call.sid.clone(), run));
        }
        Ok(self.resource(call))
    }

    pub(super) fn record(
        &self,
        call_sid: &str,
        form: &[(String, String)],
    ) -> Result<Value, ApiError> {
        let calls = self.calls.lock().map_err(|_| ApiError::NotFound)?;
        let call = calls.get(call_sid).ok_or(ApiError::NotFound)?;
        if call.status == "completed" {
            return Err(ApiError::NotInProgress);
        }
        let channels = match param(form, "RecordingChannels").unwrap_or("mono") {
            "mono" => 1,
            "dual" => 2,
            other => {
                return Err(ApiError::Invalid(format!(
                    "Invalid RecordingChannels '{other}'"
                )));
            }
        };
        let recording = sid("RE");
        Ok(
            json!({"sid": recording, "account_sid": self.config.account_sid, "call_sid": call.sid,
                  "status": "in-progress", "channels": channels, "source": "StartCallRecordingAPI",
                  "track": param(form, "RecordingTrack").unwrap_or("inbound"), "price": null,
                  "uri": format!("/2010-04-01/Accounts/{}/Calls/{}/Recordings/{recording}.json",
                                 self.config.account_sid, call.sid)}),
        )
    }

    /// Stops what the call runs, marks it completed and posts its status callback.
    fn complete(&self, call: &mut CallEntry) {
        if let Some(task) = call.task.take() {
            task.abort();
        }
        call.status = "completed";
        let params = self.webhook_params(call);
        call.progress.reached("completed", params);
    }

    fn webhook_params(&self, call: &CallEntry) -> Vec<(&'static str, String)> {
        vec![
            ("AccountSid", self.config.account_sid.clone()),
            ("ApiVersion", "2010-04-01".to_owned()),
            ("CallSid", call.sid.clone()),
            ("CallStatus", call.status.to_owned()),
            ("Called", call.to.clone()),
            ("Caller", call.from.clone()),
            ("Direction", "outbound-api".to_owned()),
            ("From", call.from.clone()),
            ("To", call.to.clone()),
        ]
    }

    fn spawn_run(self: &Arc<Self>, call_sid: String, run: Instructions) -> JoinHandle<()> {
        let fake = self.clone();
        tokio::spawn(async move {
            let outcome = fake.run(&call_sid, run).await;
            if let Err(e) = &outcome {
                tracing::info!(call_sid, error = %e, "call failed");
            }
            if let Ok(mut calls) = fake.calls.lock()
                && let Some(call) = calls.get_mut(&call_sid)
            {
                // This task is ending by itself; forget its handle rather than abort it.
                call.task = None;
                if call.status != "completed" {
                    fake.complete(call);
                }
            }
        })
    }

    async fn run(&self, call_sid: &str, run: Instructions) -> Result<(), String> {
        let params = {
            let mut calls = self.calls.lock().map_err(|e| e.to_string())?;
            let call = calls.get_mut(call_sid).ok_or("call vanished")?;
            call.progress.reached("ringing", self.webhook_params(call));
            call.status = "in-progress";
            call.progress.reached("answered", self.webhook_params(call));
            self.webhook_params(call)
        };
        let twiml = match run {
            Instructions::Twiml(twiml) => twiml,
            Instructions::Url(url) => {
                let params: Vec<(&str, &str)> =
                    params.iter().map(|(k, v)| (*k, v.as_str())).collect();
                signed_post(&self.http, &self.config.auth_token, &url, &params).await?
            }
        };
        let Some(stream) = connect_stream(&twiml) else {
            return Ok(());
        };
        let report = stream_call(
            &self.config.account_sid,
            &self.config.auth_token,
            call_sid,
            &stream,
            &self.config.audio,
        )
        .await?;
        tracing::info!(
            call_sid,
            frames_sent = report.frames_sent,
            frames_received = report.frames_received,
            "stream ended"
        );
        Ok(())
    }
}
