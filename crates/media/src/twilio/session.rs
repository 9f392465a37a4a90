//! Ordering rules of a Twilio Media Stream, checked message by message.
//!
//! Twilio sends `connected`, then `start`, then `media`/`dtmf`/`mark` until `stop`; every
//! message after `connected` carries a `sequenceNumber` that starts at 1 and rises by one, and
//! every message after `start` names the same stream. [`StreamTracker`] enforces this so a
//! bridge can reject a confused or hostile peer with a clear error instead of acting on
//! garbage. Unknown event types are let through (Twilio adds events over time).

use super::frame::MediaFrame;
use super::stream::{StreamError, TwilioEvent};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    AwaitingConnected,
    AwaitingStart,
    Streaming {
        stream_sid: String,
        next_sequence: u64,
    },
    Stopped,
}

/// Tracks one Media Streams socket and validates each incoming message against the protocol.
#[derive(Debug, Clone)]
pub struct StreamTracker {
    phase: Phase,
}

impl Default for StreamTracker {
    fn default() -> Self {
        Self::new()
    }
}

impl StreamTracker {
    /// A tracker for a freshly opened socket.
    pub fn new() -> Self {
        Self {
            phase: Phase::AwaitingConnected,
        }
    }

    /// The stream SID, once `start` has been seen.
    pub fn stream_sid(&self) -> Option<&str> {
        match &self.phase {
            Phase::Streaming { stream_sid, .. } => Some(stream_sid),
            _ => None,
        }
    }

    /// Whether `stop` has been received.
    pub fn is_stopped(&self) -> bool {
        self.phase == Phase::Stopped
    }

    /// Checks `event` against the stream so far and advances the state.
    ///
    /// On error the state is unchanged, so a caller may log and drop the message or close.
    pub fn accept(&mut self, event: &TwilioEvent) -> Result<(), StreamError> {
        let out_of_order = |state| StreamError::OutOfOrder {
            got: event.name(),
            state,
        };
        match (&mut self.phase, event) {
            (_, TwilioEvent::Unknown) => Ok(()),
            (Phase::AwaitingConnected, TwilioEvent::Connected(_)) => {
                self.phase = Phase::AwaitingStart;
                Ok(())
            }
            (Phase::AwaitingConnected, _) => Err(out_of_order("waiting for `connected`")),
            (Phase::AwaitingStart, TwilioEvent::Start(start)) => {
                if start.stream_sid != start.start.stream_sid {
                    return Err(StreamError::WrongStream {
                        expected: start.start.stream_sid.clone(),
                        got: start.stream_sid.clone(),
                    });
                }
                let next_sequence = successor(start.sequence_number.get())?;
                self.phase = Phase::Streaming {
                    stream_sid: start.stream_sid.clone(),
                    next_sequence,
                };
                Ok(())
            }
            (Phase::AwaitingStart, _) => Err(out_of_order("waiting for `start`")),
            (Phase::Streaming { .. }, TwilioEvent::Connected(_) | TwilioEvent::Start(_)) => {
                Err(out_of_order("streaming"))
            }
            (Phase::Streaming { .. }, event) => {
                let (sid, sequence) = match event {
                    TwilioEvent::Media(m) => (&m.stream_sid, m.sequence_number),
                    TwilioEvent::Dtmf(d) => (&d.stream_sid, d.sequence_number),
                    TwilioEvent::Mark(m) => (&m.stream_sid, m.sequence_number),
                    TwilioEvent::Stop(s) => (&s.stream_sid, s.sequence_number),
                    _ => return Err(out_of_order("streaming")),
                };
                self.advance(sid, sequence.get())?;
                if matches!(event, TwilioEvent::Stop(_)) {
                    self.phase = Phase::Stopped;
                }
                Ok(())
            }
            (Phase::Stopped, _) => Err(out_of_order("stopped")),
        }
    }

    /// [`accept`](Self::accept) for a borrowed `media` frame (the relay's hot path).
    pub fn accept_media(&mut self, frame: &MediaFrame<'_>) -> Result<(), StreamError> {
        let state = match self.phase {
            Phase::Streaming { .. } => {
                return self.advance(&frame.stream_sid, frame.sequence_number);
            }
            Phase::AwaitingConnected => "waiting for `connected`",
            Phase::AwaitingStart => "waiting for `start`",
            Phase::Stopped => "stopped",
        };
        Err(StreamError::OutOfOrder {
            got: "media",
            state,
        })
    }

    /// While streaming: checks the stream SID and sequence number and counts the message.
    fn advance(&mut self, sid: &str, sequence: u64) -> Result<(), StreamError> {
        let Phase::Streaming {
            stream_sid,
            next_sequence,
        } = &mut self.phase
        else {
            return Ok(());
        };
        if sid != stream_sid {
            return Err(StreamError::WrongStream {
                expected: stream_sid.clone(),
                got: sid.to_owned(),
            });
        }
        if sequence != *next_sequence {
            return Err(StreamError::SequenceGap {
                expected: *next_sequence,
                got: sequence,
            });
        }
        *next_sequence = successor(sequence)?;
        Ok(())
    }
}

/// The number the message after `sequence` must carry; the peer chooses `sequence`, so the
/// increment is checked.
fn successor(sequence: u64) -> Result<u64, StreamError> {
    sequence
        .checked_add(1)
        .ok_or(StreamError::SequenceOverflow { got: sequence })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::twilio::frame::Inbound;

    fn parse(text: &str) -> TwilioEvent {
        TwilioEvent::parse(text).unwrap()
    }

    const CONNECTED: &str = r#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#;
    const START: &str = r#"{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC1","streamSid":"MZ1","callSid":"CA1","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":{}},"streamSid":"MZ1"}"#;

    fn media_text(seq: u64, sid: &str) -> String {
        format!(
            r#"{{"event":"media","sequenceNumber":"{seq}","media":{{"track":"inbound","chunk":"{seq}","timestamp":"0","payload":""}},"streamSid":"{sid}"}}"#
        )
    }

    fn media(seq: u64, sid: &str) -> TwilioEvent {
        parse(&media_text(seq, sid))
    }

    fn stop(seq: u64) -> TwilioEvent {
        parse(&format!(
            r#"{{"event":"stop","sequenceNumber":"{seq}","stop":{{"accountSid":"AC1","callSid":"CA1"}},"streamSid":"MZ1"}}"#
        ))
    }

    #[test]
    fn a_well_formed_stream_is_accepted_to_the_end() {
        let mut t = StreamTracker::new();
        t.accept(&parse(CONNECTED)).unwrap();
        t.accept(&parse(START)).unwrap();
        assert_eq!(t.stream_sid(), Some("MZ1"));
        for seq in 2..=4 {
            t.accept(&media(seq, "MZ1")).unwrap();
        }
        t.accept(&parse(r#"{"event":"brand_new"}"#)).unwrap();
        t.accept(&stop(5)).unwrap();
        assert!(t.is_stopped());
    }

    #[test]
    fn out_of_order_messages_are_rejected_with_the_reason() {
        let mut t = StreamTracker::new();
        assert_eq!(
            t.accept(&parse(START)),
            Err(StreamError::OutOfOrder {
                got: "start",
                state: "waiting for `connected`"
            })
        );
        t.accept(&parse(CONNECTED)).unwrap();
        assert!(matches!(
            t.accept(&media(1, "MZ1")),
            Err(StreamError::OutOfOrder { got: "media", .. })
        ));
        t.accept(&parse(START)).unwrap();
        assert!(matches!(
            t.accept(&parse(START)),
            Err(StreamError::OutOfOrder { got: "start", .. })
        ));
        assert_eq!(
            t.accept(&media(3, "MZ1")),
            Err(StreamError::SequenceGap {
                expected: 2,
                got: 3
            })
        );
        assert!(matches!(
            t.accept(&media(2, "MZ9")),
            Err(StreamError::WrongStream { .. })
        ));
        // Rejected messages leave the state untouched.
        t.accept(&media(2, "MZ1")).unwrap();
        t.accept(&stop(3)).unwrap();
        assert!(matches!(
            t.accept(&media(4, "MZ1")),
            Err(StreamError::OutOfOrder {
                state: "stopped",
                ..
            })
        ));
    }

    #[test]
    fn a_sequence_number_with_no_successor_is_an_error_not_a_panic() {
        let max = u64::MAX;
        let start_at = |seq: u64| {
            let mut t = StreamTracker::new();
            t.accept(&parse(CONNECTED)).unwrap();
            let start = START.replace(
                r#""sequenceNumber":"1""#,
                &format!(r#""sequenceNumber":"{seq}""#),
            );
            (t.accept(&parse(&start)), t)
        };
        let (result, t) = start_at(max);
        assert_eq!(result, Err(StreamError::SequenceOverflow { got: max }));
        assert_eq!(t.stream_sid(), None, "a rejected start changes nothing");

        let (result, mut t) = start_at(max - 1);
        result.unwrap();
        assert_eq!(
            t.accept(&media(max, "MZ1")),
            Err(StreamError::SequenceOverflow { got: max })
        );
        let text = media_text(max, "MZ1");
        let Inbound::Media(frame) = Inbound::parse(&text).unwrap() else {
            panic!("not media");
        };
        assert_eq!(
            t.accept_media(&frame),
            Err(StreamError::SequenceOverflow { got: max })
        );
        // The stream is still waiting for the same number.
        assert_eq!(
            t.accept(&media(1, "MZ1")),
            Err(StreamError::SequenceGap {
                expected: max,
                got: 1
            })
        );
    }

    #[test]
    fn borrowed_media_frames_follow_the_same_rules() {
        let accept = |t: &mut StreamTracker, seq: u64, sid: &str| {
            let owned = media_text(seq, sid);
            let Inbound::Media(frame) = Inbound::parse(&owned).unwrap() else {
                panic!("not media");
            };
            t.accept_media(&frame)
        };
        let mut t = StreamTracker::new();
        assert!(matches!(
            accept(&mut t, 1, "MZ1"),
            Err(StreamError::OutOfOrder {
                got: "media",
                state: "waiting for `connected`"
            })
        ));
        t.accept(&parse(CONNECTED)).unwrap();
        t.accept(&parse(START)).unwrap();
        accept(&mut t, 2, "MZ1").unwrap();
        assert_eq!(
            accept(&mut t, 4, "MZ1"),
            Err(StreamError::SequenceGap {
                expected: 3,
                got: 4
            })
        );
        assert!(matches!(
            accept(&mut t, 3, "MZ2"),
            Err(StreamError::WrongStream { .. })
        ));
        accept(&mut t, 3, "MZ1").unwrap();
        t.accept(&stop(4)).unwrap();
        assert!(matches!(
            accept(&mut t, 5, "MZ1"),
            Err(StreamError::OutOfOrder {
                state: "stopped",
                ..
            })
        ));
    }
}
