//! Voice-activity detection by frame energy, for barge-in, silence timeouts and talk-time
//! analytics when no provider VAD is available.
//!
//! Each 20 ms frame's RMS level (dBFS) is compared with an adaptive noise floor. Speech starts
//! after `attack_frames` consecutive loud frames and ends after `hangover_frames` consecutive
//! quiet ones, so short clicks do not count as speech and short pauses do not end it. The
//! noise floor follows quiet frames quickly down and slowly up, so steady line noise is not
//! mistaken for a caller. This is an energy detector, not a speech classifier: music or a loud
//! fan above the threshold counts as activity.

/// Tuning for [`EnergyVad`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VadConfig {
    /// How far above the noise floor a frame must be to count as loud, in dB.
    pub margin_db: f32,
    /// Frames quieter than this (dBFS) are never speech, whatever the floor.
    pub min_level_dbfs: f32,
    /// Consecutive loud frames needed to start speech.
    pub attack_frames: u32,
    /// Consecutive quiet frames needed to end speech.
    pub hangover_frames: u32,
}

impl Default for VadConfig {
    fn default() -> Self {
        Self {
            margin_db: 12.0,
            min_level_dbfs: -50.0,
            attack_frames: 3,
            hangover_frames: 15,
        }
    }
}

/// A change of speech state reported by [`EnergyVad::process`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VadEvent {
    /// The speaker started talking.
    SpeechStarted,
    /// The speaker stopped talking.
    SpeechEnded,
}

/// Stateful energy-based voice-activity detector.
#[derive(Debug, Clone)]
pub struct EnergyVad {
    config: VadConfig,
    noise_floor_db: f32,
    loud_run: u32,
    quiet_run: u32,
    speaking: bool,
}

/// RMS level of a frame in dBFS (0 dB is a full-scale square wave; silence is −100).
pub fn level_dbfs(frame: &[i16]) -> f32 {
    if frame.is_empty() {
        return -100.0;
    }
    let energy: f64 = frame.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
    let rms = (energy / frame.len() as f64).sqrt() / 32768.0;
    if rms <= 1e-5 {
        -100.0
    } else {
        (20.0 * rms.log10()) as f32
    }
}

impl EnergyVad {
    /// A detector with the given tuning.
    pub fn new(config: VadConfig) -> Self {
        Self {
            config,
            noise_floor_db: config.min_level_dbfs - config.margin_db,
            loud_run: 0,
            quiet_run: 0,
            speaking: false,
        }
    }

    /// Whether the detector currently considers the speaker to be talking.
    pub fn is_speaking(&self) -> bool {
        self.speaking
    }

    /// Feeds one frame and returns a state change, if this frame caused one.
    pub fn process(&mut self, frame: &[i16]) -> Option<VadEvent> {
        let level = level_dbfs(frame);
        let threshold =
            (self.noise_floor_db + self.config.margin_db).max(self.config.min_level_dbfs);
        let loud = level > threshold;
        // Track the floor: fast down, slow up on quiet frames, and only creeping up on loud
        // ones, so a steady hum is absorbed within seconds while the pauses of real speech
        // keep pulling the floor back down.
        let rate = if level < self.noise_floor_db {
            0.5
        } else if loud {
            0.005
        } else {
            0.05
        };
        self.noise_floor_db += rate * (level - self.noise_floor_db);
        if loud {
            self.loud_run += 1;
            self.quiet_run = 0;
        } else {
            self.quiet_run += 1;
            self.loud_run = 0;
        }
        if !self.speaking && self.loud_run >= self.config.attack_frames {
            self.speaking = true;
            return Some(VadEvent::SpeechStarted);
        }
        if self.speaking && self.quiet_run >= self.config.hangover_frames {
            self.speaking = false;
            return Some(VadEvent::SpeechEnded);
        }
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn tone_frame(amplitude: f64, offset: usize) -> Vec<i16> {
        (0..160)
            .map(|n| {
                (amplitude
                    * (2.0 * std::f64::consts::PI * 300.0 * (n + offset) as f64 / 8000.0).sin())
                    as i16
            })
            .collect()
    }

    fn noise_frame(amplitude: i32, seed: &mut u32) -> Vec<i16> {
        (0..160)
            .map(|_| {
                *seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                ((*seed >> 16) as i32 % (2 * amplitude + 1) - amplitude) as i16
            })
            .collect()
    }

    #[test]
    fn level_of_known_signals() {
        assert_eq!(level_dbfs(&[0; 160]), -100.0);
        assert!((level_dbfs(&[i16::MAX; 160]) - 0.0).abs() < 0.01);
        // A full-scale sine is 3 dB below a full-scale square.
        assert!((level_dbfs(&tone_frame(32767.0, 0)) + 3.01).abs() < 0.1);
    }

    #[test]
    fn speech_starts_after_the_attack_and_ends_after_the_hangover() {
        let mut vad = EnergyVad::new(VadConfig::default());
        let mut seed = 7;
        let mut events = Vec::new();
        for i in 0..40 {
            events.push((i, vad.process(&noise_frame(30, &mut seed))));
        }
        for i in 40..60 {
            events.push((i, vad.process(&tone_frame(8000.0, i * 160))));
        }
        for i in 60..100 {
            events.push((i, vad.process(&noise_frame(30, &mut seed))));
        }
        let changes: Vec<(usize, VadEvent)> = events
            .into_iter()
            .filter_map(|(i, e)| e.map(|e| (i, e)))
            .collect();
        assert_eq!(
            changes,
            vec![(42, VadEvent::SpeechStarted), (74, VadEvent::SpeechEnded)]
        );
    }

    #[test]
    fn a_click_shorter_than_the_attack_is_not_speech() {
        let mut vad = EnergyVad::new(VadConfig::default());
        for i in 0..10 {
            let frame = if i == 5 || i == 6 {
                tone_frame(20000.0, 0)
            } else {
                vec![0; 160]
            };
            assert_eq!(vad.process(&frame), None, "frame {i}");
        }
        assert!(!vad.is_speaking());
    }

    #[test]
    fn steady_line_noise_raises_the_floor_instead_of_triggering() {
        let mut vad = EnergyVad::new(VadConfig::default());
        let mut seed = 1;
        // Loud hum that starts at once: it may trigger briefly, but must not stay "speech".
        let events: Vec<VadEvent> = (0..400)
            .filter_map(|_| vad.process(&noise_frame(3000, &mut seed)))
            .collect();
        assert_eq!(events, vec![VadEvent::SpeechStarted, VadEvent::SpeechEnded]);
        assert!(!vad.is_speaking());
    }
}
