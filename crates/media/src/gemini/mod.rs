//! Gemini Live (speech-to-speech over WebSocket): message shapes ([`messages`]) and the
//! client ([`client`]).
//!
//! Gemini takes PCM16 at 16 kHz and answers with PCM16 at 24 kHz, so unlike OpenAI with
//! `audio/pcmu` this provider resamples in both directions, keeping one stateful resampler per
//! direction per call (see `shared/protocols.md`, section 5).

pub mod client;
pub mod messages;
