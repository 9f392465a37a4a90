//! Twilio Programmable Voice: the Media Streams WebSocket protocol ([`stream`]), TwiML
//! responses ([`twiml`]), `X-Twilio-Signature` webhook validation ([`signature`]) and the
//! Voice REST client ([`rest`]).
//!
//! Shapes follow Twilio's published documentation and official SDKs (see
//! `shared/protocols.md`, sections 1 and 2). The recording form fields `RecordingChannels`
//! and `RecordingStatusCallback` were checked in twilio-python's call-recording resource;
//! `RecordingTrack` was not present in the SDK version read and is unconfirmed.

pub mod frame;
pub mod relay;
pub mod rest;
pub mod session;
pub mod signature;
pub mod stream;
pub mod twiml;
