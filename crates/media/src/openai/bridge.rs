//! Turns OpenAI Realtime server events into [`AgentEvent`]s and builds the client events for
//! barge-in, tool results and failover history.
//!
//! The bridge owns the per-session bookkeeping the protocol needs: which assistant item is
//! playing and how much of its audio was sent (to truncate it where the caller interrupted),
//! and function calls whose name only arrives in `response.output_item.done` (beta shape).
//! It does no IO, so the WebSocket client and the tests drive it the same way.

use std::collections::{HashMap, HashSet};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;

use super::events::{ClientEvent, ContentPart, Item, ServerEvent};
use crate::capability::agent::AgentEvent;
use crate::capability::{ConversationTurn, ProviderError, Speaker};

/// µ-law at 8 kHz: 8 bytes per millisecond.
const PCMU_BYTES_PER_MS: u64 = 8;

/// Per-session protocol state between OpenAI and the call.
#[derive(Debug, Default)]
pub struct RealtimeBridge {
    provider: String,
    playing_item: Option<String>,
    audio_ms_sent: u64,
    /// Calls whose arguments arrived without a name, by call id: (arguments).
    unnamed_calls: HashMap<String, String>,
    emitted_calls: HashSet<String>,
}

impl RealtimeBridge {
    /// A bridge for one session; `provider` names it in errors.
    pub fn new(provider: impl Into<String>) -> Self {
        Self {
            provider: provider.into(),
            ..Self::default()
        }
    }

    fn protocol(&self, detail: impl Into<String>) -> ProviderError {
        ProviderError::Protocol {
            provider: self.provider.clone(),
            detail: detail.into(),
        }
    }

    /// Handles one text frame from the server.
    pub fn handle_text(&mut self, text: &str) -> Result<Vec<AgentEvent>, ProviderError> {
        let event = ServerEvent::parse(text)
            .map_err(|e| self.protocol(format!("bad server event: {e}")))?;
        self.handle(event)
    }

    /// Handles one parsed server event.
    pub fn handle(&mut self, event: ServerEvent) -> Result<Vec<AgentEvent>, ProviderError> {
        Ok(match event {
            ServerEvent::AudioDelta { item_id, delta, .. } => {
                let audio = BASE64
                    .decode(delta.as_bytes())
                    .map_err(|_| self.protocol("audio delta is not base64"))?;
                let sent_before = if item_id == self.playing_item {
                    self.audio_ms_sent
                } else {
                    0
                };
                let added = u64::try_from(audio.len()).unwrap_or(u64::MAX) / PCMU_BYTES_PER_MS;
                let sent = sent_before.checked_add(added).ok_or_else(|| {
                    self.protocol("audio sent for one item overflows the counter")
                })?;
                self.playing_item = item_id;
                self.audio_ms_sent = sent;
                vec![AgentEvent::Audio(audio)]
            }
            ServerEvent::SpeechStarted { .. } => vec![AgentEvent::SpeechStarted],
            ServerEvent::InputTranscript { transcript, .. } => {
                vec![transcript_event(Speaker::Customer, transcript)]
            }
            ServerEvent::OutputTranscript { transcript, .. } => {
                vec![transcript_event(Speaker::Assistant, transcript)]
            }
            ServerEvent::FunctionCallArguments {
                call_id,
                name: Some(name),
                arguments,
                ..
            } => self.tool_call(call_id, name, &arguments)?,
            ServerEvent::FunctionCallArguments {
                call_id,
                name: None,
                arguments,
                ..
            } => {
                self.unnamed_calls.insert(call_id, arguments);
                Vec::new()
            }
            ServerEvent::OutputItemDone { item } if item.kind == "function_call" => {
                match (item.call_id, item.name) {
                    (Some(call_id), Some(name)) => {
                        let arguments = self
                            .unnamed_calls
                            .remove(&call_id)
                            .or(item.arguments)
                            .unwrap_or_else(|| "{}".to_owned());
                        self.tool_call(call_id, name, &arguments)?
                    }
                    _ => return Err(self.protocol("function_call item without call_id or name")),
                }
            }
            ServerEvent::ResponseDone { .. } => {
                self.playing_item = None;
                vec![AgentEvent::ResponseDone]
            }
            ServerEvent::Error { error } => {
                let detail = format!(
                    "{}: {}",
                    error.code.as_deref().unwrap_or(&error.kind),
                    error.message
                );
                return Err(if error.kind == "invalid_request_error" {
                    ProviderError::Rejected {
                        provider: self.provider.clone(),
                        detail,
                    }
                } else {
                    ProviderError::Unavailable {
                        provider: self.provider.clone(),
                        detail,
                    }
                });
            }
            _ => Vec::new(),
        })
    }

    fn tool_call(
        &mut self,
        call_id: String,
        name: String,
        arguments: &str,
    ) -> Result<Vec<AgentEvent>, ProviderError> {
        // GA sends the call in both the arguments event and the item; report it once.
        if !self.emitted_calls.insert(call_id.clone()) {
            return Ok(Vec::new());
        }
        let arguments: Value = serde_json::from_str(arguments)
            .map_err(|_| self.protocol(format!("arguments of {name} are not JSON")))?;
        Ok(vec![AgentEvent::ToolCall {
            call_id,
            name,
            arguments,
        }])
    }

    /// Events to send when the caller interrupts after `played_ms` of the current item was
    /// heard: truncate the item there (so the model knows what was not heard) and cancel the
    /// response. The caller also clears the carrier's queued audio (Twilio `clear`).
    pub fn barge_in(&mut self, played_ms: u64) -> Vec<ClientEvent> {
        let mut events = Vec::new();
        if let Some(item_id) = self.playing_item.take() {
            events.push(ClientEvent::TruncateItem {
                item_id,
                content_index: 0,
                audio_end_ms: played_ms.min(self.audio_ms_sent),
            });
        }
        events.push(ClientEvent::CancelResponse { response_id: None });
        events
    }

    /// Events answering a tool call and asking the model to speak about the result.
    pub fn tool_result(call_id: &str, output: &Value) -> Vec<ClientEvent> {
        vec![
            ClientEvent::CreateItem {
                item: Item::FunctionCallOutput {
                    call_id: call_id.to_owned(),
                    output: output.to_string(),
                },
            },
            ClientEvent::CreateResponse { response: None },
        ]
    }

    /// Events replaying an earlier conversation as text, for a session taking over a call.
    pub fn replay_history(history: &[ConversationTurn]) -> Vec<ClientEvent> {
        history
            .iter()
            .map(|turn| {
                let (role, part) = match turn.speaker {
                    Speaker::Customer => (
                        "user",
                        ContentPart::InputText {
                            text: turn.text.clone(),
                        },
                    ),
                    Speaker::Assistant | Speaker::Agent => (
                        "assistant",
                        ContentPart::OutputText {
                            text: turn.text.clone(),
                        },
                    ),
                };
                ClientEvent::CreateItem {
                    item: Item::Message {
                        role: role.to_owned(),
                        content: vec![part],
                    },
                }
            })
            .collect()
    }
}

fn transcript_event(speaker: Speaker, text: String) -> AgentEvent {
    AgentEvent::Transcript {
        turn: ConversationTurn { speaker, text },
        is_final: true,
    }
}

#[cfg(test)]
#[path = "bridge_tests.rs"]
mod tests;
