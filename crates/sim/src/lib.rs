//! cc-sim: fakes of the voice providers that speak their published protocols on 127.0.0.1,
//! so cc-media's clients (or the official SDKs) can be tested and load-tested offline.
//!
//! The fixed interface (issue 3):
//! - `cc-sim serve <openai|gemini|deepgram|twilio|telnyx> --listen ADDR` runs one fake under the
//!   provider's own paths: OpenAI Realtime ([`openai`]), Gemini Live ([`gemini`]), Deepgram live
//!   transcription ([`deepgram`]), the Twilio Voice REST API ([`twilio_api`]) and Telnyx Call
//!   Control v2 ([`telnyx_api`]). The carrier fakes place the calls they are asked for as the
//!   carrier does: signed webhooks, then the caller's audio on the app's media WebSocket.
//! - `cc-sim call twilio --voice-url URL …` ([`twilio_call`]) and
//!   `cc-sim call telnyx --webhook-url URL --signing-key-b64 SEED --api-listen ADDR …`
//!   ([`telnyx_call`]) offer incoming calls to an app and print one JSON [`summary`] line.
//!   `--say TEXT` makes the caller speak TEXT (espeak-ng when installed, see [`caller_audio`]).
//!
//! The AI fakes follow a small conversation script: they detect the caller's utterances with
//! cc-media's energy VAD ([`utterance`]), answer each with synthetic audio and a transcript
//! (the `--say` text when the side channel carries one), and can be told to drop the socket
//! after a number of turns so failover is testable. The carriers share the caller's side of
//! the media stream ([`caller_stream`]) and a small HTTP/1.1 server for REST ([`http`]).

pub mod caller_audio;
pub mod caller_stream;
pub mod clock;
pub mod deepgram;
pub mod gemini;
pub mod http;
pub mod openai;
pub mod script;
pub mod server;
pub mod summary;
pub mod telnyx_api;
pub mod telnyx_call;
pub mod twilio_api;
pub mod twilio_call;
pub mod twiml_scan;
pub mod utterance;
