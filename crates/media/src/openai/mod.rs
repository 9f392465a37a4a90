//! OpenAI Realtime (speech-to-speech over WebSocket): the event protocol ([`events`]), the
//! translation from server events to provider-neutral agent events ([`bridge`]) and the
//! WebSocket client ([`client`]).
//!
//! Built against the GA shape (`session.type = "realtime"`, `audio/pcmu` in both directions,
//! so telephony audio passes through without resampling), while beta event names are accepted
//! as aliases (see `shared/protocols.md`, section 4).

pub mod bridge;
pub mod client;
pub mod events;
#[cfg(test)]
pub(crate) mod fake_peer;
