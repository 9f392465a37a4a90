//! 20 ms framing: the unit of audio on every telephony socket (160 µ-law bytes at 8 kHz).
//!
//! Providers deliver audio in chunks of any size; carriers and the mixer want fixed 20 ms
//! frames. [`Framer`] turns an arbitrary stream of samples into whole frames and keeps the
//! remainder for the next push. It owns no timing: pacing frames out in real time is the
//! caller's job.

/// Frame duration used across the voice path.
pub const FRAME_MS: u32 = 20;

/// Samples in one 20 ms frame at `sample_rate` Hz (160 at 8 kHz, 320 at 16 kHz, 480 at 24 kHz).
///
/// ```
/// assert_eq!(cc_media::audio::frame::samples_per_frame(8_000), 160);
/// ```
pub const fn samples_per_frame(sample_rate: u32) -> usize {
    // In u64, so no u32 rate overflows (rates can come from a peer's `start` message); the
    // result is at most 85_899_345 and fits any usize of 32 bits or more.
    (sample_rate as u64 * FRAME_MS as u64 / 1000) as usize
}

/// Cuts a stream of samples (PCM16 or G.711 bytes) into fixed-size frames.
#[derive(Debug, Clone)]
pub struct Framer<T> {
    frame_len: usize,
    pending: Vec<T>,
}

impl<T: Copy> Framer<T> {
    /// A framer producing 20 ms frames at `sample_rate` Hz.
    pub fn for_rate(sample_rate: u32) -> Self {
        Self::with_frame_len(samples_per_frame(sample_rate).max(1))
    }

    /// A framer producing frames of exactly `frame_len` samples (at least one).
    pub fn with_frame_len(frame_len: usize) -> Self {
        let frame_len = frame_len.max(1);
        Self {
            frame_len,
            pending: Vec::with_capacity(frame_len * 2),
        }
    }

    /// Samples per produced frame.
    pub fn frame_len(&self) -> usize {
        self.frame_len
    }

    /// Samples held back because they do not yet fill a frame.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Adds samples and returns every frame that is now complete, oldest first.
    pub fn push(&mut self, samples: &[T]) -> Vec<Vec<T>> {
        self.pending.extend_from_slice(samples);
        let whole = self.pending.len() / self.frame_len * self.frame_len;
        let drained: Vec<T> = self.pending.drain(..whole).collect();
        drained.chunks(self.frame_len).map(<[T]>::to_vec).collect()
    }

    /// Returns the held-back remainder padded with `silence` to a whole frame, if any.
    pub fn flush(&mut self, silence: T) -> Option<Vec<T>> {
        if self.pending.is_empty() {
            return None;
        }
        let mut frame = std::mem::take(&mut self.pending);
        frame.resize(self.frame_len, silence);
        Some(frame)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn frame_sizes_match_the_provider_formats() {
        assert_eq!(samples_per_frame(8_000), 160);
        assert_eq!(samples_per_frame(16_000), 320);
        assert_eq!(samples_per_frame(24_000), 480);
    }

    #[test]
    fn any_announced_rate_gives_a_frame_size_without_overflow() {
        // Carriers announce the rate in `start` (Twilio `sampleRate`, Telnyx `sample_rate`).
        assert_eq!(samples_per_frame(u32::MAX), 85_899_345);
        assert_eq!(samples_per_frame(214_748_365), 4_294_967);
        assert_eq!(samples_per_frame(49), 0);
    }

    #[test]
    fn uneven_chunks_come_out_as_whole_frames_in_order() {
        let mut framer = Framer::<u8>::for_rate(8_000);
        let input: Vec<u8> = (0..=255u8).cycle().take(500).collect();
        let mut frames = framer.push(&input[..100]);
        assert!(frames.is_empty());
        frames.extend(framer.push(&input[100..450]));
        assert_eq!(frames.len(), 2);
        assert_eq!(framer.pending(), 130);
        frames.extend(framer.push(&input[450..]));
        assert_eq!(frames.len(), 3);
        let joined: Vec<u8> = frames.concat();
        assert_eq!(joined, input[..480]);
        let last = framer.flush(0xFF).unwrap();
        assert_eq!(last.len(), 160);
        assert_eq!(last[..20], input[480..]);
        assert!(last[20..].iter().all(|&b| b == 0xFF));
        assert!(framer.flush(0xFF).is_none());
    }
}
