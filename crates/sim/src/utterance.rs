//! Turn detection shared by the fake AI peers: decode µ-law 8 kHz, cut into 20 ms frames,
//! and run cc-media's energy VAD, so the fakes react to speech-like audio as a real provider's
//! VAD would, without any recognition.

use std::path::Path;

use cc_media::audio::frame::Framer;
use cc_media::audio::g711::{decode_ulaw_into, ulaw_encode};
use cc_media::audio::vad::{EnergyVad, VadConfig, VadEvent};

/// Turns a stream of caller audio into speech start/stop events.
pub struct UtteranceDetector {
    framer: Framer<u8>,
    vad: EnergyVad,
    pcm: Vec<i16>,
}

impl Default for UtteranceDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl UtteranceDetector {
    /// A detector with a short hangover (300 ms), so tests end turns quickly.
    pub fn new() -> Self {
        let config = VadConfig {
            hangover_frames: 15,
            ..VadConfig::default()
        };
        Self {
            framer: Framer::for_rate(8_000),
            vad: EnergyVad::new(config),
            pcm: Vec::with_capacity(160),
        }
    }

    /// Feeds µ-law bytes; returns the VAD events they caused, in order.
    pub fn push(&mut self, mulaw: &[u8]) -> Vec<VadEvent> {
        let mut events = Vec::new();
        for frame in self.framer.push(mulaw) {
            self.pcm.clear();
            decode_ulaw_into(&frame, &mut self.pcm);
            events.extend(self.vad.process(&self.pcm));
        }
        events
    }
}

/// `ms` of a speech-like test signal (a 300 Hz tone with a 4 Hz syllable envelope), µ-law.
pub fn speech_like(ms: u32) -> Vec<u8> {
    let samples = (ms * 8) as usize;
    (0..samples)
        .map(|n| {
            let t = n as f64 / 8000.0;
            let envelope = 0.6 + 0.4 * (2.0 * std::f64::consts::PI * 4.0 * t).sin();
            ulaw_encode((9000.0 * envelope * (2.0 * std::f64::consts::PI * 300.0 * t).sin()) as i16)
        })
        .collect()
}

/// `ms` of µ-law digital silence.
pub fn silence(ms: u32) -> Vec<u8> {
    vec![0xFF; (ms * 8) as usize]
}

/// Environment variable naming the side-channel file: the text the simulated caller is
/// saying, so the fake AI peers (possibly in another `cc-sim` process) can "recognise" it.
pub const SIDE_CHANNEL_ENV: &str = "CC_SIM_SIDE_CHANNEL";

/// Records what the caller says on the side channel, when one is configured.
pub fn publish_said(text: &str) {
    if let Some(path) = std::env::var_os(SIDE_CHANNEL_ENV) {
        publish_said_to(Path::new(&path), text);
    }
}

/// Records what the caller says in the side-channel file `path`.
pub fn publish_said_to(path: &Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        tracing::warn!(error = %e, "could not write the side channel");
    }
}

/// The transcript of the caller's `turn`-th utterance: the text on the side channel when the
/// caller published one, else `utterance N`.
pub fn transcript(turn: u32) -> String {
    transcript_in(
        std::env::var_os(SIDE_CHANNEL_ENV).as_deref().map(Path::new),
        turn,
    )
}

/// [`transcript`] with the side-channel file given.
pub fn transcript_in(side_channel: Option<&Path>, turn: u32) -> String {
    side_channel
        .and_then(|path| std::fs::read_to_string(path).ok())
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
        .unwrap_or_else(|| format!("utterance {turn}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_side_channel_carries_what_the_caller_said() {
        let path = std::env::temp_dir().join(format!("cc-sim-said-{}", std::process::id()));
        assert_eq!(transcript_in(Some(&path), 2), "utterance 2");
        publish_said_to(&path, "I want to cancel my order\n");
        assert_eq!(transcript_in(Some(&path), 2), "I want to cancel my order");
        std::fs::remove_file(&path).ok();
        assert_eq!(transcript_in(None, 3), "utterance 3");
    }
}
