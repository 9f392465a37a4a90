//! G.711 companding: µ-law (North America, Japan; what Twilio and Telnyx PCMU carry) and
//! A-law (Europe; Telnyx PCMA).
//!
//! Every direction is a table lookup. The tables are computed at compile time from the
//! ITU-T G.711 segment rules, so there is no startup cost and no global state. µ-law encoding
//! follows the classic table method (bias 0x84, clip 32635, no zero trap); A-law follows the
//! 13-bit segment method. Decoding is exact per the standard: every code maps to the middle of
//! its quantisation interval.
//!
//! This module does not resample or frame audio; see [`super::resample`] and [`super::frame`].

/// µ-law encoder bias added to the magnitude before the segment search.
const ULAW_BIAS: i32 = 0x84;
/// Largest magnitude µ-law can represent before the bias is added.
const ULAW_CLIP: i32 = 32635;

/// µ-law code of digital silence (positive zero).
pub const ULAW_SILENCE: u8 = 0xFF;
/// A-law code of the smallest positive value, the usual A-law silence byte.
pub const ALAW_SILENCE: u8 = 0xD5;

const fn ulaw_decode_one(code: u8) -> i16 {
    let u = !code;
    let exponent = ((u >> 4) & 0x07) as i32;
    let mantissa = (u & 0x0F) as i32;
    let magnitude = (((mantissa << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
    if u & 0x80 != 0 {
        -magnitude as i16
    } else {
        magnitude as i16
    }
}

const fn alaw_decode_one(code: u8) -> i16 {
    let a = code ^ 0x55;
    let segment = ((a & 0x70) >> 4) as i32;
    let mut t = ((a & 0x0F) as i32) << 4;
    t = match segment {
        0 => t + 8,
        1 => t + 0x108,
        _ => (t + 0x108) << (segment - 1),
    };
    if a & 0x80 != 0 { t as i16 } else { -t as i16 }
}

const ULAW_DECODE: [i16; 256] = {
    let mut table = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = ulaw_decode_one(i as u8);
        i += 1;
    }
    table
};

const ALAW_DECODE: [i16; 256] = {
    let mut table = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = alaw_decode_one(i as u8);
        i += 1;
    }
    table
};

/// µ-law exponent+mantissa (before sign and inversion), indexed by `(magnitude + BIAS) >> 3`.
const ULAW_ENCODE: [u8; 4096] = {
    let mut table = [0u8; 4096];
    let mut idx = 0;
    while idx < 4096 {
        // The exponent is the position of the highest set bit of (biased >> 7), clamped to 0..=7.
        let high = (idx >> 4) as u32;
        let exponent = if high == 0 {
            0
        } else {
            31 - high.leading_zeros()
        };
        let mantissa = (idx >> exponent) & 0x0F;
        table[idx] = ((exponent << 4) as usize | mantissa) as u8;
        idx += 1;
    }
    table
};

/// A-law segment+quantisation (before sign and the 0x55 toggle), indexed by the 13-bit magnitude.
const ALAW_ENCODE: [u8; 4096] = {
    let mut table = [0u8; 4096];
    let mut mag = 0usize;
    while mag < 4096 {
        // Segment ends of the 13-bit magnitude: 0x1F, 0x3F, 0x7F, ... 0xFFF.
        let mut segment = 0usize;
        while segment < 7 && mag > (0x20 << segment) - 1 {
            segment += 1;
        }
        let quant = if segment < 2 {
            (mag >> 1) & 0x0F
        } else {
            (mag >> segment) & 0x0F
        };
        table[mag] = ((segment << 4) | quant) as u8;
        mag += 1;
    }
    table
};

/// Encodes one linear PCM16 sample to µ-law.
///
/// ```
/// assert_eq!(cc_media::audio::g711::ulaw_encode(0), 0xFF);
/// assert_eq!(cc_media::audio::g711::ulaw_encode(-32768), 0x00);
/// ```
#[inline]
pub fn ulaw_encode(sample: i16) -> u8 {
    let s = i32::from(sample);
    let sign: u8 = if s < 0 { 0x80 } else { 0 };
    let magnitude = s.unsigned_abs().min(ULAW_CLIP as u32) as i32 + ULAW_BIAS;
    let index = (magnitude >> 3) as usize & 0x0FFF;
    !(sign | ULAW_ENCODE[index])
}

/// Decodes one µ-law byte to linear PCM16.
#[inline]
pub fn ulaw_decode(code: u8) -> i16 {
    ULAW_DECODE[usize::from(code)]
}

/// Encodes one linear PCM16 sample to A-law.
///
/// ```
/// assert_eq!(cc_media::audio::g711::alaw_encode(0), 0xD5);
/// ```
#[inline]
pub fn alaw_encode(sample: i16) -> u8 {
    // A-law quantises the top 13 bits; negative values use one's-complement magnitude.
    let s13 = i32::from(sample) >> 3;
    let (mask, magnitude) = if s13 >= 0 {
        (0xD5u8, s13)
    } else {
        (0x55u8, -s13 - 1)
    };
    ALAW_ENCODE[magnitude as usize & 0x0FFF] ^ mask
}

/// Decodes one A-law byte to linear PCM16.
#[inline]
pub fn alaw_decode(code: u8) -> i16 {
    ALAW_DECODE[usize::from(code)]
}

/// Decodes a µ-law buffer, appending the PCM16 samples to `out`.
pub fn decode_ulaw_into(codes: &[u8], out: &mut Vec<i16>) {
    out.extend(codes.iter().map(|&c| ulaw_decode(c)));
}

/// Encodes PCM16 samples to µ-law, appending the codes to `out`.
pub fn encode_ulaw_into(samples: &[i16], out: &mut Vec<u8>) {
    out.extend(samples.iter().map(|&s| ulaw_encode(s)));
}

/// Decodes an A-law buffer, appending the PCM16 samples to `out`.
pub fn decode_alaw_into(codes: &[u8], out: &mut Vec<i16>) {
    out.extend(codes.iter().map(|&c| alaw_decode(c)));
}

/// Encodes PCM16 samples to A-law, appending the codes to `out`.
pub fn encode_alaw_into(samples: &[i16], out: &mut Vec<u8>) {
    out.extend(samples.iter().map(|&s| alaw_encode(s)));
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn ulaw_encodes_the_reference_values() {
        let cases: [(i16, u8); 14] = [
            (0, 0xFF),
            (1, 0xFF),
            (-1, 0x7F),
            (8, 0xFE),
            (-8, 0x7E),
            (100, 0xF2),
            (-100, 0x72),
            (1000, 0xCE),
            (-1000, 0x4E),
            (4000, 0xAF),
            (10000, 0x9C),
            (-10000, 0x1C),
            (32767, 0x80),
            (-32768, 0x00),
        ];
        for (pcm, code) in cases {
            assert_eq!(ulaw_encode(pcm), code, "encode {pcm}");
        }
    }

    #[test]
    fn ulaw_decodes_the_reference_values() {
        let cases: [(u8, i16); 11] = [
            (0xFF, 0),
            (0x7F, 0),
            (0x80, 32124),
            (0x00, -32124),
            (0x01, -31100),
            (0x0F, -16764),
            (0x10, -15996),
            (0x8F, 16764),
            (0xF0, 120),
            (0xFE, 8),
            (0x7E, -8),
        ];
        for (code, pcm) in cases {
            assert_eq!(ulaw_decode(code), pcm, "decode {code:#04x}");
        }
    }

    #[test]
    fn ulaw_encodes_a_1khz_tone_as_published() {
        let pcm = [0, 5657, 8000, 5657, 0, -5657, -8000, -5657];
        let mut codes = Vec::new();
        encode_ulaw_into(&pcm, &mut codes);
        assert_eq!(codes, [0xFF, 0xA9, 0xA0, 0xA9, 0xFF, 0x29, 0x20, 0x29]);
    }

    #[test]
    fn every_ulaw_code_survives_decode_then_encode() {
        for code in 0..=255u8 {
            let back = ulaw_encode(ulaw_decode(code));
            // 0x7F is "negative zero", which decodes to 0 and re-encodes as positive zero.
            let expected = if code == 0x7F { 0xFF } else { code };
            assert_eq!(back, expected, "code {code:#04x}");
        }
    }

    #[test]
    fn ulaw_round_trip_error_stays_within_half_a_quantisation_step() {
        for s in i16::MIN..=i16::MAX {
            let decoded = i32::from(ulaw_decode(ulaw_encode(s)));
            let s = i32::from(s);
            let err = (decoded - s).abs();
            if s.abs() > ULAW_CLIP {
                assert_eq!(decoded.abs(), 32124, "clipped sample {s}");
            } else {
                // A segment's step is 1/16 of its biased lower edge; decode lands mid-step.
                let bound = (s.abs() + ULAW_BIAS) / 32 + 1;
                assert!(err <= bound, "sample {s}: error {err} > {bound}");
            }
        }
    }

    #[test]
    fn alaw_matches_the_standard_reference_values() {
        // Positive and negative smallest codes, largest magnitude codes and segment edges.
        assert_eq!(alaw_decode(0xD5), 8);
        assert_eq!(alaw_decode(0x55), -8);
        assert_eq!(alaw_decode(0xAA), 32256);
        assert_eq!(alaw_decode(0x2A), -32256);
        assert_eq!(alaw_decode(0xC5), 264); // segment 1, quant 0
        assert_eq!(alaw_encode(0), 0xD5);
        assert_eq!(alaw_encode(-1), 0x55);
        assert_eq!(alaw_encode(32767), 0xAA);
        assert_eq!(alaw_encode(-32768), 0x2A);
        assert_eq!(alaw_encode(264), 0xC5);
    }

    #[test]
    fn every_alaw_code_survives_decode_then_encode() {
        for code in 0..=255u8 {
            assert_eq!(alaw_encode(alaw_decode(code)), code, "code {code:#04x}");
        }
    }

    #[test]
    fn alaw_round_trip_error_stays_within_half_a_quantisation_step() {
        for s in i16::MIN..=i16::MAX {
            let decoded = i32::from(alaw_decode(alaw_encode(s)));
            let s = i32::from(s);
            let err = (decoded - s).abs();
            if s.abs() > 32256 + 256 {
                assert_eq!(decoded.abs(), 32256, "clipped sample {s}");
            } else {
                // Segments 0 and 1 share a 16-unit step; above, the step is 1/16 of the edge.
                let bound = (s.abs() / 32).max(8) + 1;
                assert!(err <= bound, "sample {s}: error {err} > {bound}");
            }
        }
    }

    #[test]
    fn ulaw_decode_is_monotonic_over_positive_codes() {
        // Codes 0xFF down to 0x80 are increasing positive magnitudes.
        let values: Vec<i16> = (0x80..=0xFFu8).rev().map(ulaw_decode).collect();
        assert!(values.windows(2).all(|w| w[0] < w[1]));
    }
}
