//! WAV (RIFF, PCM 16-bit) reading and writing for call recordings and test fixtures.
//!
//! Recordings are stereo with the customer on the left and the agent or AI on the right
//! (see [`super::mix::interleave_stereo`]). Only uncompressed 16-bit PCM is read or written;
//! unknown chunks (`LIST`, `fact`, ...) are skipped. Streaming writes to object storage are
//! not this module's concern: it works on whole buffers.

use thiserror::Error;

/// Why a WAV buffer could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum WavError {
    /// The buffer does not start with `RIFF....WAVE`.
    #[error("not a RIFF/WAVE file")]
    NotWave,
    /// A chunk header or body runs past the end of the buffer.
    #[error("truncated {0} chunk")]
    Truncated(&'static str),
    /// No `fmt ` chunk before the `data` chunk.
    #[error("missing fmt chunk")]
    MissingFormat,
    /// No `data` chunk.
    #[error("missing data chunk")]
    MissingData,
    /// The format is not 16-bit linear PCM.
    #[error("unsupported WAV format tag {format_tag} with {bits} bits per sample")]
    Unsupported {
        /// WAVE format tag (1 is PCM).
        format_tag: u16,
        /// Bits per sample.
        bits: u16,
    },
    /// Channels or sample rate of zero, or so large that the header's block align (u16) or
    /// byte rate (u32) cannot hold them.
    #[error("invalid WAV header: {0}")]
    InvalidHeader(&'static str),
}

/// Channel count and rate of a PCM16 WAV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WavSpec {
    /// 1 for mono, 2 for stereo.
    pub channels: u16,
    /// Samples per second per channel.
    pub sample_rate: u32,
}

/// A decoded PCM16 WAV: interleaved samples and their layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wav {
    /// Layout of `samples`.
    pub spec: WavSpec,
    /// Interleaved samples (L, R, L, R, ... for stereo).
    pub samples: Vec<i16>,
}

impl Wav {
    /// Samples of one channel (0 = left), de-interleaved.
    pub fn channel(&self, index: u16) -> Vec<i16> {
        let channels = usize::from(self.spec.channels.max(1));
        self.samples
            .iter()
            .skip(usize::from(index))
            .step_by(channels)
            .copied()
            .collect()
    }

    /// Duration in milliseconds.
    pub fn duration_ms(&self) -> u64 {
        let frames = self.samples.len() as u64 / u64::from(self.spec.channels.max(1));
        frames * 1000 / u64::from(self.spec.sample_rate.max(1))
    }
}

/// Block align and byte rate of `spec`, or `None` when they do not fit their header fields.
fn derived_fields(spec: WavSpec) -> Option<(u16, u32)> {
    let block_align = spec.channels.checked_mul(2)?;
    let byte_rate = spec.sample_rate.checked_mul(u32::from(block_align))?;
    Some((block_align, byte_rate))
}

/// Serialises interleaved PCM16 samples as a canonical 44-byte-header WAV.
///
/// Header fields that cannot hold their value (over 4 GiB of data, or a spec
/// [`read_wav`] would refuse) are written as their maximum rather than wrapped.
pub fn write_wav(spec: WavSpec, samples: &[i16]) -> Vec<u8> {
    let data_bytes = samples.len().saturating_mul(2);
    let data_len = u32::try_from(data_bytes).unwrap_or(u32::MAX);
    let (block_align, byte_rate) = derived_fields(spec).unwrap_or((u16::MAX, u32::MAX));
    let mut out = Vec::with_capacity(data_bytes.saturating_add(44));
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&data_len.saturating_add(36).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&spec.channels.to_le_bytes());
    out.extend_from_slice(&spec.sample_rate.to_le_bytes());
    out.extend_from_slice(&byte_rate.to_le_bytes());
    out.extend_from_slice(&block_align.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Parses a PCM16 WAV buffer.
pub fn read_wav(bytes: &[u8]) -> Result<Wav, WavError> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(WavError::NotWave);
    }
    let mut spec = None;
    let mut at: usize = 12;
    // `at` is at most a chunk length past the end of `bytes`, so `at + 8` cannot overflow on
    // 64-bit targets; the checked form keeps 32-bit targets (a 4 GiB length) safe too.
    while let Some(body_start) = at.checked_add(8).filter(|&end| end <= bytes.len()) {
        let id = &bytes[at..at + 4];
        let len = u32_at(bytes, at + 4).ok_or(WavError::Truncated("chunk header"))? as usize;
        let body_end = body_start
            .checked_add(len)
            .ok_or(WavError::Truncated("chunk"))?;
        match id {
            b"fmt " => {
                let body = bytes
                    .get(body_start..body_end)
                    .ok_or(WavError::Truncated("fmt"))?;
                if body.len() < 16 {
                    return Err(WavError::Truncated("fmt"));
                }
                let format_tag = u16_at(body, 0).ok_or(WavError::Truncated("fmt"))?;
                let channels = u16_at(body, 2).ok_or(WavError::Truncated("fmt"))?;
                let sample_rate = u32_at(body, 4).ok_or(WavError::Truncated("fmt"))?;
                let bits = u16_at(body, 14).ok_or(WavError::Truncated("fmt"))?;
                if format_tag != 1 || bits != 16 {
                    return Err(WavError::Unsupported { format_tag, bits });
                }
                if channels == 0 || sample_rate == 0 {
                    return Err(WavError::InvalidHeader("zero channels or sample rate"));
                }
                let parsed = WavSpec {
                    channels,
                    sample_rate,
                };
                if derived_fields(parsed).is_none() {
                    return Err(WavError::InvalidHeader(
                        "channels and sample rate overflow the block align or byte rate",
                    ));
                }
                spec = Some(parsed);
            }
            b"data" => {
                let spec = spec.ok_or(WavError::MissingFormat)?;
                // Some writers leave the data length unset while streaming; take what is there.
                let body = &bytes[body_start.min(bytes.len())..body_end.min(bytes.len())];
                let samples = body
                    .chunks_exact(2)
                    .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
                    .collect();
                return Ok(Wav { spec, samples });
            }
            _ => {}
        }
        // Chunks are padded to an even length.
        at = body_end.saturating_add(len & 1);
    }
    Err(WavError::MissingData)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::audio::mix::interleave_stereo;

    #[test]
    fn stereo_recording_round_trips_with_channels_intact() {
        let customer: Vec<i16> = (0..800).map(|i| (i * 37 % 2000 - 1000) as i16).collect();
        let agent: Vec<i16> = (0..800).map(|i| (i * 11 % 500) as i16).collect();
        let spec = WavSpec {
            channels: 2,
            sample_rate: 8_000,
        };
        let bytes = write_wav(spec, &interleave_stereo(&customer, &agent));
        assert_eq!(bytes.len(), 44 + 800 * 4);
        assert_eq!(&bytes[..4], b"RIFF");
        let wav = read_wav(&bytes).unwrap();
        assert_eq!(wav.spec, spec);
        assert_eq!(wav.channel(0), customer);
        assert_eq!(wav.channel(1), agent);
        assert_eq!(wav.duration_ms(), 100);
    }

    #[test]
    fn header_fields_are_the_canonical_ones() {
        let bytes = write_wav(
            WavSpec {
                channels: 2,
                sample_rate: 16_000,
            },
            &[0; 4],
        );
        assert_eq!(u32_at(&bytes, 4), Some(36 + 8));
        assert_eq!(u32_at(&bytes, 28), Some(64_000)); // byte rate
        assert_eq!(u16_at(&bytes, 32), Some(4)); // block align
        assert_eq!(u32_at(&bytes, 40), Some(8));
    }

    #[test]
    fn unknown_chunks_are_skipped() {
        let mut bytes = write_wav(
            WavSpec {
                channels: 1,
                sample_rate: 8_000,
            },
            &[1, -1],
        );
        // Insert an odd-length LIST chunk (with its pad byte) between fmt and data.
        let extra = [b"LIST".as_slice(), &3u32.to_le_bytes(), b"abc\0"].concat();
        bytes.splice(36..36, extra);
        assert_eq!(read_wav(&bytes).unwrap().samples, vec![1, -1]);
    }

    #[test]
    fn headers_whose_derived_fields_overflow_are_refused() {
        let good = write_wav(
            WavSpec {
                channels: 1,
                sample_rate: 8_000,
            },
            &[1, 2],
        );
        // Block align (channels * 2) must fit in u16, byte rate (rate * align) in u32.
        for (channels, sample_rate) in [(u16::MAX, 8_000), (32_768, 8_000), (2, u32::MAX)] {
            let mut bytes = good.clone();
            bytes[22..24].copy_from_slice(&channels.to_le_bytes());
            bytes[24..28].copy_from_slice(&sample_rate.to_le_bytes());
            assert_eq!(
                read_wav(&bytes),
                Err(WavError::InvalidHeader(
                    "channels and sample rate overflow the block align or byte rate"
                )),
                "{channels} x {sample_rate}"
            );
        }
        // The largest spec that fits is read and written back unchanged.
        let spec = WavSpec {
            channels: 32_767,
            sample_rate: u32::MAX / 65_534,
        };
        let bytes = write_wav(spec, &[7; 4]);
        assert_eq!(read_wav(&bytes).unwrap().spec, spec);
    }

    #[test]
    fn writing_an_out_of_range_spec_saturates_instead_of_panicking() {
        let bytes = write_wav(
            WavSpec {
                channels: u16::MAX,
                sample_rate: u32::MAX,
            },
            &[0; 2],
        );
        assert_eq!(u32_at(&bytes, 28), Some(u32::MAX)); // byte rate
        assert_eq!(u16_at(&bytes, 32), Some(u16::MAX)); // block align
        assert!(read_wav(&bytes).is_err());
    }

    #[test]
    fn malformed_files_give_clear_errors() {
        assert_eq!(read_wav(b"nope"), Err(WavError::NotWave));
        let good = write_wav(
            WavSpec {
                channels: 1,
                sample_rate: 8_000,
            },
            &[1, 2],
        );
        assert_eq!(read_wav(&good[..30]), Err(WavError::Truncated("fmt")));
        assert_eq!(read_wav(&good[..36]), Err(WavError::MissingData));
        let mut mulaw = good.clone();
        mulaw[20] = 7; // WAVE_FORMAT_MULAW
        assert!(matches!(
            read_wav(&mulaw),
            Err(WavError::Unsupported { format_tag: 7, .. })
        ));
        let mut data_first = b"RIFF\0\0\0\0WAVE".to_vec();
        data_first.extend_from_slice(&good[36..]);
        assert_eq!(read_wav(&data_first), Err(WavError::MissingFormat));
        // A lying chunk length must not panic.
        let mut huge = good.clone();
        huge[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(read_wav(&huge).is_err());
    }
}
