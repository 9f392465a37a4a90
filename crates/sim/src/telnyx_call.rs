//! `cc-sim call telnyx`: behave as Telnyx does for incoming calls to a Call Control app.
//!
//! The run serves the Call Control REST API on `api_listen` (the app points its Telnyx client
//! there) and, per call, posts a signed `call.initiated` webhook. The app answers with
//! `actions/answer` and starts the media stream with `actions/streaming_start` (or `answer`
//! with a `stream_url`); the fake then opens the WebSocket, streams µ-law 8 kHz 20 ms frames in
//! real time for `seconds`, counts the audio the app sends back, and hangs up
//! (`streaming.stopped`, `call.hangup`). A call the app never streams fails after a deadline.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use cc_media::telnyx::signature::WebhookSigner;
use tokio::net::TcpListener;

use crate::caller_audio::CallerAudio;
use crate::summary::{CallReport, Summary};
use crate::telnyx_api::{TelnyxConfig, TelnyxFake};

/// How long an app may take to start streaming before the call counts as failed.
const START_DEADLINE: Duration = Duration::from_secs(15);

/// What to call and how.
#[derive(Debug, Clone)]
pub struct CallOptions {
    /// The app's webhook URL.
    pub webhook_url: String,
    /// Signs the webhooks.
    pub signer: WebhookSigner,
    /// The bearer key the API accepts; any when `None`.
    pub api_key: Option<String>,
    /// Concurrent calls.
    pub calls: usize,
    /// Seconds of caller audio per call.
    pub seconds: u32,
    /// What the caller says (`--say`); synthetic speech-like bursts when absent.
    pub say: Option<String>,
    /// Keys the caller presses after its first utterance (`--dtmf`), e.g. `12#`.
    pub dtmf: String,
    /// A WAV file the caller plays as its utterance (`--wav`).
    pub wav: Option<PathBuf>,
}

/// Places `options.calls` concurrent calls through an API served on `api`, and summarises them.
pub async fn run(options: CallOptions, api: TcpListener) -> Summary {
    let audio = match CallerAudio::for_call(
        options.say.as_deref(),
        options.wav.as_deref(),
        options.seconds,
    )
    .await
    {
        Ok(audio) => audio.with_dtmf(&options.dtmf),
        Err(reason) => return Summary::not_started("telnyx", reason),
    };
    let fake = TelnyxFake::new(TelnyxConfig {
        api_key: options.api_key.clone(),
        webhook_url: Some(options.webhook_url.clone()),
        signer: options.signer.clone(),
        audio,
    });
    let server = tokio::spawn(fake.clone().serve(api));
    let deadline = START_DEADLINE + Duration::from_secs(u64::from(options.seconds));
    let tasks: Vec<_> = (0..options.calls)
        .map(|n| tokio::spawn(one_call(fake.clone(), n, deadline)))
        .collect();
    let mut outcomes = Vec::with_capacity(tasks.len());
    for task in tasks {
        outcomes.push(task.await.map_err(|e| e.to_string()).and_then(|r| r));
    }
    server.abort();
    fake.close().await;
    Summary::from_outcomes("telnyx", options.calls, outcomes)
}

async fn one_call(
    fake: Arc<TelnyxFake>,
    n: usize,
    deadline: Duration,
) -> Result<CallReport, String> {
    let from = format!("+1500555{:04}", n % 10_000);
    let (id, mut outcome) = fake
        .ring(&from, "+15005550001")
        .ok_or("no webhook URL configured")?;
    let ended = tokio::time::timeout(deadline, outcome.wait_for(Option::is_some)).await;
    match ended {
        Ok(Ok(result)) => result.clone().unwrap_or_else(|| Err("no outcome".into())),
        Ok(Err(_)) => Err(format!("call {id} vanished")),
        Err(_) => Err(format!(
            "call {id}: the app did not stream within {deadline:?}"
        )),
    }
}
