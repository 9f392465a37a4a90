//! OpenAI Realtime (speech-to-speech over WebSocket): the event protocol ([`events`]) and the
//! translation from server events to provider-neutral agent events ([`bridge`]).
//!
//! Built against the GA shape (`session.type = "realtime"`, `audio/pcmu` in both directions,
//! so telephony audio passes through without resampling), while beta event names are accepted
//! as aliases (see `shared/protocols.md`, section 4). The WebSocket transport is not part of
//! this module yet.

pub mod bridge;
pub mod events;
