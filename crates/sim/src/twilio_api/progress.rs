//! Status callbacks of the fake's calls. A call asks for progress events with
//! `StatusCallbackEvent` (`initiated`, `ringing`, `answered`, `completed`; repeated fields or
//! one space-separated value; `completed` alone when absent). Each call has one queue that
//! posts them to `StatusCallback` in order, signed like every webhook, with `CallStatus`
//! (`initiated`, `ringing`, `in-progress`, `completed`), a per-call `SequenceNumber` from 0,
//! `CallbackSource=call-progress-events`, an RFC 2822 `Timestamp`, and on completion the
//! whole seconds since answer as `CallDuration`. Each event is posted at most once per call.

use std::time::Instant;

use tokio::sync::mpsc;

use super::errors::ApiError;
use crate::clock::rfc2822_now;
use crate::twilio_call::signed_post;

/// The progress events, in the order a call goes through them.
const EVENTS: [&str; 4] = ["initiated", "ringing", "answered", "completed"];

/// Form fields of one callback.
pub type Params = Vec<(&'static str, String)>;

/// One call's status callbacks.
pub struct Progress {
    wanted: Vec<&'static str>,
    posted: Vec<&'static str>,
    queue: Option<mpsc::UnboundedSender<Params>>,
    answered_at: Option<Instant>,
}

/// The events `form` asks for (`StatusCallbackEvent`), checked.
pub fn requested(form: &[(String, String)]) -> Result<Vec<&'static str>, ApiError> {
    let mut wanted = Vec::new();
    let values = form
        .iter()
        .filter(|(k, _)| k == "StatusCallbackEvent")
        .flat_map(|(_, v)| v.split_whitespace());
    for value in values {
        let event = EVENTS
            .iter()
            .find(|e| **e == value)
            .ok_or_else(|| ApiError::Invalid(format!("Invalid StatusCallbackEvent '{value}'")))?;
        if !wanted.contains(event) {
            wanted.push(*event);
        }
    }
    if wanted.is_empty() {
        wanted.push("completed");
    }
    Ok(wanted)
}

impl Progress {
    /// Callbacks of `wanted` events to `url` (none without a URL), signed with `auth_token`.
    pub fn new(
        url: Option<String>,
        wanted: Vec<&'static str>,
        http: reqwest::Client,
        auth_token: String,
    ) -> Self {
        let queue = url.map(|url| {
            let (tx, mut rx) = mpsc::unbounded_channel::<Params>();
            tokio::spawn(async move {
                while let Some(params) = rx.recv().await {
                    let params: Vec<(&str, &str)> =
                        params.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    if let Err(e) = signed_post(&http, &auth_token, &url, &params).await {
                        tracing::warn!(error = %e, "status callback failed");
                    }
                }
            });
            tx
        });
        Self {
            wanted,
            posted: Vec::new(),
            queue,
            answered_at: None,
        }
    }

    /// The call reached `event`; `params` are the call's webhook fields (their `CallStatus`
    /// is replaced by the event's).
    pub fn reached(&mut self, event: &'static str, mut params: Params) {
        if event == "answered" {
            self.answered_at.get_or_insert_with(Instant::now);
        }
        if self.posted.contains(&event) {
            return;
        }
        self.posted.push(event);
        let Some(queue) = &self.queue else { return };
        if !self.wanted.contains(&event) {
            return;
        }
        let status = if event == "answered" {
            "in-progress"
        } else {
            event
        };
        params.retain(|(k, _)| *k != "CallStatus");
        params.push(("CallStatus", status.to_owned()));
        params.push(("CallbackSource", "call-progress-events".to_owned()));
        params.push(("SequenceNumber", self.sent_count().to_string()));
        params.push(("Timestamp", rfc2822_now()));
        if event == "completed" {
            let seconds = self.answered_at.map_or(0, |at| at.elapsed().as_secs());
            params.push(("CallDuration", seconds.to_string()));
        }
        queue.send(params).ok();
    }

    /// Callbacks queued so far (the next one's `SequenceNumber`).
    fn sent_count(&self) -> usize {
        // `posted` already holds the event being sent.
        self.posted
            .iter()
            .filter(|e| self.wanted.contains(e))
            .count()
            - 1
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn form(values: &[&str]) -> Vec<(String, String)> {
        values
            .iter()
            .map(|v| ("StatusCallbackEvent".to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn events_are_read_from_repeated_or_spaced_fields() {
        assert_eq!(requested(&[]).unwrap(), ["completed"]);
        assert_eq!(
            requested(&form(&["initiated", "answered"])).unwrap(),
            ["initiated", "answered"]
        );
        assert_eq!(
            requested(&form(&["ringing completed", "ringing"])).unwrap(),
            ["ringing", "completed"]
        );
        assert!(matches!(
            requested(&form(&["busy"])),
            Err(ApiError::Invalid(m)) if m.contains("busy")
        ));
    }
}
