//! Telnyx Call Control v2: webhook envelope and call events ([`webhook`]), Ed25519 webhook
//! signatures with replay protection ([`signature`]) and the media-streaming WebSocket
//! ([`stream`]), and the Call Control REST client ([`rest`], bodies in [`commands`]).
//!
//! Shapes follow Telnyx's documentation and official SDKs (see `shared/protocols.md`,
//! section 3).

pub mod commands;
pub mod rest;
pub mod signature;
pub mod stream;
pub mod webhook;
