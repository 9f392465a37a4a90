//! The interpreter's vocabulary: a call's position in a flow, the events the call actor
//! reports and the actions it is asked to carry out.

use std::collections::BTreeMap;

use cc_types::call_flow::GatherInput;
use cc_types::skills::SkillRequirement;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::expr::Value;
use crate::hours::Calendar;

/// What the interpreter waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "waiting", rename_all = "snake_case")]
pub enum Waiting {
    /// The call has not started.
    Start,
    /// Caller input for the node.
    Input {
        /// The node.
        node: String,
        /// Retries used so far.
        retries: u8,
    },
    /// The result of an action (webhook or AI agent) started by the node.
    Action {
        /// The node.
        node: String,
        /// The timeout timer, if any.
        timer: Option<u32>,
    },
    /// The flow is done with the call.
    Ended,
}

/// A call's position in a flow: plain data, stored by the call actor between events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallState {
    /// The flow.
    pub flow: Uuid,
    /// The version the call started on; it keeps it to the end.
    pub version: u32,
    /// What the interpreter waits for.
    pub waiting: Waiting,
    /// The call's language.
    pub language: String,
    /// Flow variables and builtins (`caller`, `called`, `tags`, `intent`, `sentiment`, ...).
    pub variables: BTreeMap<String, Value>,
    /// Node ids visited, in order.
    pub path: Vec<String>,
    /// Last timer number handed out.
    pub timers: u32,
}

impl CallState {
    /// A call about to start on a flow version.
    pub fn new(flow: Uuid, version: u32) -> Self {
        Self {
            flow,
            version,
            waiting: Waiting::Start,
            language: String::new(),
            variables: BTreeMap::new(),
            path: Vec::new(),
            timers: 0,
        }
    }
}

/// How an action the actor carried out ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ActionResult {
    /// The webhook answered.
    WebhookOk {
        /// Its result, stored in the node's variable.
        body: String,
    },
    /// The webhook failed.
    WebhookFailed {
        /// Why, for logs.
        reason: String,
    },
    /// The AI agent handed the caller to a human.
    AiHandedOff {
        /// The AI's summary of the conversation.
        summary: String,
    },
    /// The AI agent finished the conversation.
    AiFinished,
    /// The AI agent failed.
    AiFailed {
        /// Why, for logs.
        reason: String,
    },
}

/// What happened on the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum FlowEvent {
    /// The call entered the flow.
    Started {
        /// Caller number.
        caller: String,
        /// Dialled number.
        called: String,
        /// Customer tags.
        tags: Vec<String>,
    },
    /// The caller pressed keys.
    Digits {
        /// The keys.
        digits: String,
    },
    /// Speech was recognized.
    Speech {
        /// The text.
        text: String,
        /// Detected language.
        language: Option<String>,
        /// Detected intent.
        intent: Option<String>,
        /// Sentiment from -1 to 1.
        sentiment: Option<f64>,
    },
    /// The caller gave no input before the timeout.
    NoInput,
    /// An action finished.
    ActionCompleted {
        /// How.
        result: ActionResult,
    },
    /// A timer set by the interpreter fired.
    TimerFired {
        /// The timer's number.
        timer: u32,
    },
    /// The caller hung up.
    HungUp,
}

/// What the call actor must do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum FlowAction {
    /// Speak text.
    Say {
        /// Text.
        text: String,
        /// Its language.
        language: String,
    },
    /// Play an audio asset.
    Play {
        /// The asset.
        asset: String,
    },
    /// Collect input, then report digits, speech or no input.
    Gather {
        /// Digits or speech.
        input: GatherInput,
        /// Seconds to wait.
        timeout_secs: u32,
    },
    /// Queue the call for an agent, passing the flow's variables along.
    Enqueue {
        /// Queue.
        queue: Uuid,
        /// Priority.
        priority: u8,
        /// Skills.
        skills: Vec<SkillRequirement>,
        /// Variables for the agent's screen (an AI summary, gathered account numbers, ...).
        variables: BTreeMap<String, Value>,
    },
    /// Connect an AI agent.
    ConnectAi {
        /// Profile.
        profile: Uuid,
        /// Tools it may call.
        allowed_tools: Vec<String>,
        /// The call's language.
        language: String,
    },
    /// Transfer to an external number.
    Transfer {
        /// Number.
        number: String,
    },
    /// Record a voicemail.
    RecordVoicemail {
        /// Mailbox.
        mailbox: Uuid,
    },
    /// Call a webhook function with the flow's variables.
    CallWebhook {
        /// Function.
        function: String,
        /// Arguments.
        variables: BTreeMap<String, Value>,
    },
    /// Report `TimerFired { timer }` after this long.
    SetTimer {
        /// Timer number.
        timer: u32,
        /// Milliseconds.
        after_ms: u32,
    },
    /// Hang up.
    Hangup,
}

/// What the interpreter may consult besides the call: the time, the organization's time
/// zone (for `hour` and `weekday`) and its business-hours calendars.
#[derive(Debug, Clone)]
pub struct FlowEnv {
    /// Now.
    pub now: DateTime<Utc>,
    /// The organization's time zone.
    pub time_zone: Tz,
    /// Calendars by id.
    pub calendars: BTreeMap<Uuid, Calendar>,
    /// The calendar behind the `business_hours` builtin.
    pub default_calendar: Option<Uuid>,
}

impl FlowEnv {
    /// An environment in UTC with no calendars.
    pub fn at(now: DateTime<Utc>) -> Self {
        Self {
            now,
            time_zone: Tz::UTC,
            calendars: BTreeMap::new(),
            default_calendar: None,
        }
    }
}

/// An event the interpreter cannot apply.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StepError {
    /// The call runs on another version than the flow given.
    #[error("call is on version {call}, flow given is version {flow}")]
    VersionMismatch {
        /// The call's version.
        call: u32,
        /// The flow's version.
        flow: u32,
    },
    /// The event does not fit what the interpreter waits for.
    #[error("event {event} is not expected while waiting for {waiting}")]
    Unexpected {
        /// The event's name.
        event: &'static str,
        /// What was awaited.
        waiting: String,
    },
    /// The state names a node the flow lacks.
    #[error("node {0:?} is not in the flow")]
    UnknownNode(String),
    /// Too many nodes ran without waiting (only possible for unvalidated flows).
    #[error("more than {0} nodes ran without waiting for anything")]
    StepLimit(usize),
}
