//! cc-media: the voice path library of CC-Lite.
//!
//! It owns what a live call needs below the call task: audio processing ([`audio`]) and the Twilio ([`twilio`]) and Telnyx ([`telnyx`]) protocols.
//! It does not own call state, routing or persistence; those live in the server.

pub mod audio;
pub mod resilience;
pub mod telnyx;
pub mod twilio;
pub mod wire;
