//! The audio a simulated caller sends: speech-like bursts (1 s of signal, 1 s of pause), or,
//! with `--say TEXT`, TEXT spoken by `espeak-ng` when it is installed (the synthetic signal
//! otherwise), followed by silence. The text also goes on the side channel
//! ([`crate::utterance::publish_said`]) so the fake AI peers can "recognise" it.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use cc_media::audio::g711::ulaw_encode;
use cc_media::audio::resample::Resampler;
use cc_media::audio::wav::{Wav, read_wav};

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
    /// Keys the caller presses: (frame index at which it is pressed, digit), in order.
    pub dtmf: Vec<(usize, char)>,
}

/// The keys a caller can press.
pub const DTMF_DIGITS: &str = "0123456789*#";

/// Frames between two key presses (240 ms).
const KEY_GAP_FRAMES: usize = 12;

/// Checks a `--dtmf` argument: only the keys of a phone keypad.
pub fn parse_dtmf(digits: &str) -> Result<String, String> {
    match digits.chars().find(|c| !DTMF_DIGITS.contains(*c)) {
        Some(bad) => Err(format!("'{bad}' is not a phone key (use {DTMF_DIGITS})")),
        None => Ok(digits.to_owned()),
    }
}

impl CallerAudio {
    fn new(mulaw: Vec<u8>, first_utterance_ms: u32) -> Self {
        let payloads = mulaw.chunks(160).map(|f| BASE64.encode(f)).collect();
        Self {
            mulaw,
            first_utterance_ms,
            payloads,
            dtmf: Vec::new(),
        }
    }

    /// The caller also presses `digits` (checked by [`parse_dtmf`]), 240 ms apart, starting
    /// when the first utterance ends; the call is lengthened with silence if the keys need it.
    pub fn with_dtmf(self, digits: &str) -> Self {
        if digits.is_empty() {
            return self;
        }
        let first = (self.first_utterance_ms / 20) as usize;
        let dtmf: Vec<(usize, char)> = digits
            .chars()
            .enumerate()
            .map(|(n, digit)| (first + n * KEY_GAP_FRAMES, digit))
            .collect();
        let needed = dtmf.last().map_or(0, |(frame, _)| frame + 1) * 160;
        let mut audio = self;
        if audio.mulaw.len() < needed {
            let mut mulaw = audio.mulaw;
            mulaw.resize(needed, 0xFF);
            audio = Self::new(mulaw, audio.first_utterance_ms);
        }
        Self { dtmf, ..audio }
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

    /// The audio for a call: one utterance, then silence, for `seconds` in all (at least the
    /// length of the utterance). The utterance is the first channel of the `wav` file (any
    /// rate, resampled to 8 kHz) when given, else `say` spoken by espeak-ng (a speech-like
    /// burst without it); with neither, synthetic bursts. `say` also goes on the side channel,
    /// so it can name what a WAV file says.
    pub async fn for_call(
        say: Option<&str>,
        wav: Option<&Path>,
        seconds: u32,
    ) -> Result<Self, String> {
        if let Some(text) = say {
            publish_said(text);
        }
        let speech = match (wav, say) {
            (Some(path), _) => wav_file(path)?,
            (None, Some(text)) => espeak(text).await.unwrap_or_else(|| speech_like(1000)),
            (None, None) => return Ok(Self::synthetic(seconds)),
        };
        let spoken_ms = (speech.len() / 8) as u32;
        let mut mulaw = speech;
        let total_ms = (seconds * 1000).max(spoken_ms);
        mulaw.extend(silence(total_ms - spoken_ms));
        Ok(Self::new(mulaw, spoken_ms))
    }
}

/// The first channel of the WAV file at `path` as µ-law 8 kHz.
fn wav_file(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("cannot read the WAV file {}: {e}", path.display()))?;
    let wav = read_wav(&bytes)
        .map_err(|e| format!("{} is not a usable WAV file: {e}", path.display()))?;
    mulaw_8k(&wav).ok_or_else(|| format!("{}: unsupported sample rate", path.display()))
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
    mulaw_8k(&read_wav(&output.stdout).ok()?)
}

/// The first channel of `wav`, resampled to 8 kHz, in whole 20 ms µ-law frames.
fn mulaw_8k(wav: &Wav) -> Option<Vec<u8>> {
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

    #[test]
    fn keys_are_pressed_after_the_first_utterance_and_fit_in_the_call() {
        let audio = CallerAudio::synthetic(1).with_dtmf("12#");
        assert_eq!(audio.dtmf, [(50, '1'), (62, '2'), (74, '#')]);
        assert_eq!(audio.payloads.len(), 75, "lengthened to the last key");
        assert_eq!(audio.mulaw.len(), 75 * 160);
        assert!(parse_dtmf("0123456789*#").is_ok());
        assert!(parse_dtmf("12a").unwrap_err().contains("'a'"));
    }

    #[tokio::test]
    async fn a_said_text_is_audible_speech_then_silence() {
        let audio = CallerAudio::for_call(Some("hello there"), None, 4)
            .await
            .unwrap();
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

    #[tokio::test]
    async fn a_wav_file_is_the_utterance_at_8_khz_then_silence() {
        use cc_media::audio::wav::{WavSpec, write_wav};
        let dir = tempfile::tempdir().unwrap();
        // Half a second of a 440 Hz tone, stereo 16 kHz; the right channel is silent.
        let samples: Vec<i16> = (0..8_000)
            .flat_map(|n| {
                let t = f64::from(n) / 16_000.0;
                [
                    (8_000.0 * (2.0 * std::f64::consts::PI * 440.0 * t).sin()) as i16,
                    0,
                ]
            })
            .collect();
        let path = dir.path().join("hello.wav");
        let spec = WavSpec {
            channels: 2,
            sample_rate: 16_000,
        };
        std::fs::write(&path, write_wav(spec, &samples)).unwrap();
        let audio = CallerAudio::for_call(None, Some(&path), 2).await.unwrap();
        assert_eq!(audio.first_utterance_ms, 500);
        assert_eq!(audio.mulaw.len(), 2 * 8_000);
        let loud = audio.mulaw[..4_000]
            .iter()
            .filter(|&&b| b != 0xFF && b != 0x7F)
            .count();
        assert!(loud > 3_000, "the left channel's tone is there: {loud}");
        assert!(
            audio.mulaw[4_000..].iter().all(|&b| b == 0xFF),
            "then silence"
        );

        let missing = dir.path().join("missing.wav");
        let err = CallerAudio::for_call(None, Some(&missing), 2)
            .await
            .unwrap_err();
        assert!(err.contains("missing.wav"), "{err}");
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "not audio").unwrap();
        let err = CallerAudio::for_call(None, Some(&text), 2)
            .await
            .unwrap_err();
        assert!(err.contains("not a usable WAV file"), "{err}");
    }
}
