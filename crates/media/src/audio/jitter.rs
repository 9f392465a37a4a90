//! A jitter-tolerant frame buffer: puts frames that arrive late, early, twice or out of order
//! back into sequence and plays them out one per tick.
//!
//! Frames are keyed by a monotonically increasing sequence number (Twilio's and Telnyx's
//! `media.chunk`). The buffer waits until `depth` frames are queued before it starts playing,
//! absorbing that much arrival jitter. When the next frame is missing but later ones are
//! already waiting beyond the depth, it gives up on the gap and reports [`Playout::Lost`], so
//! the caller can conceal it (silence or repeating the last frame). Frames that arrive after
//! their slot has been played are dropped and counted. Pacing (calling [`JitterBuffer::pop`]
//! every 20 ms) belongs to the caller.

use std::collections::BTreeMap;

use thiserror::Error;

/// A frame the buffer cannot take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum JitterError {
    /// `u64::MAX` leaves no slot after it, so the buffer could not move past it; a peer that
    /// sends it is broken or hostile.
    #[error("sequence number {sequence} leaves no room for the next frame")]
    SequenceOverflow {
        /// The number received.
        sequence: u64,
    },
}

/// What the buffer yields for one playout tick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Playout<T> {
    /// The frame for this slot.
    Frame(u64, T),
    /// The frame for this slot never arrived in time; conceal it.
    Lost(u64),
    /// Nothing to play yet (still pre-buffering or drained).
    Empty,
}

/// Counters that describe the stream's health.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JitterStats {
    /// Frames accepted into the buffer.
    pub received: u64,
    /// Frames arriving after their slot was played or skipped.
    pub late: u64,
    /// Frames received twice.
    pub duplicate: u64,
    /// Slots reported as lost.
    pub lost: u64,
    /// Frames discarded because the buffer overflowed.
    pub overflow: u64,
}

/// Reorders frames by sequence number with a fixed pre-buffer depth.
#[derive(Debug, Clone)]
pub struct JitterBuffer<T> {
    depth: usize,
    capacity: usize,
    next: Option<u64>,
    playing: bool,
    frames: BTreeMap<u64, T>,
    stats: JitterStats,
}

impl<T> JitterBuffer<T> {
    /// A buffer that pre-buffers `depth` frames (at least 1) and holds at most `capacity`.
    pub fn new(depth: usize, capacity: usize) -> Self {
        let depth = depth.max(1);
        Self {
            depth,
            capacity: capacity.max(depth + 1),
            next: None,
            playing: false,
            frames: BTreeMap::new(),
            stats: JitterStats::default(),
        }
    }

    /// Health counters so far.
    pub fn stats(&self) -> JitterStats {
        self.stats
    }

    /// Frames currently queued.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// Whether no frame is queued.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }

    /// Offers a frame that arrived from the network.
    ///
    /// Late and duplicate frames are dropped and counted; only a sequence number with no
    /// successor (`u64::MAX`) is an error. Refusing it keeps every queued number below
    /// `u64::MAX`, so moving to the next slot cannot overflow.
    pub fn push(&mut self, sequence: u64, frame: T) -> Result<(), JitterError> {
        if sequence == u64::MAX {
            return Err(JitterError::SequenceOverflow { sequence });
        }
        if self.next.is_some_and(|next| sequence < next) {
            self.stats.late += 1;
            return Ok(());
        }
        if self.frames.contains_key(&sequence) {
            self.stats.duplicate += 1;
            return Ok(());
        }
        self.frames.insert(sequence, frame);
        self.stats.received += 1;
        while self.frames.len() > self.capacity {
            // Keep the newest audio: drop the oldest queued frame and move past it. (This `+ 1`
            // and those in `pop` cannot overflow: queued numbers are all below `u64::MAX`.)
            if let Some((oldest, _)) = self.frames.pop_first() {
                self.stats.overflow += 1;
                self.next = Some(oldest + 1);
            }
        }
        Ok(())
    }

    /// Takes what should be played in this tick.
    pub fn pop(&mut self) -> Playout<T> {
        if !self.playing {
            if self.frames.len() < self.depth {
                return Playout::Empty;
            }
            self.playing = true;
        }
        let Some((&first, _)) = self.frames.first_key_value() else {
            // Drained: pre-buffer again before playing on, rather than stuttering.
            self.playing = false;
            return Playout::Empty;
        };
        let next = *self.next.get_or_insert(first);
        if let Some(frame) = self.frames.remove(&next) {
            self.next = Some(next + 1);
            return Playout::Frame(next, frame);
        }
        // A gap: wait for the missing frame while the queue is shallow, give up once deep.
        if self.frames.len() >= self.depth {
            self.stats.lost += 1;
            self.next = Some(next + 1);
            return Playout::Lost(next);
        }
        Playout::Empty
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn drain(buffer: &mut JitterBuffer<u64>, ticks: usize) -> Vec<Playout<u64>> {
        (0..ticks).map(|_| buffer.pop()).collect()
    }

    #[test]
    fn out_of_order_frames_play_in_sequence() {
        let mut b = JitterBuffer::new(3, 50);
        for seq in [2, 1, 4, 3, 5] {
            b.push(seq, seq * 10).unwrap();
        }
        let played = drain(&mut b, 5);
        let expected: Vec<Playout<u64>> = (1..=5).map(|s| Playout::Frame(s, s * 10)).collect();
        assert_eq!(played, expected);
    }

    #[test]
    fn nothing_plays_until_the_depth_is_reached() {
        let mut b = JitterBuffer::new(3, 50);
        b.push(1, 1).unwrap();
        b.push(2, 2).unwrap();
        assert_eq!(b.pop(), Playout::Empty);
        b.push(3, 3).unwrap();
        assert_eq!(b.pop(), Playout::Frame(1, 1));
    }

    #[test]
    fn a_missing_frame_is_reported_lost_and_a_late_arrival_is_dropped() {
        let mut b = JitterBuffer::new(2, 50);
        for seq in [1, 3, 4] {
            b.push(seq, seq).unwrap();
        }
        assert_eq!(b.pop(), Playout::Frame(1, 1));
        assert_eq!(b.pop(), Playout::Lost(2));
        b.push(2, 2).unwrap();
        assert_eq!(b.pop(), Playout::Frame(3, 3));
        assert_eq!(b.stats().late, 1);
        assert_eq!(b.stats().lost, 1);
    }

    #[test]
    fn a_gap_waits_while_the_queue_is_shallow() {
        let mut b = JitterBuffer::new(2, 50);
        b.push(1, 1).unwrap();
        b.push(2, 2).unwrap();
        b.push(4, 4).unwrap();
        assert_eq!(b.pop(), Playout::Frame(1, 1));
        assert_eq!(b.pop(), Playout::Frame(2, 2));
        // Only frame 4 is queued: frame 3 may still come.
        assert_eq!(b.pop(), Playout::Empty);
        b.push(3, 3).unwrap();
        assert_eq!(b.pop(), Playout::Frame(3, 3));
    }

    #[test]
    fn the_last_sequence_number_is_refused_rather_than_overflowing() {
        let max = u64::MAX;
        let mut b = JitterBuffer::new(1, 2);
        b.push(max - 1, 1).unwrap();
        assert_eq!(
            b.push(max, 2),
            Err(JitterError::SequenceOverflow { sequence: max })
        );
        assert_eq!(b.pop(), Playout::Frame(max - 1, 1));
        assert_eq!(b.pop(), Playout::Empty);
        // Overflowing the capacity past the top of the range is safe too.
        let mut b = JitterBuffer::new(1, 2);
        for seq in [max - 3, max - 2, max - 1] {
            b.push(seq, seq).unwrap();
        }
        assert_eq!(b.pop(), Playout::Frame(max - 2, max - 2));
        assert_eq!(b.pop(), Playout::Frame(max - 1, max - 1));
        assert_eq!(b.stats().received, 3);
    }

    #[test]
    fn duplicates_are_ignored_and_overflow_keeps_the_newest() {
        let mut b = JitterBuffer::new(1, 3);
        b.push(1, 1).unwrap();
        b.push(1, 100).unwrap();
        assert_eq!(b.stats().duplicate, 1);
        for seq in 2..=6 {
            b.push(seq, seq).unwrap();
        }
        assert_eq!(b.len(), 3);
        assert_eq!(b.stats().overflow, 3);
        assert_eq!(
            drain(&mut b, 3),
            vec![
                Playout::Frame(4, 4),
                Playout::Frame(5, 5),
                Playout::Frame(6, 6)
            ]
        );
    }
}
