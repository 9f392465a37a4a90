//! cc-sim: fakes of the voice providers that speak their published protocols on 127.0.0.1,
//! so cc-media's clients (or the official SDKs) can be tested and load-tested offline.
//!
//! Each fake listens on an address, serves the provider's own path, and follows a small
//! conversation script: it detects the caller's utterances with cc-media's energy VAD, answers
//! each with synthetic audio and a transcript, and can be told to drop the socket after a
//! number of turns so failover is testable. Implemented so far: OpenAI Realtime ([`openai`]),
//! Gemini Live ([`gemini`]) and Deepgram live transcription ([`deepgram`]) servers, and a
//! Twilio caller ([`twilio_call`]) that places signed calls against an app's voice URL.

pub mod deepgram;
pub mod gemini;
pub mod openai;
pub mod server;
pub mod twilio_call;
pub mod twiml_scan;
pub mod utterance;
