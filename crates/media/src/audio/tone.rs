//! A steady sine tone (ringback, hold beeps, or a stand-in leg in load runs), generated once
//! as exactly one period at the output rate and then played from the table, so a call task
//! pays a copy per frame instead of a `sin` per sample.

/// One period of a sine at `frequency` Hz, played in a loop.
#[derive(Debug, Clone)]
pub struct Tone {
    period: Vec<i16>,
    position: usize,
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

impl Tone {
    /// A tone of `frequency` Hz at `sample_rate` with peak `amplitude`.
    ///
    /// The table holds `sample_rate / gcd(sample_rate, frequency)` samples (200 for 440 Hz at
    /// 8 kHz), the shortest whole number of cycles that repeats exactly; a frequency of 0 or
    /// at/above Nyquist gives silence.
    pub fn new(frequency: u32, sample_rate: u32, amplitude: i16) -> Self {
        if frequency == 0 || sample_rate == 0 || frequency >= sample_rate / 2 {
            return Self {
                period: vec![0],
                position: 0,
            };
        }
        let len = sample_rate / gcd(sample_rate, frequency);
        let step = 2.0 * std::f64::consts::PI * f64::from(frequency) / f64::from(sample_rate);
        let period = (0..len)
            .map(|n| (f64::from(amplitude) * (step * f64::from(n)).sin()).round() as i16)
            .collect();
        Self {
            period,
            position: 0,
        }
    }

    /// Samples in one table period.
    pub fn period_len(&self) -> usize {
        self.period.len()
    }

    /// Fills `out` with the next samples, continuing where the last call stopped.
    pub fn fill(&mut self, out: &mut [i16]) {
        let mut written = 0;
        while written < out.len() {
            let take = (self.period.len() - self.position).min(out.len() - written);
            out[written..written + take]
                .copy_from_slice(&self.period[self.position..self.position + take]);
            written += take;
            self.position = (self.position + take) % self.period.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_one_exact_period_and_playback_is_continuous() {
        let mut tone = Tone::new(440, 8_000, 3_000);
        assert_eq!(tone.period_len(), 200);
        let mut played = vec![0i16; 1_000];
        for frame in played.chunks_mut(160) {
            tone.fill(frame);
        }
        for (n, sample) in played.iter().enumerate() {
            let expected =
                3_000.0 * (2.0 * std::f64::consts::PI * 440.0 * n as f64 / 8_000.0).sin();
            assert!((f64::from(*sample) - expected).abs() <= 1.0, "sample {n}");
        }
    }

    #[test]
    fn impossible_frequencies_are_silent() {
        for frequency in [0, 4_000, 9_000] {
            let mut tone = Tone::new(frequency, 8_000, 3_000);
            let mut out = [1i16; 50];
            tone.fill(&mut out);
            assert!(out.iter().all(|s| *s == 0), "{frequency} Hz");
        }
    }
}
