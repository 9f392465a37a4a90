//! The per-frame step of a mixing media relay: take the caller's `media` frame from a Twilio
//! stream, decode it, mix a second leg into it, re-encode and write the reply frame.
//!
//! This is what a bridge does on every 20 ms of every call (conference, whisper, hold music
//! under a prompt), so it is written to allocate nothing once warm: the message is parsed
//! borrowed ([`Inbound`]), every buffer is kept between frames, and the reply is written into
//! the caller's `String`. The socket handling around it is the caller's; the `relay` example
//! and the codec benchmark use this same step.

use super::frame::{Inbound, write_media};
use super::session::StreamTracker;
use super::stream::{StreamError, TwilioEvent};
use crate::audio::g711::{decode_ulaw_into, encode_ulaw_into};
use crate::audio::mix::{Gain, mix_into};
use crate::audio::tone::Tone;

/// What a message asked of the relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A reply frame was written; send it.
    Reply,
    /// Nothing to send (`connected`, `start`, `mark`, `dtmf`, unknown events).
    Nothing,
    /// The stream ended.
    Stopped,
}

/// One stream's relay state and reusable buffers.
#[derive(Debug, Clone)]
pub struct MixingRelay {
    tracker: StreamTracker,
    second_leg: Tone,
    gain: Gain,
    mulaw: Vec<u8>,
    caller: Vec<i16>,
    other: Vec<i16>,
    mixed: Vec<i16>,
    encoded: Vec<u8>,
}

impl MixingRelay {
    /// A relay mixing `second_leg` at `gain` under the caller's audio.
    pub fn new(second_leg: Tone, gain: Gain) -> Self {
        Self {
            tracker: StreamTracker::new(),
            second_leg,
            gain,
            mulaw: Vec::with_capacity(160),
            caller: Vec::with_capacity(160),
            other: Vec::with_capacity(160),
            mixed: Vec::with_capacity(160),
            encoded: Vec::with_capacity(160),
        }
    }

    /// Handles one text frame; on [`Step::Reply`] the reply message was appended to `reply`.
    ///
    /// A message that breaks the protocol (malformed, out of order, wrong stream, a sequence
    /// gap, bad base64) is an error and changes nothing, so the caller may count it and go on.
    pub fn on_text(&mut self, text: &str, reply: &mut String) -> Result<Step, StreamError> {
        let frame = match Inbound::parse(text)? {
            Inbound::Media(frame) => frame,
            Inbound::Other(event) => {
                self.tracker.accept(&event)?;
                return Ok(match event {
                    TwilioEvent::Stop(_) => Step::Stopped,
                    _ => Step::Nothing,
                });
            }
        };
        self.mulaw.clear();
        frame.decode_into(&mut self.mulaw)?;
        self.tracker.accept_media(&frame)?;
        let n = self.mulaw.len();
        self.caller.clear();
        decode_ulaw_into(&self.mulaw, &mut self.caller);
        self.other.resize(n, 0);
        self.second_leg.fill(&mut self.other);
        self.mixed.resize(n, 0);
        mix_into(
            &[(&self.caller, Gain::UNITY), (&self.other, self.gain)],
            &mut self.mixed,
        );
        self.encoded.clear();
        encode_ulaw_into(&self.mixed, &mut self.encoded);
        write_media(&frame.stream_sid, &self.encoded, reply);
        Ok(Step::Reply)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::audio::g711::{ulaw_decode, ulaw_encode};
    use crate::twilio::stream::AppMessage;

    const CONNECTED: &str = r#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#;
    const START: &str = r#"{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC1","streamSid":"MZ1","callSid":"CA1","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},"customParameters":{}},"streamSid":"MZ1"}"#;

    fn media(seq: u64, audio: &[u8]) -> String {
        use base64::Engine as _;
        let payload = base64::engine::general_purpose::STANDARD.encode(audio);
        format!(
            r#"{{"event":"media","sequenceNumber":"{seq}","media":{{"track":"inbound","chunk":"{seq}","timestamp":"0","payload":"{payload}"}},"streamSid":"MZ1"}}"#
        )
    }

    fn reply_audio(reply: &str) -> Vec<u8> {
        let AppMessage::Media { stream_sid, media } = AppMessage::parse(reply).unwrap() else {
            panic!("not media");
        };
        assert_eq!(stream_sid, "MZ1");
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(media.payload)
            .unwrap()
    }

    #[test]
    fn each_caller_frame_comes_back_mixed_with_the_second_leg() {
        let mut relay = MixingRelay::new(Tone::new(400, 8_000, 8_000), Gain::UNITY);
        let mut reply = String::new();
        assert_eq!(relay.on_text(CONNECTED, &mut reply), Ok(Step::Nothing));
        assert_eq!(relay.on_text(START, &mut reply), Ok(Step::Nothing));
        assert!(reply.is_empty());
        let caller = vec![ulaw_encode(1_000); 160];
        let mut tone = Tone::new(400, 8_000, 8_000);
        for seq in 2..4 {
            reply.clear();
            assert_eq!(
                relay.on_text(&media(seq, &caller), &mut reply),
                Ok(Step::Reply)
            );
            let mut expected_tone = vec![0i16; 160];
            tone.fill(&mut expected_tone);
            let out = reply_audio(&reply);
            assert_eq!(out.len(), 160);
            for (got, t) in out.iter().zip(expected_tone) {
                // µ-law quantisation of the sum: within a few percent of it.
                let want = f64::from(ulaw_decode(ulaw_encode(1_000))) + f64::from(t);
                let got = f64::from(ulaw_decode(*got));
                assert!(
                    (got - want).abs() <= want.abs() * 0.07 + 16.0,
                    "{got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn protocol_breaks_are_errors_that_change_nothing() {
        let mut relay = MixingRelay::new(Tone::new(440, 8_000, 3_000), Gain::db(-20.0));
        let mut reply = String::new();
        assert!(matches!(
            relay.on_text(&media(1, &[0xff; 160]), &mut reply),
            Err(StreamError::OutOfOrder { .. })
        ));
        relay.on_text(CONNECTED, &mut reply).unwrap();
        relay.on_text(START, &mut reply).unwrap();
        assert!(matches!(
            relay.on_text(&media(5, &[0xff; 160]), &mut reply),
            Err(StreamError::SequenceGap {
                expected: 2,
                got: 5
            })
        ));
        let bad = media(2, &[0xff; 4]).replace("/////w==", "!!!");
        assert_eq!(
            relay.on_text(&bad, &mut reply),
            Err(StreamError::BadPayload)
        );
        assert!(reply.is_empty());
        assert_eq!(
            relay.on_text(&media(2, &[0xff; 160]), &mut reply),
            Ok(Step::Reply)
        );
        let stop = r#"{"event":"stop","sequenceNumber":"3","stop":{"accountSid":"AC1","callSid":"CA1"},"streamSid":"MZ1"}"#;
        assert_eq!(relay.on_text(stop, &mut String::new()), Ok(Step::Stopped));
    }
}
