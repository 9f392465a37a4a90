//! Turn detection shared by the fake AI peers: decode µ-law 8 kHz, cut into 20 ms frames,
//! and run cc-media's energy VAD, so the fakes react to speech-like audio as a real provider's
//! VAD would, without any recognition.

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
