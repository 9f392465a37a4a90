//! Deepgram: live speech-to-text over WebSocket ([`live`], messages in [`messages`]) and
//! text-to-speech over REST ([`speak`]).
//!
//! Telephony audio goes to Deepgram as it arrives from the carrier (µ-law, 8 kHz, binary
//! frames), and synthesis is requested as raw µ-law at 8 kHz, so neither direction needs
//! resampling (see `shared/protocols.md`, section 6).

pub mod live;
pub mod messages;
pub mod speak;
