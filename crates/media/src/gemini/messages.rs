//! Gemini Live messages. Client messages are built as camelCase JSON with exactly one
//! top-level key; server messages are parsed accepting both camelCase and snake_case, since
//! the API is proto3-JSON and peers mix the two.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::capability::agent::AgentSessionConfig;
use crate::capability::{ConversationTurn, Speaker};

/// MIME type of the audio we send.
pub const INPUT_MIME: &str = "audio/pcm;rate=16000";

/// The `setup` message for a phone call.
///
/// Tool parameters are plain JSON Schema, so they go in `parametersJsonSchema` rather than
/// Google's upper-case `Schema` subset.
pub fn setup(model: &str, config: &AgentSessionConfig) -> Value {
    let model = if model.starts_with("models/") {
        model.to_owned()
    } else {
        format!("models/{model}")
    };
    let mut speech = json!({});
    if let Some(voice) = &config.voice {
        speech["voiceConfig"] = json!({"prebuiltVoiceConfig": {"voiceName": voice}});
    }
    if let Some(language) = config.language {
        speech["languageCode"] = json!(language.code());
    }
    let declarations: Vec<Value> = config
        .tools
        .iter()
        .map(|t| json!({"name": t.name, "description": t.description, "parametersJsonSchema": t.parameters}))
        .collect();
    let mut setup = json!({
        "model": model,
        "generationConfig": {"responseModalities": ["AUDIO"], "speechConfig": speech},
        "systemInstruction": {"parts": [{"text": config.instructions}], "role": "user"},
        "inputAudioTranscription": {},
        "outputAudioTranscription": {}
    });
    if !declarations.is_empty() {
        setup["tools"] = json!([{"functionDeclarations": declarations}]);
    }
    json!({ "setup": setup })
}

/// A `realtimeInput` message carrying PCM16 LE at 16 kHz.
pub fn audio(pcm16_le_base64: String) -> Value {
    json!({"realtimeInput": {"audio": {"mimeType": INPUT_MIME, "data": pcm16_le_base64}}})
}

/// A `toolResponse` answering one function call.
pub fn tool_response(id: &str, name: &str, output: &Value) -> Value {
    json!({"toolResponse": {"functionResponses": [{"id": id, "name": name, "response": output}]}})
}

/// A `clientContent` replaying an earlier conversation, without asking for a reply.
pub fn history(turns: &[ConversationTurn]) -> Value {
    let turns: Vec<Value> = turns
        .iter()
        .map(|t| {
            let role = if t.speaker == Speaker::Customer {
                "user"
            } else {
                "model"
            };
            json!({"role": role, "parts": [{"text": t.text}]})
        })
        .collect();
    json!({"clientContent": {"turns": turns, "turnComplete": false}})
}

/// Inline audio or text in a model turn.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Blob {
    /// e.g. `audio/pcm;rate=24000`.
    #[serde(alias = "mime_type")]
    pub mime_type: String,
    /// Base64 data.
    pub data: String,
}

/// One part of a model turn.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Part {
    /// Audio.
    #[serde(alias = "inline_data")]
    pub inline_data: Option<Blob>,
    /// Text.
    pub text: Option<String>,
}

/// The model's turn content.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ModelTurn {
    /// Parts in order.
    #[serde(default)]
    pub parts: Vec<Part>,
}

/// A piece of transcription.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Transcription {
    /// The text.
    #[serde(default)]
    pub text: String,
    /// Whether the utterance is complete.
    #[serde(default)]
    pub finished: bool,
}

/// `serverContent`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerContent {
    /// Model output.
    #[serde(alias = "model_turn")]
    pub model_turn: Option<ModelTurn>,
    /// The model finished its turn.
    #[serde(default, alias = "turn_complete")]
    pub turn_complete: bool,
    /// The caller interrupted: flush playback.
    #[serde(default)]
    pub interrupted: bool,
    /// What the caller said.
    #[serde(alias = "input_transcription")]
    pub input_transcription: Option<Transcription>,
    /// What the model said.
    #[serde(alias = "output_transcription")]
    pub output_transcription: Option<Transcription>,
}

/// One requested function call; `args` is an object, not a string.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FunctionCall {
    /// Id to answer with.
    pub id: String,
    /// Function name.
    pub name: String,
    /// Arguments.
    #[serde(default)]
    pub args: Value,
}

/// `toolCall`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolCall {
    /// The calls.
    #[serde(default, alias = "function_calls")]
    pub function_calls: Vec<FunctionCall>,
}

/// A server message; exactly one field is set, unknown ones are ignored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerMessage {
    /// Handshake done.
    #[serde(alias = "setup_complete")]
    pub setup_complete: Option<Value>,
    /// Model output and transcriptions.
    #[serde(alias = "server_content")]
    pub server_content: Option<ServerContent>,
    /// Function calls.
    #[serde(alias = "tool_call")]
    pub tool_call: Option<ToolCall>,
    /// The server will disconnect soon.
    #[serde(alias = "go_away")]
    pub go_away: Option<Value>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::capability::Language;
    use crate::capability::agent::ToolSpec;

    #[test]
    fn setup_has_the_documented_shape() {
        let config = AgentSessionConfig {
            instructions: "You are a phone agent.".into(),
            voice: Some("Puck".into()),
            language: Some(Language::Cs),
            tools: vec![ToolSpec {
                name: "get_weather".into(),
                description: "Weather".into(),
                parameters: json!({"type":"object"}),
            }],
            history: Vec::new(),
        };
        let msg = setup("gemini-live-2.5-flash-preview", &config);
        let s = &msg["setup"];
        assert_eq!(msg.as_object().unwrap().len(), 1);
        assert_eq!(s["model"], "models/gemini-live-2.5-flash-preview");
        assert_eq!(
            s["generationConfig"]["responseModalities"],
            json!(["AUDIO"])
        );
        assert_eq!(
            s["generationConfig"]["speechConfig"],
            json!({"voiceConfig":{"prebuiltVoiceConfig":{"voiceName":"Puck"}},"languageCode":"cs"})
        );
        assert_eq!(
            s["systemInstruction"],
            json!({"parts":[{"text":"You are a phone agent."}],"role":"user"})
        );
        assert_eq!(
            s["tools"][0]["functionDeclarations"][0]["name"],
            "get_weather"
        );
        assert_eq!(s["inputAudioTranscription"], json!({}));
        assert_eq!(setup("models/x", &config)["setup"]["model"], "models/x");
    }

    #[test]
    fn server_messages_parse_in_either_casing() {
        let camel: ServerMessage = serde_json::from_str(r#"{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"mimeType":"audio/pcm","data":"AAA="}}]},"turnComplete":true}}"#).unwrap();
        let snake: ServerMessage = serde_json::from_str(r#"{"server_content":{"model_turn":{"parts":[{"inline_data":{"mime_type":"audio/pcm","data":"AAA="}}]},"turn_complete":true}}"#).unwrap();
        assert_eq!(camel, snake);
        let content = camel.server_content.unwrap();
        assert!(content.turn_complete);
        assert_eq!(
            content.model_turn.unwrap().parts[0]
                .inline_data
                .as_ref()
                .unwrap()
                .data,
            "AAA="
        );
        let call: ServerMessage = serde_json::from_str(r#"{"toolCall":{"functionCalls":[{"id":"fc_1","name":"get_weather","args":{"city":"Paris"}}]}}"#).unwrap();
        assert_eq!(
            call.tool_call.unwrap().function_calls[0].args,
            json!({"city":"Paris"})
        );
        let done: ServerMessage = serde_json::from_str(r#"{"setupComplete":{}}"#).unwrap();
        assert!(done.setup_complete.is_some());
        assert_eq!(
            serde_json::from_str::<ServerMessage>(r#"{"usageMetadata":{"x":1}}"#).unwrap(),
            ServerMessage::default()
        );
        assert!(
            serde_json::from_str::<ServerMessage>(r#"{"serverContent":{"turnComplete":"yes"}}"#)
                .is_err()
        );
    }

    #[test]
    fn client_messages_have_one_top_level_key() {
        assert_eq!(
            audio("AAA=".into()),
            json!({"realtimeInput":{"audio":{"mimeType":"audio/pcm;rate=16000","data":"AAA="}}})
        );
        assert_eq!(
            tool_response("fc_1", "get_weather", &json!({"result":"21C"})),
            json!({"toolResponse":{"functionResponses":[{"id":"fc_1","name":"get_weather","response":{"result":"21C"}}]}})
        );
        let replay = history(&[
            ConversationTurn {
                speaker: Speaker::Customer,
                text: "Hi".into(),
            },
            ConversationTurn {
                speaker: Speaker::Assistant,
                text: "Hello".into(),
            },
        ]);
        assert_eq!(
            replay,
            json!({"clientContent":{"turns":[{"role":"user","parts":[{"text":"Hi"}]},{"role":"model","parts":[{"text":"Hello"}]}],"turnComplete":false}})
        );
    }
}
