//! Mixing call legs: customer, AI, agent and supervisor audio summed into one PCM16 stream.
//!
//! Each leg has its own gain (so a supervisor whisper can be quieter, or a leg muted) and the
//! sum is accumulated in 32 bits and saturated to the PCM16 range, so loud legs clip at the
//! rails instead of wrapping around into full-scale noise. Legs shorter than the output are
//! treated as silence for the rest of the frame. Which legs go into which output is a
//! decision of the call task, not of this module.

/// A linear gain applied to one leg, stored as Q16 fixed point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gain(i32);

impl Gain {
    /// Unity gain.
    pub const UNITY: Gain = Gain(1 << 16);
    /// Muted.
    pub const MUTE: Gain = Gain(0);

    /// A linear gain factor (clamped to 0..=8, non-finite values mute).
    pub fn linear(factor: f32) -> Self {
        if !factor.is_finite() {
            return Self::MUTE;
        }
        Gain((factor.clamp(0.0, 8.0) * 65536.0).round() as i32)
    }

    /// A gain in decibels (−6 dB roughly halves the amplitude).
    pub fn db(decibels: f32) -> Self {
        Self::linear(10f32.powf(decibels / 20.0))
    }

    #[inline]
    fn apply(self, sample: i16) -> i32 {
        ((i64::from(sample) * i64::from(self.0)) >> 16) as i32
    }
}

impl Default for Gain {
    fn default() -> Self {
        Self::UNITY
    }
}

/// Mixes `legs` into `out` (overwriting it), each leg scaled by its gain, with saturation.
///
/// ```
/// use cc_media::audio::mix::{mix_into, Gain};
/// let mut out = [0i16; 2];
/// mix_into(&[(&[30_000, 100][..], Gain::UNITY), (&[30_000, 50][..], Gain::UNITY)], &mut out);
/// assert_eq!(out, [i16::MAX, 150]);
/// ```
pub fn mix_into(legs: &[(&[i16], Gain)], out: &mut [i16]) {
    for (i, slot) in out.iter_mut().enumerate() {
        let sum: i32 = legs
            .iter()
            .filter_map(|(samples, gain)| samples.get(i).map(|&s| gain.apply(s)))
            .sum();
        *slot = sum.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16;
    }
}

/// Interleaves two mono legs into stereo (left first), padding the shorter with silence.
pub fn interleave_stereo(left: &[i16], right: &[i16]) -> Vec<i16> {
    let len = left.len().max(right.len());
    let mut out = Vec::with_capacity(len * 2);
    for i in 0..len {
        out.push(left.get(i).copied().unwrap_or(0));
        out.push(right.get(i).copied().unwrap_or(0));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn legs_are_summed_with_their_gains() {
        let customer = [1000i16, -2000, 3000];
        let ai = [400i16, 400, 400];
        let mut out = [0i16; 3];
        mix_into(
            &[(&customer, Gain::UNITY), (&ai, Gain::linear(0.5))],
            &mut out,
        );
        assert_eq!(out, [1200, -1800, 3200]);
    }

    #[test]
    fn loud_legs_saturate_at_both_rails() {
        let a = [20_000i16, -20_000];
        let b = [20_000i16, -20_000];
        let mut out = [0i16; 2];
        mix_into(&[(&a, Gain::UNITY), (&b, Gain::UNITY)], &mut out);
        assert_eq!(out, [i16::MAX, i16::MIN]);
        mix_into(&[(&a, Gain::linear(8.0))], &mut out);
        assert_eq!(out, [i16::MAX, i16::MIN]);
    }

    #[test]
    fn muted_and_short_legs_contribute_silence() {
        let loud = [10_000i16; 4];
        let short = [5i16];
        let mut out = [7i16; 4];
        mix_into(&[(&loud, Gain::MUTE), (&short, Gain::UNITY)], &mut out);
        assert_eq!(out, [5, 0, 0, 0]);
    }

    #[test]
    fn decibel_gain_matches_the_linear_factor() {
        let mut out = [0i16; 1];
        mix_into(&[(&[10_000], Gain::db(-6.0206))], &mut out);
        assert!((i32::from(out[0]) - 5_000).abs() <= 1, "{}", out[0]);
        assert_eq!(Gain::linear(f32::NAN), Gain::MUTE);
    }

    #[test]
    fn stereo_interleaving_pads_the_shorter_leg() {
        assert_eq!(interleave_stereo(&[1, 2, 3], &[9]), vec![1, 9, 2, 0, 3, 0]);
    }
}
