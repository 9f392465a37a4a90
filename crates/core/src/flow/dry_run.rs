//! The "test this flow" button: a flow plus a scripted list of events gives the path
//! taken and every action emitted, stopping at the first event the flow cannot take.

use serde::{Deserialize, Serialize};

use super::interpret::step;
use super::publish::PublishedFlow;
use super::run::{CallState, FlowAction, FlowEnv, FlowEvent};

/// The outcome of a dry run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DryRun {
    /// Node ids visited, in order.
    pub path: Vec<String>,
    /// Every action emitted, in order.
    pub actions: Vec<FlowAction>,
    /// The call's state after the last event applied.
    pub state: CallState,
    /// The event that could not be applied and why (later events were not tried).
    pub error: Option<(usize, String)>,
}

/// Runs a scripted call through a flow.
pub fn dry_run(
    flow: &PublishedFlow,
    events: impl IntoIterator<Item = FlowEvent>,
    env: &FlowEnv,
) -> DryRun {
    let mut state = CallState::new(flow.id(), flow.version());
    let mut actions = Vec::new();
    let mut error = None;
    for (n, event) in events.into_iter().enumerate() {
        match step(flow, state.clone(), event, env) {
            Ok((next, emitted)) => {
                state = next;
                actions.extend(emitted);
            }
            Err(e) => {
                error = Some((n, e.to_string()));
                break;
            }
        }
    }
    DryRun {
        path: state.path.clone(),
        actions,
        state,
        error,
    }
}
