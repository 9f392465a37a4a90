//! Call flows (the IVR) as versioned graphs of nodes, exchanged as JSON between the flow
//! editor, the API and the call actor. Validation and the interpreter live in `cc-core::flow`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::skills::SkillRequirement;

/// Text per language code (`en`, `cs`, ...).
pub type Prompt = BTreeMap<String, String>;

/// A call flow at one version.
///
/// ```
/// use cc_types::call_flow::CallFlow;
/// let flow: CallFlow = serde_json::from_str(r#"{
///   "id": "0190c5a4-0000-7000-8000-000000000001", "version": 1, "name": "Hello",
///   "languages": ["en"],
///   "nodes": [
///     {"id": "start", "type": "start", "next": "bye"},
///     {"id": "bye", "type": "hangup"}
///   ]}"#).unwrap();
/// assert_eq!(flow.nodes.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallFlow {
    /// The flow's id (stable across versions).
    pub id: Uuid,
    /// Version number; a published version never changes.
    pub version: u32,
    /// Shown to supervisors.
    pub name: String,
    /// Languages every prompt must have text for; the first is the default.
    pub languages: Vec<String>,
    /// The nodes.
    pub nodes: Vec<FlowNode>,
}

/// One node of the graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowNode {
    /// Unique within the flow.
    pub id: String,
    /// What the node does.
    #[serde(flatten)]
    pub kind: NodeKind,
}

/// How a gather collects input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum GatherInput {
    /// Keypad digits.
    Digits {
        /// Fewest digits accepted.
        min_length: u8,
        /// Most digits accepted.
        max_length: u8,
        /// Key that ends input early, such as `#`.
        terminator: Option<String>,
    },
    /// Speech recognized in `language`.
    Speech {
        /// Expected language code.
        language: String,
    },
}

/// Where a node that asks the caller for input goes next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InputBranches {
    /// How many times the prompt is repeated after no input or invalid input.
    pub retries: u8,
    /// Seconds to wait for input.
    pub timeout_secs: u32,
    /// Taken when the caller said nothing on the last try.
    pub no_input: Option<String>,
    /// Taken when the input was invalid on the last try.
    pub invalid: Option<String>,
}

/// The kinds of node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NodeKind {
    /// Where every call begins; exactly one per flow.
    Start {
        /// First node.
        next: String,
    },
    /// Speak text in the call's language.
    Say {
        /// Text per language.
        text: Prompt,
        /// Next node.
        next: String,
    },
    /// Play an audio asset.
    Play {
        /// Asset id or path in the media store.
        asset: String,
        /// Next node.
        next: String,
    },
    /// Offer choices by digit.
    Menu {
        /// What the caller hears.
        prompt: Prompt,
        /// Digit to node.
        options: BTreeMap<String, String>,
        /// Retry policy and failure branches.
        input: InputBranches,
    },
    /// Collect digits or speech into a variable.
    Gather {
        /// What the caller hears.
        prompt: Prompt,
        /// Digits or speech.
        collect: GatherInput,
        /// Variable the input is stored in.
        variable: String,
        /// Next node on valid input.
        next: String,
        /// Retry policy and failure branches.
        input: InputBranches,
    },
    /// Branch on an expression such as `language == 'cs' && tags contains 'vip'`.
    Condition {
        /// The expression (see `cc-core::flow::expr`).
        expression: String,
        /// Taken when true.
        then: String,
        /// Taken when false.
        otherwise: String,
    },
    /// Store an expression's value in a variable.
    SetVariable {
        /// Variable name.
        name: String,
        /// Expression whose value is stored.
        value: String,
        /// Next node.
        next: String,
    },
    /// Let the caller choose a language by digit.
    LanguageSelect {
        /// What the caller hears.
        prompt: Prompt,
        /// Digit to language code.
        options: BTreeMap<String, String>,
        /// Next node once chosen.
        next: String,
        /// Retry policy and failure branches.
        input: InputBranches,
    },
    /// Branch on a business-hours calendar.
    BusinessHours {
        /// The calendar.
        calendar: Uuid,
        /// Taken when open.
        open: String,
        /// Taken when closed.
        closed: String,
        /// Taken on a holiday.
        holiday: String,
    },
    /// Put the call in a queue for a human agent (ends the flow).
    Enqueue {
        /// The queue.
        queue: Uuid,
        /// Priority 1–10.
        priority: u8,
        /// Skills the agent needs.
        skills: Vec<SkillRequirement>,
    },
    /// Connect an AI agent; without branches the flow ends when the AI is done.
    AiAgent {
        /// AI agent profile.
        profile: Uuid,
        /// Tools the AI may call.
        allowed_tools: Vec<String>,
        /// Variable that receives the AI's summary on hand-off.
        summary_variable: String,
        /// Taken when the AI hands the caller to a human.
        handed_off: Option<String>,
        /// Taken when the AI finished the conversation.
        finished: Option<String>,
        /// Taken when the AI failed.
        failed: Option<String>,
    },
    /// Transfer to an external number (ends the flow).
    Transfer {
        /// E.164 number.
        number: String,
    },
    /// Record a voicemail (ends the flow).
    Voicemail {
        /// Mailbox id.
        mailbox: Uuid,
    },
    /// Offer a callback: digit 1 accepts.
    CallbackOffer {
        /// What the caller hears.
        prompt: Prompt,
        /// Taken when accepted.
        accepted: String,
        /// Taken when declined.
        declined: String,
        /// Retry policy and failure branches.
        input: InputBranches,
    },
    /// Call a webhook function; its result goes into a variable.
    Webhook {
        /// Function name.
        function: String,
        /// Milliseconds before the call counts as failed.
        timeout_ms: u32,
        /// Variable that receives the result.
        result_variable: String,
        /// Next node on success.
        next: String,
        /// Next node on failure or timeout.
        failure: String,
    },
    /// End the call.
    Hangup,
}

/// Stable codes for flow validation problems; the SPA translates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FlowProblemCode {
    /// The flow has no start node.
    MissingStart,
    /// The flow has more than one start node.
    MultipleStarts,
    /// Two nodes share an id.
    DuplicateNodeId,
    /// An edge points at a node that does not exist.
    UnknownTarget,
    /// No path from the start reaches this node.
    Unreachable,
    /// No terminal action (hangup, enqueue, transfer, voicemail, AI agent) can be reached.
    NoTerminal,
    /// A menu, gather, language select or callback offer lacks its no-input branch.
    MissingNoInputBranch,
    /// A menu, gather, language select or callback offer lacks its invalid-input branch.
    MissingInvalidBranch,
    /// A cycle passes no node that waits for caller input.
    LoopWithoutInput,
    /// A prompt lacks text for a language the flow declares.
    MissingPromptText,
    /// A variable may be read before any node sets it.
    VariableReadBeforeSet,
    /// An expression does not parse.
    InvalidExpression,
    /// The flow declares no language.
    NoLanguages,
    /// A menu or language select has no options.
    EmptyMenu,
    /// A priority, digit count or level is out of range.
    OutOfRange,
}

/// One validation problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FlowProblem {
    /// The node concerned, when there is one.
    pub node: Option<String>,
    /// Stable code.
    pub code: FlowProblemCode,
    /// English explanation for logs; the SPA localizes by `code`.
    pub message: String,
}
