//! The pure interpreter: `step(flow, call_state, event) -> (call_state, actions)`. It runs
//! nodes until the call must wait (for input, an action's result) or leaves the flow, and
//! answers what the call actor must do. It keeps no clock: time comes in a [`FlowEnv`].

use cc_types::call_flow::{FlowNode, GatherInput, NodeKind, Prompt};
use chrono::{Datelike, Timelike};

use super::expr::{Scope, Value, evaluate};
use super::graph::input;
use super::publish::PublishedFlow;
use super::run::{ActionResult, CallState, FlowAction, FlowEnv, FlowEvent, StepError, Waiting};

/// Most nodes one event may run through before the interpreter gives up.
pub const STEP_LIMIT: usize = 1000;

struct CallScope<'a> {
    state: &'a CallState,
    pub(super) env: &'a FlowEnv,
}

impl Scope for CallScope<'_> {
    fn get(&self, name: &str) -> Value {
        let local = self.env.now.with_timezone(&self.env.time_zone);
        match name {
            "language" => Value::Text(self.state.language.clone()),
            "hour" => Value::Number(f64::from(local.hour())),
            "weekday" => Value::Number(f64::from(local.weekday().number_from_monday())),
            "business_hours" => {
                let calendar = self
                    .env
                    .default_calendar
                    .and_then(|id| self.env.calendars.get(&id));
                calendar.map_or(Value::Null, |c| {
                    Value::Text(format!("{:?}", c.status_at(self.env.now)).to_lowercase())
                })
            }
            _ => self
                .state
                .variables
                .get(name)
                .cloned()
                .unwrap_or(Value::Null),
        }
    }
}

pub(super) enum Next {
    Node(usize),
    Stop,
}

pub(super) enum Answer {
    Go {
        target: String,
        set: Option<(String, Value)>,
        language: Option<String>,
    },
    Invalid,
    Silent,
}

pub(super) struct Run<'a> {
    pub(super) flow: &'a PublishedFlow,
    pub(super) env: &'a FlowEnv,
    pub(super) state: CallState,
    pub(super) actions: Vec<FlowAction>,
}

/// Applies one event to a call and answers its new state and the actions to carry out.
///
/// ```
/// use cc_core::flow::{step, CallState, FlowAction, FlowEnv, FlowEvent, PublishedFlow};
/// use cc_types::call_flow::CallFlow;
/// let flow: CallFlow = serde_json::from_str(r#"{"id": "0190c5a4-0000-7000-8000-000000000001",
///   "version": 3, "name": "Hello", "languages": ["en"], "nodes": [
///   {"id": "start", "type": "start", "next": "hi"},
///   {"id": "hi", "type": "say", "text": {"en": "Hello"}, "next": "bye"},
///   {"id": "bye", "type": "hangup"}]}"#).unwrap();
/// let flow = PublishedFlow::publish(flow).unwrap();
/// let env = FlowEnv::at(chrono::DateTime::UNIX_EPOCH);
/// let call = CallState::new(flow.id(), flow.version());
/// let started = FlowEvent::Started { caller: "+1".into(), called: "+2".into(), tags: vec![] };
/// let (call, actions) = step(&flow, call, started, &env).unwrap();
/// assert_eq!(actions[1], FlowAction::Hangup);
/// assert_eq!(call.path, ["start", "hi", "bye"]);
/// ```
pub fn step(
    flow: &PublishedFlow,
    state: CallState,
    event: FlowEvent,
    env: &FlowEnv,
) -> Result<(CallState, Vec<FlowAction>), StepError> {
    if state.version != flow.version() || state.flow != flow.id() {
        return Err(StepError::VersionMismatch {
            call: state.version,
            flow: flow.version(),
        });
    }
    let waiting = state.waiting.clone();
    let mut run = Run {
        flow,
        env,
        state,
        actions: Vec::new(),
    };
    match (waiting, event) {
        (Waiting::Ended, event) => {
            return Err(unexpected(&event, "nothing (the call left the flow)"));
        }
        (_, FlowEvent::HungUp) => run.state.waiting = Waiting::Ended,
        (
            Waiting::Start,
            FlowEvent::Started {
                caller,
                called,
                tags,
            },
        ) => {
            run.set("caller", Value::Text(caller));
            run.set("called", Value::Text(called));
            run.set("tags", Value::List(tags));
            run.state.language = flow.default_language().to_owned();
            run.run_from(flow.start())?;
        }
        (
            Waiting::Input { node, retries },
            event @ (FlowEvent::Digits { .. } | FlowEvent::Speech { .. } | FlowEvent::NoInput),
        ) => {
            run.on_input(&node, retries, event)?;
        }
        (Waiting::Action { node, .. }, FlowEvent::ActionCompleted { result }) => {
            run.on_result(&node, result)?
        }
        (
            Waiting::Action {
                node,
                timer: Some(t),
            },
            FlowEvent::TimerFired { timer },
        ) if t == timer => {
            run.on_result(
                &node,
                ActionResult::WebhookFailed {
                    reason: "timeout".into(),
                },
            )?;
        }
        (_, FlowEvent::TimerFired { .. }) => {} // a timer for a step already finished
        (waiting, event) => return Err(unexpected(&event, &format!("{waiting:?}"))),
    }
    Ok((run.state, run.actions))
}

fn unexpected(event: &FlowEvent, waiting: &str) -> StepError {
    let event = match event {
        FlowEvent::Started { .. } => "started",
        FlowEvent::Digits { .. } => "digits",
        FlowEvent::Speech { .. } => "speech",
        FlowEvent::NoInput => "no_input",
        FlowEvent::ActionCompleted { .. } => "action_completed",
        FlowEvent::TimerFired { .. } => "timer_fired",
        FlowEvent::HungUp => "hung_up",
    };
    StepError::Unexpected {
        event,
        waiting: waiting.to_owned(),
    }
}

impl Run<'_> {
    pub(super) fn set(&mut self, name: &str, value: Value) {
        self.state.variables.insert(name.to_owned(), value);
    }

    pub(super) fn index(&self, id: &str) -> Result<usize, StepError> {
        self.flow
            .node_index(id)
            .ok_or_else(|| StepError::UnknownNode(id.to_owned()))
    }

    pub(super) fn node(&self, i: usize) -> Result<&FlowNode, StepError> {
        self.flow
            .node(i)
            .ok_or_else(|| StepError::UnknownNode(format!("#{i}")))
    }

    pub(super) fn goto(&mut self, id: &str) -> Result<(), StepError> {
        let i = self.index(id)?;
        self.run_from(i)
    }

    pub(super) fn end(&mut self, action: FlowAction) {
        self.actions.push(action);
        self.state.waiting = Waiting::Ended;
    }

    fn run_from(&mut self, mut i: usize) -> Result<(), StepError> {
        for _ in 0..STEP_LIMIT {
            let id = self.node(i)?.id.clone();
            self.state.path.push(id);
            match self.enter(i)? {
                Next::Node(j) => i = j,
                Next::Stop => return Ok(()),
            }
        }
        Err(StepError::StepLimit(STEP_LIMIT))
    }

    pub(super) fn text(&self, prompt: &Prompt) -> FlowAction {
        let language = self.state.language.clone();
        let text = prompt
            .get(&language)
            .or_else(|| prompt.get(self.flow.default_language()))
            .or_else(|| prompt.values().next())
            .cloned()
            .unwrap_or_default();
        FlowAction::Say { text, language }
    }

    pub(super) fn eval(&self, i: usize) -> Value {
        let scope = CallScope {
            state: &self.state,
            env: self.env,
        };
        self.flow
            .parsed(i)
            .map_or(Value::Null, |e| evaluate(e, &scope))
    }

    /// Prompts and waits for input at an input node.
    pub(super) fn ask(&mut self, i: usize, retries: u8) -> Result<(), StepError> {
        let flow = self.flow;
        let node = flow
            .node(i)
            .ok_or_else(|| StepError::UnknownNode(format!("#{i}")))?;
        let one_digit = GatherInput::Digits {
            min_length: 1,
            max_length: 1,
            terminator: None,
        };
        let (prompt, gather) = match &node.kind {
            NodeKind::Menu { prompt, .. }
            | NodeKind::LanguageSelect { prompt, .. }
            | NodeKind::CallbackOffer { prompt, .. } => (prompt, one_digit),
            NodeKind::Gather {
                prompt, collect, ..
            } => (prompt, collect.clone()),
            _ => return Err(StepError::UnknownNode(node.id.clone())),
        };
        let timeout_secs = input(&node.kind).map_or(5, |b| b.timeout_secs);
        let say = self.text(prompt);
        self.actions.push(say);
        self.actions.push(FlowAction::Gather {
            input: gather,
            timeout_secs,
        });
        self.state.waiting = Waiting::Input {
            node: node.id.clone(),
            retries,
        };
        Ok(())
    }
}
