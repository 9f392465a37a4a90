//! Streaming speech-to-text (Deepgram live, or a speech-to-speech provider's transcripts):
//! call audio in, interim and final text out.

use std::time::Duration;

use super::{BoxFuture, Language, ProviderError};

/// How to start a transcription stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptionConfig {
    /// Expected language (None lets the provider detect it).
    pub language: Option<Language>,
    /// Send interim results.
    pub interim_results: bool,
    /// Silence that ends an utterance.
    pub endpointing: Duration,
}

/// A piece of recognised text.
#[derive(Debug, Clone, PartialEq)]
pub struct Transcript {
    /// The words.
    pub text: String,
    /// False for interim text that may still change.
    pub is_final: bool,
    /// Provider confidence, 0..=1.
    pub confidence: f32,
    /// Start of the text in the stream, in ms.
    pub start_ms: u64,
    /// End of the text in the stream, in ms.
    pub end_ms: u64,
}

/// A live transcription stream.
pub trait TranscriptionStream: Send {
    /// Sends call audio (µ-law, 8 kHz).
    fn send_audio<'a>(&'a mut self, mulaw: &'a [u8]) -> BoxFuture<'a, Result<(), ProviderError>>;
    /// The next transcript; `Ok(None)` after [`TranscriptionStream::finish`] drained.
    fn next_transcript(&mut self) -> BoxFuture<'_, Result<Option<Transcript>, ProviderError>>;
    /// Flushes and closes the stream.
    fn finish(&mut self) -> BoxFuture<'_, Result<(), ProviderError>>;
}

/// A provider of streaming transcription.
pub trait StreamingTranscriber: Send + Sync {
    /// Provider name.
    fn name(&self) -> &str;
    /// Opens a stream.
    fn start(
        &self,
        config: TranscriptionConfig,
    ) -> BoxFuture<'_, Result<Box<dyn TranscriptionStream>, ProviderError>>;
}
