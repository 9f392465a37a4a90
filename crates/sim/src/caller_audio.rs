//! The audio a simulated caller sends: speech-like bursts (1 s of signal, 1 s of pause), or,
//! with `--say TEXT`, TEXT spoken by `espeak-ng` when it is installed (the synthetic signal
//! otherwise), followed by silence. The text also goes on the side channel
//! ([`crate::utterance::publish_said`]) so the fake AI peers can "recognise" it.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use cc_media::audio::g711::ulaw_encode;
use cc_media::audio::resample::Resampler;
use cc_media::audio::wav::read_wav;

use crate::utterance::{publish_said, silence, speech_like};

/// µ-law 8 kHz caller audio and where its first utterance ends.
#[derive(Debug, Clone)]
pub struct CallerAudio {
    /// The whole call's audio.
    pub mulaw: Vec<u8>,
    /// End of the first utterance, in ms from the start (first-response latency counts from here).
    pub first_utterance_ms: u32,
    /// Base64 of each 20 ms frame of `mulaw`, encoded once and shared by every call.
    pub payloads: Vec<String>,
}

impl CallerAudio {
    fn new(mulaw: Vec<u8>, first_utterance_ms: u32) -> Self {
        let payloads = mulaw.chunks(160).map(|f| BASE64.encode(f)).collect();
        Self {
            mulaw,
            first_utterance_ms,
            payloads,
        }
    }

    /// `seconds` of alternating speech-like bursts and pauses.
    pub fn synthetic(seconds: u32) -> Self {
        let mut mulaw = Vec::new();
        for second in 0..seconds {
            mulaw.extend(if second % 2 == 0 {
                speech_like(1000)
            } else {
                silence(1000)
            });
        }
        Self::new(mulaw, 1000.min(seconds * 1000))
    }

    /// The audio for a call: `say` spoken once, then silence, for `seconds` in all (at least
    /// the length of the utterance); synthetic bursts without `say`.
    pub async fn for_call(say: Option<&str>, seconds: u32) -> Self {
        let Some(text) = say else {
            return Self::synthetic(seconds);
        };
        publish_said(text);
        let speech = match espeak(text).await {
            Some(speech) => speech,
            None => speech_like(1000),
        };
        let spoken_ms = (speech.len() / 8) as u32;
        let mut mulaw = speech;
        let total_ms = (seconds * 1000).max(spoken_ms);
        mulaw.extend(silence(total_ms - spoken_ms));
        Self::new(mulaw, spoken_ms)
    }
}

/// `text` spoken by espeak-ng as µ-law 8 kHz, or `None` when espeak-ng is absent or fails.
async fn espeak(text: &str) -> Option<Vec<u8>> {
    let output = tokio::process::Command::new("espeak-ng")
        .arg("--stdout")
        .arg(text)
        .output()
        .await
        .ok()
        .filter(|o| o.status.success())?;
    let wav = read_wav(&output.stdout).ok()?;
    let pcm = wav.channel(0);
    let mut resampled = Vec::with_capacity(pcm.len());
    Resampler::new(wav.spec.sample_rate, 8_000)
        .ok()?
        .process(&pcm, &mut resampled);
    // Round up to whole 20 ms frames so the utterance ends on a frame boundary.
    resampled.resize(resampled.len().div_ceil(160) * 160, 0);
    Some(resampled.into_iter().map(ulaw_encode).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_audio_alternates_bursts_and_pauses() {
        let audio = CallerAudio::synthetic(3);
        assert_eq!(audio.mulaw.len(), 3 * 8000);
        assert_eq!(audio.first_utterance_ms, 1000);
        assert!(audio.mulaw[8000..16000].iter().all(|&b| b == 0xFF));
        assert_eq!(audio.payloads.len(), 150);
        assert_eq!(
            BASE64.decode(&audio.payloads[7]).unwrap(),
            audio.mulaw[1120..1280]
        );
    }

    #[tokio::test]
    async fn a_said_text_is_audible_speech_then_silence() {
        let audio = CallerAudio::for_call(Some("hello there"), 4).await;
        assert!(
            audio.first_utterance_ms >= 300,
            "{}",
            audio.first_utterance_ms
        );
        assert_eq!(
            audio.mulaw.len() as u32,
            4000.max(audio.first_utterance_ms) * 8
        );
        let mut detector = crate::utterance::UtteranceDetector::new();
        let events = detector.push(&audio.mulaw);
        assert!(!events.is_empty(), "the VAD hears the utterance");
    }
}
