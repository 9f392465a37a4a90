//! What entering each kind of node does: nodes that only route or speak pass the call on
//! at once; nodes that wait (for input or an action's result) or end the flow stop the run.

use cc_types::business_hours::HoursStatus;
use cc_types::call_flow::{FlowNode, NodeKind};

use super::interpret::{Next, Run};
use super::run::{FlowAction, StepError, Waiting};

impl Run<'_> {
    /// Enters node `i`.
    pub(super) fn enter(&mut self, i: usize) -> Result<Next, StepError> {
        let flow = self.flow;
        let node = flow
            .node(i)
            .ok_or_else(|| StepError::UnknownNode(format!("#{i}")))?;
        match self.pass(i, &node.kind)? {
            Some(target) => Ok(Next::Node(self.index(target)?)),
            None => {
                self.halt(i, node)?;
                Ok(Next::Stop)
            }
        }
    }

    /// The next node id for kinds that pass the call on, or `None` for kinds that stop.
    fn pass<'k>(&mut self, i: usize, kind: &'k NodeKind) -> Result<Option<&'k str>, StepError> {
        Ok(Some(match kind {
            NodeKind::Start { next } => next,
            NodeKind::Say { text, next } => {
                let say = self.text(text);
                self.actions.push(say);
                next
            }
            NodeKind::Play { asset, next } => {
                self.actions.push(FlowAction::Play {
                    asset: asset.clone(),
                });
                next
            }
            NodeKind::Condition {
                then, otherwise, ..
            } => {
                if self.eval(i).truthy() {
                    then
                } else {
                    otherwise
                }
            }
            NodeKind::SetVariable { name, next, .. } => {
                let value = self.eval(i);
                self.set(name, value);
                next
            }
            NodeKind::BusinessHours {
                calendar,
                open,
                closed,
                holiday,
            } => {
                let calendar = self.env.calendars.get(calendar);
                match calendar.map_or(HoursStatus::Closed, |c| c.status_at(self.env.now)) {
                    HoursStatus::Open => open,
                    HoursStatus::Closed => closed,
                    HoursStatus::Holiday => holiday,
                }
            }
            _ => return Ok(None),
        }))
    }

    /// Kinds that wait for the caller or an action, or hand the call over.
    fn halt(&mut self, i: usize, node: &FlowNode) -> Result<(), StepError> {
        let action = match &node.kind {
            NodeKind::Enqueue {
                queue,
                priority,
                skills,
            } => {
                let variables = self.state.variables.clone();
                FlowAction::Enqueue {
                    queue: *queue,
                    priority: *priority,
                    skills: skills.clone(),
                    variables,
                }
            }
            NodeKind::Transfer { number } => FlowAction::Transfer {
                number: number.clone(),
            },
            NodeKind::Voicemail { mailbox } => FlowAction::RecordVoicemail { mailbox: *mailbox },
            NodeKind::Hangup => FlowAction::Hangup,
            NodeKind::AiAgent {
                profile,
                allowed_tools,
                ..
            } => {
                let language = self.state.language.clone();
                self.actions.push(FlowAction::ConnectAi {
                    profile: *profile,
                    allowed_tools: allowed_tools.clone(),
                    language,
                });
                self.state.waiting = Waiting::Action {
                    node: node.id.clone(),
                    timer: None,
                };
                return Ok(());
            }
            NodeKind::Webhook {
                function,
                timeout_ms,
                ..
            } => {
                self.state.timers += 1;
                let timer = self.state.timers;
                let variables = self.state.variables.clone();
                self.actions.push(FlowAction::CallWebhook {
                    function: function.clone(),
                    variables,
                });
                self.actions.push(FlowAction::SetTimer {
                    timer,
                    after_ms: *timeout_ms,
                });
                self.state.waiting = Waiting::Action {
                    node: node.id.clone(),
                    timer: Some(timer),
                };
                return Ok(());
            }
            _ => return self.ask(i, 0),
        };
        self.end(action);
        Ok(())
    }
}
