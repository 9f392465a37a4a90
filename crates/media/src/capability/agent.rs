//! Speech-to-speech agents (OpenAI Realtime, Gemini Live): the caller's audio in, the agent's
//! audio, transcripts and tool calls out.
//!
//! Audio crosses this boundary as G.711 µ-law at 8 kHz, the telephony format, so the call
//! task never cares which provider is on the other end; a provider that needs PCM16 at
//! 16/24 kHz converts inside its session with [`crate::audio`]. A session is opened with the
//! conversation so far, which is how a replacement provider continues a call mid-way.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{BoxFuture, ConversationTurn, Language, ProviderError};

/// A function the agent may call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolSpec {
    /// Function name.
    pub name: String,
    /// What it does, for the model.
    pub description: String,
    /// JSON Schema of the arguments.
    pub parameters: Value,
}

/// How to start an agent session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentSessionConfig {
    /// System instructions.
    pub instructions: String,
    /// Provider voice name.
    pub voice: Option<String>,
    /// Expected caller language.
    pub language: Option<Language>,
    /// Callable functions.
    pub tools: Vec<ToolSpec>,
    /// The conversation so far (empty for a new call).
    pub history: Vec<ConversationTurn>,
}

/// Something the agent did.
#[derive(Debug, Clone, PartialEq)]
pub enum AgentEvent {
    /// Audio to play to the caller (µ-law, 8 kHz).
    Audio(Vec<u8>),
    /// The caller started talking: stop playback (barge-in).
    SpeechStarted,
    /// A transcript line of either side.
    Transcript {
        /// Who spoke.
        turn: ConversationTurn,
        /// False for interim text that may still change.
        is_final: bool,
    },
    /// The agent wants a function result.
    ToolCall {
        /// Id to answer with.
        call_id: String,
        /// Function name.
        name: String,
        /// Arguments as JSON.
        arguments: Value,
    },
    /// The agent finished its turn.
    ResponseDone,
}

/// A live conversation with one provider.
pub trait AgentSession: Send {
    /// Sends caller audio (µ-law, 8 kHz).
    fn send_audio<'a>(&'a mut self, mulaw: &'a [u8]) -> BoxFuture<'a, Result<(), ProviderError>>;
    /// Answers a tool call.
    fn send_tool_result<'a>(
        &'a mut self,
        call_id: &'a str,
        output: Value,
    ) -> BoxFuture<'a, Result<(), ProviderError>>;
    /// Stops the current response (barge-in or supervisor takeover).
    fn cancel_response(&mut self) -> BoxFuture<'_, Result<(), ProviderError>>;
    /// The next event; `Ok(None)` once the session ended normally.
    fn next_event(&mut self) -> BoxFuture<'_, Result<Option<AgentEvent>, ProviderError>>;
    /// Ends the session.
    fn close(&mut self) -> BoxFuture<'_, Result<(), ProviderError>>;
}

/// A provider of speech-to-speech agent sessions.
pub trait SpeechToSpeechAgent: Send + Sync {
    /// Provider name for logs, metrics and the circuit breaker.
    fn name(&self) -> &str;
    /// Opens a session.
    fn connect(
        &self,
        config: AgentSessionConfig,
    ) -> BoxFuture<'_, Result<Box<dyn AgentSession>, ProviderError>>;
}
