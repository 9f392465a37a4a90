//! cc-media: the voice path library of CC-Lite.
//!
//! It owns what a live call needs below the call task: audio processing ([`audio`]), the
//! Twilio ([`twilio`]) and Telnyx ([`telnyx`]) carrier protocols and REST clients, the
//! provider-neutral capability traits ([`capability`]) with OpenAI Realtime ([`openai`]),
//! Gemini Live ([`gemini`]) and Deepgram ([`deepgram`]) behind them, provider resilience and
//! failover ([`resilience`]), and the keyless local text analysis ([`analysis`]). It does not own call state, routing or persistence;
//! those live in the server. Shared DTOs live here for now rather than in cc-types, because
//! nothing outside the voice path uses them yet.

pub mod analysis;
pub mod audio;
pub mod capability;
mod close;
pub mod deepgram;
#[cfg(test)]
mod fuzz_tests;
pub mod gemini;
mod http;
pub mod observe;
pub mod openai;
pub mod resilience;
pub mod telnyx;
#[cfg(test)]
mod test_http;
pub mod twilio;
pub mod wire;
