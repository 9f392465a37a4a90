//! Reconnecting a dropped transcription stream to the same provider, mid-call.
//!
//! A live transcription (Deepgram) that loses its socket ends with
//! [`ProviderError::Unavailable`]. [`ReconnectingTranscription`] wraps such a stream: on that
//! error it records the failure on the provider's breaker, opens a new stream with the same
//! settings (if the breaker allows and the reconnect budget is not spent), and carries on, so
//! the call keeps its captions. Audio that was in flight is lost. The new stream counts time
//! from its own start, so transcript times are shifted by the audio sent on earlier streams
//! and stay on one timeline. Other errors (credentials, protocol) end the stream: reconnecting
//! would not fix them. Each reconnect counts in `cc_media_provider_reconnects_total{provider}`.

use std::sync::Arc;

use super::breaker::{SharedBreaker, acquire_shared, record_shared};
use crate::capability::transcription::{
    StreamingTranscriber, Transcript, TranscriptionConfig, TranscriptionStream,
};
use crate::capability::{BoxFuture, ProviderError};

/// A transcription stream that reopens itself after a drop.
pub struct ReconnectingTranscription {
    transcriber: Arc<dyn StreamingTranscriber>,
    breaker: SharedBreaker,
    config: TranscriptionConfig,
    current: Box<dyn TranscriptionStream>,
    max_reconnects: u32,
    reconnects: u32,
    /// Audio sent on earlier streams (ms): the current stream's time zero.
    offset_ms: u64,
    /// Audio sent on the current stream (ms).
    sent_ms: u64,
}

impl ReconnectingTranscription {
    /// Opens the first stream; up to `max_reconnects` reopenings follow drops.
    pub async fn start(
        transcriber: Arc<dyn StreamingTranscriber>,
        breaker: SharedBreaker,
        config: TranscriptionConfig,
        max_reconnects: u32,
    ) -> Result<Self, ProviderError> {
        let current = open(&transcriber, &breaker, &config).await?;
        Ok(Self {
            transcriber,
            breaker,
            config,
            current,
            max_reconnects,
            reconnects: 0,
            offset_ms: 0,
            sent_ms: 0,
        })
    }

    /// How many times the stream was reopened.
    pub fn reconnects(&self) -> u32 {
        self.reconnects
    }

    /// Reopens after `error` if it is a drop and the budget and breaker allow; else `error`.
    async fn reconnect(&mut self, error: ProviderError) -> Result<(), ProviderError> {
        if !matches!(error, ProviderError::Unavailable { .. })
            || self.reconnects >= self.max_reconnects
        {
            return Err(error);
        }
        record_shared(&self.breaker, false);
        let provider = self.transcriber.name().to_owned();
        tracing::warn!(%provider, %error, "transcription stream dropped; reconnecting");
        self.current = open(&self.transcriber, &self.breaker, &self.config)
            .await
            .map_err(|_| error)?;
        self.reconnects += 1;
        self.offset_ms = self.offset_ms.saturating_add(self.sent_ms);
        self.sent_ms = 0;
        crate::observe::reconnect(&provider);
        Ok(())
    }
}

async fn open(
    transcriber: &Arc<dyn StreamingTranscriber>,
    breaker: &SharedBreaker,
    config: &TranscriptionConfig,
) -> Result<Box<dyn TranscriptionStream>, ProviderError> {
    if !acquire_shared(breaker) {
        return Err(ProviderError::Unavailable {
            provider: transcriber.name().to_owned(),
            detail: "circuit breaker open".into(),
        });
    }
    let stream = transcriber.start(config.clone()).await;
    record_shared(breaker, stream.is_ok());
    stream
}

impl TranscriptionStream for ReconnectingTranscription {
    fn send_audio<'a>(&'a mut self, mulaw: &'a [u8]) -> BoxFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            if let Err(error) = self.current.send_audio(mulaw).await {
                self.reconnect(error).await?;
                self.current.send_audio(mulaw).await?;
            }
            let sent = u64::try_from(mulaw.len()).unwrap_or(u64::MAX) / 8;
            self.sent_ms = self.sent_ms.saturating_add(sent);
            Ok(())
        })
    }

    fn next_transcript(&mut self) -> BoxFuture<'_, Result<Option<Transcript>, ProviderError>> {
        Box::pin(async move {
            loop {
                match self.current.next_transcript().await {
                    Ok(Some(mut transcript)) => {
                        // The times are the provider's; shifting them is checked.
                        let shift = |ms: u64| ms.checked_add(self.offset_ms);
                        let (Some(start_ms), Some(end_ms)) =
                            (shift(transcript.start_ms), shift(transcript.end_ms))
                        else {
                            return Err(ProviderError::Protocol {
                                provider: self.transcriber.name().to_owned(),
                                detail: format!(
                                    "transcript time {} ms overflows when shifted by {} ms",
                                    transcript.end_ms.max(transcript.start_ms),
                                    self.offset_ms
                                ),
                            });
                        };
                        (transcript.start_ms, transcript.end_ms) = (start_ms, end_ms);
                        return Ok(Some(transcript));
                    }
                    Ok(None) => return Ok(None),
                    Err(error) => self.reconnect(error).await?,
                }
            }
        })
    }

    fn finish(&mut self) -> BoxFuture<'_, Result<(), ProviderError>> {
        self.current.finish()
    }
}

#[cfg(test)]
#[path = "reconnect_tests.rs"]
mod tests;
