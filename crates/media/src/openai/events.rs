//! OpenAI Realtime events in both directions, as JSON text frames.
//!
//! [`ClientEvent`] is what the application sends, [`ServerEvent`] what OpenAI sends. Both
//! serialise and deserialise, so the same types serve the client and a fake server. Server
//! events accept the beta names (`response.audio.delta`, ...) as aliases of the GA ones, and
//! unknown types parse as [`ServerEvent::Other`], because OpenAI adds events over time.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::capability::agent::AgentSessionConfig;

/// Content of a user message item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentPart {
    /// Text typed or transcribed for the user.
    InputText {
        /// The text.
        text: String,
    },
    /// Text the assistant said (used to replay history). Newer openai-python GA types name
    /// this `output_text`; an earlier GA snapshot used `text`.
    OutputText {
        /// The text.
        text: String,
    },
}

/// A conversation item the client adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Item {
    /// A message from the user or, for history replay, the assistant.
    Message {
        /// `user` or `assistant`.
        role: String,
        /// Its content.
        content: Vec<ContentPart>,
    },
    /// The result of a function call.
    FunctionCallOutput {
        /// The call being answered.
        call_id: String,
        /// The result, usually JSON text.
        output: String,
    },
}

/// An event from the application to OpenAI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ClientEvent {
    /// Configure the session.
    #[serde(rename = "session.update")]
    SessionUpdate {
        /// The session object (GA shape).
        session: Value,
    },
    /// Add caller audio.
    #[serde(rename = "input_audio_buffer.append")]
    AppendAudio {
        /// Base64 audio in the input format.
        audio: String,
    },
    /// Commit the buffer (manual turns).
    #[serde(rename = "input_audio_buffer.commit")]
    CommitAudio,
    /// Drop the buffer.
    #[serde(rename = "input_audio_buffer.clear")]
    ClearAudio,
    /// Add an item to the conversation.
    #[serde(rename = "conversation.item.create")]
    CreateItem {
        /// The item.
        item: Item,
    },
    /// Cut an assistant item at what the caller actually heard.
    #[serde(rename = "conversation.item.truncate")]
    TruncateItem {
        /// The assistant item.
        item_id: String,
        /// Content part, 0 for audio.
        content_index: u32,
        /// Milliseconds of audio played.
        audio_end_ms: u64,
    },
    /// Ask for a response.
    #[serde(rename = "response.create")]
    CreateResponse {
        /// Optional response overrides.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        response: Option<Value>,
    },
    /// Stop the current response.
    #[serde(rename = "response.cancel")]
    CancelResponse {
        /// Which response, if not the current one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        response_id: Option<String>,
    },
}

impl ClientEvent {
    /// The GA `session.update` for a phone call: µ-law both ways, server VAD with barge-in,
    /// input transcription, and the tools.
    pub fn session_update(model: &str, config: &AgentSessionConfig) -> Self {
        let tools: Vec<Value> = config
            .tools
            .iter()
            .map(|t| json!({"type": "function", "name": t.name, "description": t.description, "parameters": t.parameters}))
            .collect();
        let mut transcription = json!({"model": "whisper-1"});
        if let Some(language) = config.language {
            transcription["language"] = json!(language.code());
        }
        let mut output = json!({"format": {"type": "audio/pcmu"}});
        if let Some(voice) = &config.voice {
            output["voice"] = json!(voice);
        }
        Self::SessionUpdate {
            session: json!({
                "type": "realtime",
                "model": model,
                "instructions": config.instructions,
                "output_modalities": ["audio"],
                "audio": {
                    "input": {
                        "format": {"type": "audio/pcmu"},
                        "transcription": transcription,
                        "turn_detection": {"type": "server_vad", "create_response": true, "interrupt_response": true}
                    },
                    "output": output
                },
                "tools": tools,
                "tool_choice": "auto"
            }),
        }
    }

    /// Serialises to the JSON text frame.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

/// The `error` object of an error event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// e.g. `invalid_request_error`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Machine code, may be null.
    pub code: Option<String>,
    /// Explanation.
    pub message: String,
    /// Offending parameter, may be null.
    pub param: Option<String>,
    /// Client event that caused it, may be null.
    pub event_id: Option<String>,
}

/// The `response` object of response lifecycle events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseInfo {
    /// Response id.
    pub id: Option<String>,
    /// `in_progress`, `completed`, `cancelled`, `failed`, `incomplete`.
    pub status: Option<String>,
}

/// An output item as carried by `response.output_item.*`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputItem {
    /// Item id.
    pub id: Option<String>,
    /// `message`, `function_call`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// For function calls.
    pub call_id: Option<String>,
    /// For function calls.
    pub name: Option<String>,
    /// For function calls, a JSON string.
    pub arguments: Option<String>,
}

/// An event from OpenAI to the application (the ones the voice path acts on).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ServerEvent {
    /// First message on the socket.
    #[serde(rename = "session.created")]
    SessionCreated {
        /// The session.
        session: Value,
    },
    /// Acknowledges `session.update`.
    #[serde(rename = "session.updated")]
    SessionUpdated {
        /// The session.
        session: Value,
    },
    /// VAD heard the caller start: the barge-in trigger.
    #[serde(rename = "input_audio_buffer.speech_started")]
    SpeechStarted {
        /// Position in the input audio.
        #[serde(default)]
        audio_start_ms: u64,
        /// The user item being created.
        item_id: Option<String>,
    },
    /// VAD heard the caller stop.
    #[serde(rename = "input_audio_buffer.speech_stopped")]
    SpeechStopped {
        /// Position in the input audio.
        #[serde(default)]
        audio_end_ms: u64,
        /// The user item.
        item_id: Option<String>,
    },
    /// What the caller said.
    #[serde(rename = "conversation.item.input_audio_transcription.completed")]
    InputTranscript {
        /// The user item.
        item_id: Option<String>,
        /// The text.
        transcript: String,
    },
    /// A response started.
    #[serde(rename = "response.created")]
    ResponseCreated {
        /// The response.
        response: ResponseInfo,
    },
    /// A chunk of assistant audio.
    #[serde(rename = "response.output_audio.delta", alias = "response.audio.delta")]
    AudioDelta {
        /// The response.
        response_id: Option<String>,
        /// The assistant item.
        item_id: Option<String>,
        /// Base64 audio in the output format.
        delta: String,
    },
    /// Assistant audio finished.
    #[serde(rename = "response.output_audio.done", alias = "response.audio.done")]
    AudioDone {
        /// The assistant item.
        item_id: Option<String>,
    },
    /// The full transcript of what the assistant said.
    #[serde(
        rename = "response.output_audio_transcript.done",
        alias = "response.audio_transcript.done"
    )]
    OutputTranscript {
        /// The assistant item.
        item_id: Option<String>,
        /// The text.
        transcript: String,
    },
    /// An output item finished (function calls carry their name here in beta).
    #[serde(rename = "response.output_item.done")]
    OutputItemDone {
        /// The item.
        item: OutputItem,
    },
    /// Function-call arguments are complete.
    #[serde(rename = "response.function_call_arguments.done")]
    FunctionCallArguments {
        /// Id to answer with.
        call_id: String,
        /// Function name (absent in the beta shape).
        name: Option<String>,
        /// Arguments as a JSON string.
        arguments: String,
        /// The function-call item.
        item_id: Option<String>,
    },
    /// A response finished.
    #[serde(rename = "response.done")]
    ResponseDone {
        /// The response with its final status.
        response: ResponseInfo,
    },
    /// Something went wrong.
    #[serde(rename = "error")]
    Error {
        /// What.
        error: ErrorDetail,
    },
    /// Any other event.
    #[serde(other)]
    Other,
}

impl ServerEvent {
    /// Parses one text frame.
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}
