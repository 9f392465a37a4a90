//! Twilio Programmable Voice: the Media Streams WebSocket protocol ([`stream`]), TwiML
//! responses ([`twiml`]) and `X-Twilio-Signature` webhook validation ([`signature`]).
//!
//! Shapes follow Twilio's published documentation and official SDKs (see
//! `shared/protocols.md`, sections 1 and 2). The REST client is not part of this module yet.

pub mod session;
pub mod signature;
pub mod stream;
pub mod twiml;
