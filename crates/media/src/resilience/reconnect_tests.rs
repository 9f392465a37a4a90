//! A scripted transcriber: each stream it opens plays one script of results and records the
//! audio it was sent, so drops and reconnects are exact.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use super::*;
use crate::resilience::breaker::{BreakerConfig, CircuitBreaker};

type Step = Result<Option<Transcript>, ProviderError>;

/// Opens streams that play `scripts` in turn; `audio[n]` is what stream `n` was sent.
struct Scripted {
    scripts: Mutex<VecDeque<VecDeque<Step>>>,
    audio: Arc<Mutex<Vec<Vec<u8>>>>,
    fail_sends_on_first: bool,
}

struct ScriptedStream {
    steps: VecDeque<Step>,
    index: usize,
    audio: Arc<Mutex<Vec<Vec<u8>>>>,
    fail_sends: bool,
}

fn final_text(text: &str, start_ms: u64, end_ms: u64) -> Step {
    Ok(Some(Transcript {
        text: text.into(),
        is_final: true,
        confidence: 0.9,
        start_ms,
        end_ms,
    }))
}

fn dropped() -> Step {
    Err(ProviderError::Unavailable {
        provider: "scripted".into(),
        detail: "socket closed".into(),
    })
}

impl StreamingTranscriber for Scripted {
    fn name(&self) -> &str {
        "scripted"
    }

    fn start(
        &self,
        _: TranscriptionConfig,
    ) -> BoxFuture<'_, Result<Box<dyn TranscriptionStream>, ProviderError>> {
        Box::pin(async move {
            let steps =
                self.scripts
                    .lock()
                    .unwrap()
                    .pop_front()
                    .ok_or(ProviderError::Unavailable {
                        provider: "scripted".into(),
                        detail: "refused".into(),
                    })?;
            let mut audio = self.audio.lock().unwrap();
            audio.push(Vec::new());
            let stream = ScriptedStream {
                steps,
                index: audio.len() - 1,
                audio: self.audio.clone(),
                fail_sends: self.fail_sends_on_first && audio.len() == 1,
            };
            Ok(Box::new(stream) as Box<dyn TranscriptionStream>)
        })
    }
}

impl TranscriptionStream for ScriptedStream {
    fn send_audio<'a>(&'a mut self, mulaw: &'a [u8]) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            if self.fail_sends {
                return dropped().map(|_| ());
            }
            self.audio.lock().unwrap()[self.index].extend_from_slice(mulaw);
            Ok(())
        })
    }

    fn next_transcript(&mut self) -> BoxFuture<'_, Result<Option<Transcript>, ProviderError>> {
        Box::pin(async move { self.steps.pop_front().unwrap_or(Ok(None)) })
    }

    fn finish(&mut self) -> BoxFuture<'_, Result<(), ProviderError>> {
        Box::pin(async { Ok(()) })
    }
}

fn transcriber(scripts: Vec<Vec<Step>>, fail_sends_on_first: bool) -> Arc<Scripted> {
    Arc::new(Scripted {
        scripts: Mutex::new(scripts.into_iter().map(VecDeque::from).collect()),
        audio: Arc::new(Mutex::new(Vec::new())),
        fail_sends_on_first,
    })
}

fn breaker() -> SharedBreaker {
    Arc::new(Mutex::new(CircuitBreaker::new(
        "scripted",
        BreakerConfig::default(),
    )))
}

fn config() -> TranscriptionConfig {
    TranscriptionConfig {
        language: None,
        interim_results: false,
        endpointing: Duration::from_millis(300),
    }
}

#[tokio::test]
async fn a_drop_reopens_the_stream_and_keeps_one_timeline() {
    let counters = crate::observe::capture::Counters::default();
    let _recording = metrics::set_default_local_recorder(&counters);
    let scripted = transcriber(
        vec![
            vec![final_text("first", 100, 900), dropped()],
            vec![final_text("second", 200, 700), Ok(None)],
        ],
        false,
    );
    let mut stream = ReconnectingTranscription::start(scripted.clone(), breaker(), config(), 3)
        .await
        .unwrap();
    stream.send_audio(&[0xFF; 8_000]).await.unwrap(); // 1 s on the first stream
    assert_eq!(
        stream.next_transcript().await.unwrap().unwrap().text,
        "first"
    );
    let second = stream.next_transcript().await.unwrap().unwrap();
    assert_eq!(
        (second.text.as_str(), second.start_ms, second.end_ms),
        ("second", 1_200, 1_700),
        "the second stream's times follow the first stream's second of audio"
    );
    assert_eq!(stream.next_transcript().await.unwrap(), None);
    assert_eq!(stream.reconnects(), 1);
    let labels = [("provider", "scripted")];
    assert_eq!(counters.get(crate::observe::RECONNECTS_METRIC, &labels), 1);
}

#[tokio::test]
async fn audio_that_fails_to_send_goes_to_the_reopened_stream() {
    let scripted = transcriber(vec![vec![], vec![]], true);
    let mut stream = ReconnectingTranscription::start(scripted.clone(), breaker(), config(), 1)
        .await
        .unwrap();
    stream.send_audio(&[1, 2, 3]).await.unwrap();
    assert_eq!(*scripted.audio.lock().unwrap(), [vec![], vec![1, 2, 3]]);
    assert_eq!(stream.reconnects(), 1);
}

#[tokio::test]
async fn other_errors_the_budget_and_an_open_breaker_end_the_stream() {
    // Credentials refused: reconnecting would not help.
    let refused = Err(ProviderError::Unauthorized {
        provider: "scripted".into(),
    });
    let scripted = transcriber(vec![vec![refused], vec![]], false);
    let mut stream = ReconnectingTranscription::start(scripted, breaker(), config(), 3)
        .await
        .unwrap();
    assert!(matches!(
        stream.next_transcript().await,
        Err(ProviderError::Unauthorized { .. })
    ));

    // The budget: one reconnect, then the second drop is the caller's.
    let scripted = transcriber(vec![vec![dropped()], vec![dropped()], vec![]], false);
    let mut stream = ReconnectingTranscription::start(scripted, breaker(), config(), 1)
        .await
        .unwrap();
    assert!(matches!(
        stream.next_transcript().await,
        Err(ProviderError::Unavailable { .. })
    ));
    assert_eq!(stream.reconnects(), 1);

    // An open breaker: no reconnect at all.
    let open = breaker();
    let scripted = transcriber(vec![vec![dropped()], vec![]], false);
    let mut stream = ReconnectingTranscription::start(scripted, open.clone(), config(), 3)
        .await
        .unwrap();
    for _ in 0..5 {
        open.lock()
            .unwrap()
            .record_failure(std::time::Instant::now());
    }
    assert!(stream.next_transcript().await.is_err());
    assert_eq!(stream.reconnects(), 0);
}

#[tokio::test]
async fn shifting_a_peer_time_past_u64_max_is_a_protocol_error() {
    let scripted = transcriber(
        vec![
            vec![dropped()],
            vec![final_text("late", 0, u64::MAX), final_text("ok", 5, 6)],
        ],
        false,
    );
    let mut stream = ReconnectingTranscription::start(scripted, breaker(), config(), 1)
        .await
        .unwrap();
    stream.send_audio(&[0xFF; 8]).await.unwrap(); // 1 ms on the first stream
    assert!(matches!(
        stream.next_transcript().await,
        Err(ProviderError::Protocol { ref provider, ref detail })
            if provider == "scripted" && detail.contains("overflow")
    ));
    let ok = stream.next_transcript().await.unwrap().unwrap();
    assert_eq!((ok.start_ms, ok.end_ms), (6, 7));
}
