//! How the interpreter reads the caller's answer at an input node, and what it does with
//! an action's result: branch, retry, or give up along the failure branch.

use cc_types::call_flow::{GatherInput, NodeKind};

use super::expr::Value;
use super::graph::input;
use super::interpret::{Answer, Run};
use super::run::{ActionResult, FlowAction, FlowEvent, StepError, Waiting};

fn judge(kind: &NodeKind, event: &FlowEvent) -> Answer {
    let go = |target: &String| Answer::Go {
        target: target.clone(),
        set: None,
        language: None,
    };
    match (kind, event) {
        (_, FlowEvent::NoInput) => Answer::Silent,
        (
            NodeKind::Menu { options, .. },
            FlowEvent::Digits { digits: key } | FlowEvent::Speech { text: key, .. },
        ) => options.get(key.trim()).map_or(Answer::Invalid, go),
        (
            NodeKind::Gather {
                collect:
                    GatherInput::Digits {
                        min_length,
                        max_length,
                        terminator,
                    },
                variable,
                next,
                ..
            },
            FlowEvent::Digits { digits },
        ) => {
            let digits = terminator
                .as_deref()
                .and_then(|t| digits.strip_suffix(t))
                .unwrap_or(digits);
            let len = digits.chars().count();
            let valid = digits.chars().all(|c| c.is_ascii_digit())
                && (usize::from(*min_length)..=usize::from(*max_length)).contains(&len);
            if valid {
                Answer::Go {
                    target: next.clone(),
                    set: Some((variable.clone(), Value::Text(digits.to_owned()))),
                    language: None,
                }
            } else {
                Answer::Invalid
            }
        }
        (
            NodeKind::Gather {
                collect: GatherInput::Speech { .. },
                variable,
                next,
                ..
            },
            FlowEvent::Speech { text, .. },
        ) if !text.trim().is_empty() => Answer::Go {
            target: next.clone(),
            set: Some((variable.clone(), Value::Text(text.clone()))),
            language: None,
        },
        (NodeKind::LanguageSelect { options, next, .. }, FlowEvent::Digits { digits }) => {
            match options.get(digits.trim()) {
                Some(language) => Answer::Go {
                    target: next.clone(),
                    set: None,
                    language: Some(language.clone()),
                },
                None => Answer::Invalid,
            }
        }
        (
            NodeKind::CallbackOffer {
                accepted, declined, ..
            },
            FlowEvent::Digits { digits },
        ) => match digits.trim() {
            "1" => go(accepted),
            "2" => go(declined),
            _ => Answer::Invalid,
        },
        _ => Answer::Invalid,
    }
}

impl Run<'_> {
    /// What speech recognition told about the caller: intent and sentiment become
    /// variables; a detected language the flow declares becomes the call's language.
    fn remember_speech(
        &mut self,
        intent: Option<&str>,
        sentiment: Option<f64>,
        language: Option<&str>,
    ) {
        if let Some(intent) = intent {
            self.set("intent", Value::Text(intent.to_owned()));
        }
        if let Some(s) = sentiment {
            self.set("sentiment", Value::Number(s));
        }
        if let Some(language) =
            language.filter(|l| self.flow.flow().languages.iter().any(|d| d == l))
        {
            self.state.language = language.to_owned();
        }
    }

    pub(super) fn on_input(
        &mut self,
        node: &str,
        retries: u8,
        event: FlowEvent,
    ) -> Result<(), StepError> {
        if let FlowEvent::Speech {
            intent,
            sentiment,
            language,
            ..
        } = &event
        {
            self.remember_speech(intent.as_deref(), *sentiment, language.as_deref());
        }
        let flow = self.flow;
        let i = self.index(node)?;
        let kind = &flow
            .node(i)
            .ok_or_else(|| StepError::UnknownNode(node.to_owned()))?
            .kind;
        let branches = input(kind).cloned();
        match judge(kind, &event) {
            Answer::Go {
                target,
                set,
                language,
            } => {
                if let Some((name, value)) = set {
                    self.set(&name, value);
                }
                if let Some(language) = language {
                    self.state.language = language;
                }
                self.goto(&target)
            }
            failed => {
                let Some(branches) = branches else {
                    return Err(StepError::UnknownNode(node.to_owned()));
                };
                if retries < branches.retries {
                    self.state.path.push(node.to_owned());
                    return self.ask(i, retries + 1);
                }
                let branch = if matches!(failed, Answer::Silent) {
                    branches.no_input
                } else {
                    branches.invalid
                };
                match branch {
                    Some(target) => self.goto(&target),
                    None => {
                        self.end(FlowAction::Hangup);
                        Ok(())
                    }
                }
            }
        }
    }

    pub(super) fn on_result(&mut self, node: &str, result: ActionResult) -> Result<(), StepError> {
        let i = self.index(node)?;
        let kind = self.node(i)?.kind.clone();
        let target = match (&kind, result) {
            (
                NodeKind::Webhook {
                    result_variable,
                    next,
                    ..
                },
                ActionResult::WebhookOk { body },
            ) => {
                self.set(result_variable, Value::Text(body));
                Some(next.clone())
            }
            (NodeKind::Webhook { failure, .. }, ActionResult::WebhookFailed { .. }) => {
                Some(failure.clone())
            }
            (
                NodeKind::AiAgent {
                    summary_variable,
                    handed_off,
                    ..
                },
                ActionResult::AiHandedOff { summary },
            ) => {
                self.set(summary_variable, Value::Text(summary));
                handed_off.clone()
            }
            (NodeKind::AiAgent { finished, .. }, ActionResult::AiFinished) => finished.clone(),
            (NodeKind::AiAgent { failed, .. }, ActionResult::AiFailed { .. }) => failed.clone(),
            (_, _) => {
                let waiting = format!(
                    "{:?}",
                    Waiting::Action {
                        node: node.to_owned(),
                        timer: None
                    }
                );
                return Err(StepError::Unexpected {
                    event: "action_completed",
                    waiting,
                });
            }
        };
        match target {
            Some(target) => self.goto(&target),
            None => {
                self.end(FlowAction::Hangup);
                Ok(())
            }
        }
    }
}
