//! Telnyx Call Control v2: webhook envelope and call events ([`webhook`]), Ed25519 webhook
//! signatures with replay protection ([`signature`]) and the media-streaming WebSocket
//! ([`stream`]).
//!
//! Shapes follow Telnyx's documentation and official SDKs (see `shared/protocols.md`,
//! section 3). The Call Control REST client is not part of this module yet.

pub mod signature;
pub mod stream;
pub mod webhook;
