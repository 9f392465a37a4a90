//! Audio primitives for the voice path: G.711 codecs, resampling between telephony and
//! provider rates, 20 ms framing, WAV recordings, jitter buffering, mixing, tones and energy VAD.
//!
//! Everything here is synchronous and allocation-light so a call task can run it inline on
//! each frame. Nothing here knows about providers or sockets.

pub mod frame;
pub mod g711;
pub mod jitter;
pub mod mix;
pub mod resample;
pub mod tone;
pub mod vad;
pub mod wav;
