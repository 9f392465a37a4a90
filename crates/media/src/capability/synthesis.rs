//! Speech synthesis (Deepgram speak, espeak-ng): text in, PCM audio out, for IVR prompts and
//! announcements.

use super::{BoxFuture, Language, ProviderError};

/// What to say and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthesisRequest {
    /// Text to speak.
    pub text: String,
    /// Language of the text.
    pub language: Language,
    /// Provider voice name, or the provider's default.
    pub voice: Option<String>,
}

/// Synthesised speech.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthesizedAudio {
    /// Samples per second of `samples`.
    pub sample_rate: u32,
    /// Mono PCM16.
    pub samples: Vec<i16>,
}

/// A provider of speech synthesis.
pub trait SpeechSynthesizer: Send + Sync {
    /// Provider name.
    fn name(&self) -> &str;
    /// Renders `request` to audio.
    fn synthesize(
        &self,
        request: SynthesisRequest,
    ) -> BoxFuture<'_, Result<SynthesizedAudio, ProviderError>>;
}
