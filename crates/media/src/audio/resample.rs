//! Streaming PCM16 sample-rate conversion between the telephony and AI-provider rates
//! (8, 16 and 24 kHz, and any other pair with a small rational ratio).
//!
//! The converter is a polyphase FIR: conceptually the input is upsampled by `L`, low-pass
//! filtered with a Kaiser-windowed sinc, and decimated by `M`, but only the taps that meet a
//! non-zero input sample are evaluated. The cut-off sits halfway between the pass-band edge
//! (0.425 × the lower rate, 3.4 kHz for telephony) and the stop-band edge (0.575 × the lower
//! rate), which keeps both the images of upsampling and the aliases of decimation out of the
//! telephone band, at about 80 dB of stop-band attenuation.
//!
//! State (the filter history and the fractional phase) is kept between calls, so a call's audio
//! can be fed in 20 ms chunks without clicks at the chunk boundaries. Use one [`Resampler`] per
//! direction per call leg.

use thiserror::Error;

/// Target stop-band attenuation in dB; sets the Kaiser window and the filter length.
const STOPBAND_DB: f64 = 80.0;
/// Pass-band edge as a fraction of the lower of the two rates.
const PASS_EDGE: f64 = 0.425;
/// Stop-band edge as a fraction of the lower of the two rates.
const STOP_EDGE: f64 = 0.575;

/// Why a resampler could not be built.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ResampleError {
    /// A rate of zero was given.
    #[error("sample rates must be positive (got {from} Hz -> {to} Hz)")]
    ZeroRate {
        /// Input rate.
        from: u32,
        /// Output rate.
        to: u32,
    },
    /// The reduced ratio needs an impractically long filter.
    #[error("ratio {from} Hz -> {to} Hz reduces to {up}/{down}, which is too fine to filter")]
    RatioTooFine {
        /// Input rate.
        from: u32,
        /// Output rate.
        to: u32,
        /// Upsampling factor after reduction.
        up: u32,
        /// Decimation factor after reduction.
        down: u32,
    },
}

/// A stateful rational-ratio resampler for mono PCM16.
///
/// ```
/// use cc_media::audio::resample::Resampler;
/// let mut up = Resampler::new(8_000, 16_000).unwrap();
/// let mut out = Vec::new();
/// up.process(&[0i16; 160], &mut out);
/// assert_eq!(out.len(), 320);
/// ```
#[derive(Debug, Clone)]
pub struct Resampler {
    from: u32,
    to: u32,
    up: usize,
    down: usize,
    taps_per_phase: usize,
    /// `phases[p][j]` is prototype tap `p + (K - 1 - j) * up`, scaled so each phase has unity
    /// DC gain; stored oldest-sample first so the dot product runs forwards over the history.
    phases: Vec<Vec<f32>>,
    /// Input history: the last `taps_per_phase - 1` samples plus any not yet consumed.
    history: Vec<f32>,
    /// Position of the next output on the upsampled time axis, relative to `history[0]`.
    position: usize,
}

impl Resampler {
    /// Builds a resampler from `from` Hz to `to` Hz.
    pub fn new(from: u32, to: u32) -> Result<Self, ResampleError> {
        if from == 0 || to == 0 {
            return Err(ResampleError::ZeroRate { from, to });
        }
        let g = gcd(from, to);
        let (up, down) = (to / g, from / g);
        if up > 64 || down > 64 {
            return Err(ResampleError::RatioTooFine { from, to, up, down });
        }
        let (up, down) = (up as usize, down as usize);
        let upsampled_rate = f64::from(from) * up as f64;
        let lower = f64::from(from.min(to));
        let transition = (STOP_EDGE - PASS_EDGE) * lower / upsampled_rate;
        let cutoff = 0.5 * (PASS_EDGE + STOP_EDGE) * lower / upsampled_rate;
        // Kaiser's estimate of the length needed for the attenuation and transition width.
        let estimate = (STOPBAND_DB - 7.95) / (2.285 * 2.0 * std::f64::consts::PI * transition);
        let taps_per_phase = ((estimate.ceil() as usize + 1).div_ceil(up)).max(2);
        let prototype = kaiser_sinc(taps_per_phase * up, cutoff, kaiser_beta(STOPBAND_DB));

        let mut phases = vec![vec![0.0f32; taps_per_phase]; up];
        for (p, phase) in phases.iter_mut().enumerate() {
            let taps: Vec<f64> = (0..taps_per_phase).map(|k| prototype[p + k * up]).collect();
            let sum: f64 = taps.iter().sum();
            for (dst, tap) in phase.iter_mut().zip(taps.iter().rev()) {
                *dst = (tap / sum) as f32;
            }
        }
        Ok(Self {
            from,
            to,
            up,
            down,
            taps_per_phase,
            phases,
            history: vec![0.0; taps_per_phase - 1],
            position: (taps_per_phase - 1) * up,
        })
    }

    /// Input rate in Hz.
    pub fn input_rate(&self) -> u32 {
        self.from
    }

    /// Output rate in Hz.
    pub fn output_rate(&self) -> u32 {
        self.to
    }

    /// Filter delay in output samples (how far the output lags the input).
    pub fn delay_output_samples(&self) -> usize {
        (self.taps_per_phase * self.up) / 2 / self.down
    }

    /// Number of taps evaluated per output sample.
    pub fn taps_per_output(&self) -> usize {
        self.taps_per_phase
    }

    /// Converts `input`, appending the produced samples to `output`.
    ///
    /// Over a long stream the output length is `input * to / from`; a single call may produce
    /// one sample more or less than that because the fractional phase carries over.
    pub fn process(&mut self, input: &[i16], output: &mut Vec<i16>) {
        if self.up == 1 && self.down == 1 {
            output.extend_from_slice(input);
            return;
        }
        self.history.extend(input.iter().map(|&s| f32::from(s)));
        let k = self.taps_per_phase;
        while self.position / self.up < self.history.len() {
            let newest = self.position / self.up;
            let phase = &self.phases[self.position % self.up];
            let window = &self.history[newest + 1 - k..=newest];
            let acc = dot(phase, window);
            // Round half away from zero; `as` saturates at the i16 rails (and maps NaN to 0).
            // `f32::round` would be a libm call on baseline x86-64, the slowest step here.
            output.push((acc + 0.5f32.copysign(acc)) as i16);
            self.position += self.down;
        }
        let consumed = (self.position / self.up).saturating_sub(k - 1);
        let consumed = consumed.min(self.history.len());
        self.history.drain(..consumed);
        self.position -= consumed * self.up;
    }

    /// Forgets all history, as at the start of a new stream.
    pub fn reset(&mut self) {
        self.history.clear();
        self.history.resize(self.taps_per_phase - 1, 0.0);
        self.position = (self.taps_per_phase - 1) * self.up;
    }
}

/// Dot product with eight independent partial sums, which lets the compiler vectorise it
/// (a single running float sum must be evaluated strictly in order).
#[inline]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (a_chunks, b_chunks) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a_chunks
        .remainder()
        .iter()
        .zip(b_chunks.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (ca, cb) in a_chunks.zip(b_chunks) {
        for i in 0..8 {
            lanes[i] += ca[i] * cb[i];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn kaiser_beta(attenuation_db: f64) -> f64 {
    if attenuation_db > 50.0 {
        0.1102 * (attenuation_db - 8.7)
    } else {
        0.5842 * (attenuation_db - 21.0).powf(0.4) + 0.07886 * (attenuation_db - 21.0)
    }
}

/// Zeroth-order modified Bessel function of the first kind, by its power series.
fn bessel_i0(x: f64) -> f64 {
    let mut sum = 1.0;
    let mut term = 1.0;
    let half = x / 2.0;
    for k in 1..64 {
        term *= (half / k as f64).powi(2);
        sum += term;
        if term < sum * 1e-12 {
            break;
        }
    }
    sum
}

/// A Kaiser-windowed sinc low-pass of `len` taps with cut-off `cutoff` (cycles per sample).
fn kaiser_sinc(len: usize, cutoff: f64, beta: f64) -> Vec<f64> {
    let centre = (len as f64 - 1.0) / 2.0;
    let norm = bessel_i0(beta);
    (0..len)
        .map(|n| {
            let t = n as f64 - centre;
            let x = 2.0 * std::f64::consts::PI * cutoff * t;
            let sinc = if t == 0.0 { 1.0 } else { x.sin() / x };
            let r = t / (centre + 1.0);
            let window = bessel_i0(beta * (1.0 - r * r).max(0.0).sqrt()) / norm;
            2.0 * cutoff * sinc * window
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn tone(freq: f64, rate: u32, len: usize, amplitude: f64) -> Vec<i16> {
        (0..len)
            .map(|n| {
                let t = n as f64 / f64::from(rate);
                (amplitude * (2.0 * std::f64::consts::PI * freq * t).sin()).round() as i16
            })
            .collect()
    }

    /// Amplitude of the `freq` component of `x` (a single-bin DFT).
    fn amplitude_at(x: &[i16], freq: f64, rate: u32) -> f64 {
        let (mut re, mut im) = (0.0, 0.0);
        for (n, &s) in x.iter().enumerate() {
            let w = 2.0 * std::f64::consts::PI * freq * n as f64 / f64::from(rate);
            re += f64::from(s) * w.cos();
            im += f64::from(s) * w.sin();
        }
        2.0 * (re * re + im * im).sqrt() / x.len() as f64
    }

    /// Runs `input` through in 20 ms chunks and drops the filter's start-up transient.
    fn run(from: u32, to: u32, input: &[i16]) -> Vec<i16> {
        let mut r = Resampler::new(from, to).unwrap();
        let mut out = Vec::new();
        for chunk in input.chunks(from as usize / 50) {
            r.process(chunk, &mut out);
        }
        let skip = 2 * r.delay_output_samples();
        out.split_off(skip)
    }

    fn db(ratio: f64) -> f64 {
        20.0 * ratio.log10()
    }

    #[test]
    fn output_length_follows_the_ratio_across_chunks() {
        for (from, to) in [
            (8_000, 16_000),
            (8_000, 24_000),
            (16_000, 8_000),
            (24_000, 8_000),
            (16_000, 24_000),
            (24_000, 16_000),
        ] {
            let mut r = Resampler::new(from, to).unwrap();
            let mut out = Vec::new();
            let chunk = vec![0i16; from as usize / 50];
            for _ in 0..50 {
                r.process(&chunk, &mut out);
            }
            let expected = to as usize;
            assert!(
                out.len().abs_diff(expected) <= 1,
                "{from}->{to}: {} samples",
                out.len()
            );
        }
    }

    #[test]
    fn passband_tone_keeps_its_level() {
        for (from, to) in [
            (8_000, 16_000),
            (8_000, 24_000),
            (16_000, 8_000),
            (24_000, 8_000),
            (16_000, 24_000),
            (24_000, 16_000),
        ] {
            let out = run(from, to, &tone(1_000.0, from, from as usize, 10_000.0));
            let level = amplitude_at(&out, 1_000.0, to);
            assert!(
                (level - 10_000.0).abs() < 150.0,
                "{from}->{to}: level {level}"
            );
        }
    }

    #[test]
    fn upsampling_images_are_suppressed_in_the_stop_band() {
        for (from, to) in [(8_000, 16_000), (8_000, 24_000)] {
            // A 1 kHz tone at 8 kHz leaves images at 7 kHz (and 9 kHz at 24 kHz output).
            let out = run(from, to, &tone(1_000.0, from, from as usize, 16_000.0));
            let wanted = amplitude_at(&out, 1_000.0, to);
            let image = amplitude_at(&out, 7_000.0, to);
            let attenuation = db(wanted / image.max(1e-9));
            assert!(
                attenuation > 70.0,
                "{from}->{to}: image only {attenuation:.1} dB down"
            );
        }
    }

    #[test]
    fn decimation_aliases_are_suppressed_in_the_stop_band() {
        for (from, to, probe, alias) in [
            (24_000, 8_000, 6_000.0, 2_000.0),
            (16_000, 8_000, 5_500.0, 2_500.0),
            (24_000, 16_000, 10_000.0, 6_000.0),
        ] {
            let reference = run(from, to, &tone(1_000.0, from, from as usize, 16_000.0));
            let wanted = amplitude_at(&reference, 1_000.0, to);
            let out = run(from, to, &tone(probe, from, from as usize, 16_000.0));
            let aliased = amplitude_at(&out, alias, to);
            let attenuation = db(wanted / aliased.max(1e-9));
            assert!(
                attenuation > 70.0,
                "{from}->{to}: alias of {probe} Hz only {attenuation:.1} dB down"
            );
        }
    }

    #[test]
    fn chunking_does_not_change_the_output() {
        let input = tone(440.0, 8_000, 4_000, 12_000.0);
        let mut whole = Resampler::new(8_000, 24_000).unwrap();
        let mut a = Vec::new();
        whole.process(&input, &mut a);
        let mut pieces = Resampler::new(8_000, 24_000).unwrap();
        let mut b = Vec::new();
        for chunk in input.chunks(37) {
            pieces.process(chunk, &mut b);
        }
        assert_eq!(a, b);
    }

    #[test]
    fn invalid_rates_are_rejected() {
        assert_eq!(
            Resampler::new(0, 8_000).unwrap_err(),
            ResampleError::ZeroRate { from: 0, to: 8_000 }
        );
        assert!(matches!(
            Resampler::new(44_101, 8_000),
            Err(ResampleError::RatioTooFine { .. })
        ));
    }

    #[test]
    fn full_scale_input_saturates_instead_of_wrapping() {
        let square: Vec<i16> = (0..1600)
            .map(|n| {
                if (n / 20) % 2 == 0 {
                    i16::MAX
                } else {
                    i16::MIN
                }
            })
            .collect();
        let mut r = Resampler::new(8_000, 16_000).unwrap();
        let mut out = Vec::new();
        r.process(&square, &mut out);
        // Gibbs overshoot must clamp at the rails; a wrap would flip sign next to a rail.
        for w in out.windows(2) {
            assert!(!(w[0] > 30_000 && w[1] < -30_000 || w[0] < -30_000 && w[1] > 30_000));
        }
    }
}
