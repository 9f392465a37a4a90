//! The fake's calls: their ids, state and webhook queue, and what each command does to them.
//!
//! A call is live until either side hangs up. `streaming_start` (or `answer` with a
//! `stream_url`) starts the caller's audio on the app's WebSocket; when the caller's audio is
//! done the caller hangs up (`streaming.stopped`, then `call.hangup` with
//! `hangup_source: caller`). The outcome of each call (its stream report, or why it failed)
//! is published on a watch channel for `cc-sim call telnyx` to collect.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::TelnyxFake;
use super::actions::{Command, CommandBody, StreamStart};
use super::errors::ApiError;
use super::gather::{GatherEnd, PendingGather};
use super::stream::{self, StreamIdentity};
use super::webhooks::{HookQueue, event_id};
use crate::summary::{CallReport, sid};

/// How a call ended, once it has.
pub type Outcome = Option<Result<CallReport, String>>;

/// One call leg.
pub struct CallRecord {
    /// `v3:…` handle.
    pub call_control_id: String,
    leg_id: String,
    session_id: String,
    connection_id: String,
    from: String,
    to: String,
    direction: &'static str,
    client_state: Option<String>,
    hooks: HookQueue,
    answered: bool,
    streaming: Option<JoinHandle<()>>,
    recording: Option<String>,
    /// Keys the caller will still press on the current stream.
    keys_left: usize,
    gather: Option<PendingGather>,
    outcome: watch::Sender<Outcome>,
}

impl CallRecord {
    /// A new leg that will post its webhooks on `hooks`.
    pub fn new(
        direction: &'static str,
        from: String,
        to: String,
        connection_id: String,
        hooks: HookQueue,
    ) -> Self {
        Self {
            call_control_id: format!("v3:{}", sid("")),
            leg_id: event_id(),
            session_id: event_id(),
            connection_id,
            from,
            to,
            direction,
            client_state: None,
            hooks,
            answered: false,
            streaming: None,
            recording: None,
            keys_left: 0,
            gather: None,
            outcome: watch::channel(None).0,
        }
    }

    /// Watches for the call's outcome.
    pub fn subscribe(&self) -> watch::Receiver<Outcome> {
        self.outcome.subscribe()
    }

    /// The `POST /calls` answer.
    pub fn dialed(&self) -> Value {
        json!({"call_control_id": self.call_control_id, "call_leg_id": self.leg_id,
               "call_session_id": self.session_id, "is_alive": false, "record_type": "call"})
    }

    /// Common webhook payload fields, with `state`.
    pub fn payload(&self, state: &str) -> Value {
        json!({"call_control_id": self.call_control_id, "call_leg_id": self.leg_id,
               "call_session_id": self.session_id, "connection_id": self.connection_id,
               "client_state": self.client_state, "from": self.from, "to": self.to,
               "direction": self.direction, "state": state})
    }

    /// Queues a webhook with extra payload fields.
    pub fn hook(&self, event_type: &'static str, state: &str, extra: Value) {
        let mut payload = self.payload(state);
        if let (Some(p), Value::Object(extra)) = (payload.as_object_mut(), extra) {
            p.extend(extra);
        }
        self.hooks.send((event_type, payload)).ok();
    }

    /// Queues `call.answered` and marks the call answered.
    pub fn answer(&mut self) {
        if !self.answered {
            self.answered = true;
            self.hook("call.answered", "answered", json!({}));
        }
    }

    /// Drops the call without further webhooks (stopping its stream, if any).
    pub fn abandon(mut self) {
        if let Some(task) = self.streaming.take() {
            task.abort();
        }
    }

    fn stop_stream(&mut self) -> bool {
        match self.streaming.take() {
            Some(task) => {
                task.abort();
                self.hook("streaming.stopped", "answered", json!({}));
                true
            }
            None => false,
        }
    }

    fn gather_ended(&self, (digits, status): GatherEnd) {
        self.hook(
            "call.gather.ended",
            "answered",
            json!({"digits": digits, "status": status}),
        );
    }

    /// The caller pressed `key`: `call.dtmf.received`, and the pending gather hears it.
    fn key_pressed(&mut self, key: char) {
        self.keys_left = self.keys_left.saturating_sub(1);
        self.hook(
            "call.dtmf.received",
            "answered",
            json!({"digit": key.to_string()}),
        );
        let Some(gather) = self.gather.as_mut() else {
            return;
        };
        let end = match gather.press(key) {
            Some(end) => Some(end),
            None if self.keys_left == 0 => Some(gather.finish()),
            None => None,
        };
        if let Some(end) = end {
            self.gather = None;
            self.gather_ended(end);
        }
    }

    /// Ends the call: stops streaming, queues `call.hangup`, publishes `outcome`.
    fn end(&mut self, source: &str, outcome: Result<CallReport, String>) {
        if let Some(mut gather) = self.gather.take() {
            self.gather_ended((gather.finish().0, "call_hangup"));
        }
        self.stop_stream();
        self.hook(
            "call.hangup",
            "hangup",
            json!({"hangup_cause": "normal_clearing", "hangup_source": source, "sip_hangup_cause": "200"}),
        );
        self.outcome.send_replace(Some(outcome));
    }
}

impl TelnyxFake {
    /// Applies a validated command to call `id`; the `data` of the answer.
    pub(super) fn apply(self: &Arc<Self>, id: &str, body: CommandBody) -> Result<Value, ApiError> {
        let mut calls = self.calls.lock().map_err(|_| ApiError::CallEnded)?;
        let other_live = match &body.command {
            Command::Bridge(other) => Some(calls.contains_key(other)),
            _ => None,
        };
        let call = calls
            .get_mut(id)
            .ok_or_else(|| ApiError::NotFound(format!("Call '{id}' was not found.")))?;
        if call.outcome.borrow().is_some() {
            return Err(ApiError::CallEnded);
        }
        if body.client_state.is_some() {
            call.client_state = body.client_state;
        }
        let mut data = json!({"result": "ok"});
        match body.command {
            Command::Answer(stream) => {
                call.answer();
                if let Some(stream) = stream {
                    self.start_stream(call, stream);
                }
            }
            Command::Hangup => {
                let outcome = if call.streaming.is_some() {
                    Err("the app hung up before the caller finished".to_owned())
                } else {
                    Ok(CallReport::default())
                };
                call.end("callee", outcome);
            }
            Command::Speak => {
                call.hook("call.speak.started", "answered", json!({}));
                call.hook(
                    "call.speak.ended",
                    "answered",
                    json!({"status": "completed"}),
                );
            }
            Command::Gather { prompt, rules } => {
                if let Some(started) = prompt {
                    call.hook(started, "answered", json!({}));
                }
                let mut gather = PendingGather::new(rules);
                if call.keys_left == 0 {
                    // A caller with no keys to press: the gather times out.
                    call.gather_ended(gather.finish());
                } else {
                    call.gather = Some(gather);
                }
            }
            Command::PlaybackStart => {
                call.hook("call.playback.started", "answered", json!({}));
                call.hook(
                    "call.playback.ended",
                    "answered",
                    json!({"status": "completed"}),
                );
            }
            Command::PlaybackStop | Command::Transfer => {}
            Command::RecordStart => {
                let recording = event_id();
                data["recording_id"] = json!(recording);
                call.recording = Some(recording);
            }
            Command::RecordStop => {
                if let Some(recording) = call.recording.take() {
                    let url = format!("https://sim.invalid/recordings/{recording}.wav");
                    call.hook(
                        "call.recording.saved",
                        "answered",
                        json!({"channels": "single",
                        "recording_urls": {"wav": url}, "public_recording_urls": {"wav": url}}),
                    );
                }
            }
            Command::Bridge(other) => {
                if other_live != Some(true) || other == id {
                    return Err(ApiError::Invalid(
                        "call_control_id",
                        "The other leg is not a live call.".into(),
                    ));
                }
                call.hook("call.bridged", "bridged", json!({}));
            }
            Command::StreamingStart(stream) => self.start_stream(call, stream),
            Command::StreamingStop => {
                call.stop_stream();
            }
        }
        Ok(data)
    }

    fn start_stream(self: &Arc<Self>, call: &mut CallRecord, start: StreamStart) {
        call.stop_stream();
        call.hook(
            "streaming.started",
            "answered",
            json!({"stream_url": start.url}),
        );
        let identity = StreamIdentity {
            call_control_id: call.call_control_id.clone(),
            call_session_id: call.session_id.clone(),
            from: call.from.clone(),
            to: call.to.clone(),
            client_state: call.client_state.clone(),
        };
        call.keys_left = self.config.audio.dtmf.len();
        let fake = self.clone();
        let keys = self.clone();
        let key_call = identity.call_control_id.clone();
        let on_key = Box::new(move |key| keys.key_pressed(&key_call, key));
        call.streaming = Some(tokio::spawn(async move {
            let id = identity.call_control_id.clone();
            let result = stream::run(
                &start.url,
                start.auth_token.as_deref(),
                identity,
                event_id(),
                &fake.config.audio,
                on_key,
            )
            .await;
            fake.caller_hangs_up(&id, result);
        }));
    }

    /// The caller pressed `key` on call `id`.
    fn key_pressed(&self, id: &str, key: char) {
        if let Ok(mut calls) = self.calls.lock()
            && let Some(call) = calls.get_mut(id)
            && call.outcome.borrow().is_none()
        {
            call.key_pressed(key);
        }
    }

    /// The caller's audio is over (or failed): stop streaming and hang up from the caller side.
    fn caller_hangs_up(&self, id: &str, result: Result<CallReport, String>) {
        let Ok(mut calls) = self.calls.lock() else {
            return;
        };
        if let Some(call) = calls.get_mut(id)
            && call.outcome.borrow().is_none()
        {
            // The task finishing is this one; drop its handle instead of aborting itself.
            call.streaming = None;
            call.hook("streaming.stopped", "answered", json!({}));
            call.end("caller", result);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::telnyx_api::gather::DigitRules;

    fn record() -> (
        CallRecord,
        tokio::sync::mpsc::UnboundedReceiver<(&'static str, Value)>,
    ) {
        let (hooks, rx) = tokio::sync::mpsc::unbounded_channel();
        let call = CallRecord::new("incoming", "+1".into(), "+2".into(), "conn".into(), hooks);
        (call, rx)
    }

    fn drain(rx: &mut tokio::sync::mpsc::UnboundedReceiver<(&'static str, Value)>) -> Vec<String> {
        let mut seen = Vec::new();
        while let Ok((event, payload)) = rx.try_recv() {
            seen.push(match event {
                "call.gather.ended" => {
                    format!("{event} {} {}", payload["digits"], payload["status"])
                }
                "call.dtmf.received" => format!("{event} {}", payload["digit"]),
                _ => event.to_owned(),
            });
        }
        seen
    }

    #[test]
    fn a_hang_up_ends_a_pending_gather_with_the_digits_so_far() {
        let (mut call, mut rx) = record();
        let rules = DigitRules::parse(&serde_json::Map::new()).unwrap();
        call.gather = Some(PendingGather::new(rules));
        call.keys_left = 3;
        call.key_pressed('4');
        call.end("caller", Ok(CallReport::default()));
        assert_eq!(
            drain(&mut rx),
            [
                "call.dtmf.received \"4\"",
                "call.gather.ended \"4\" \"call_hangup\"",
                "call.hangup"
            ]
        );
        assert!(call.gather.is_none());
    }

    #[test]
    fn keys_without_a_gather_are_only_reported() {
        let (mut call, mut rx) = record();
        call.keys_left = 1;
        call.key_pressed('#');
        assert_eq!(drain(&mut rx), ["call.dtmf.received \"#\""]);
        assert_eq!(call.keys_left, 0);
    }
}
