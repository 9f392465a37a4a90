//! The shape of a flow graph: each node kind's outgoing edges (with the variable an edge
//! sets, if any), which kinds end a call, which wait for the caller, and which carry prompts
//! or expressions. Validation and the interpreter both read nodes through these.

use cc_types::call_flow::{InputBranches, NodeKind, Prompt};

/// An outgoing edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge<'a> {
    /// The branch name (`next`, `no_input`, a digit, ...).
    pub label: &'a str,
    /// The target node id.
    pub target: &'a str,
    /// The variable set when the call leaves along this edge.
    pub sets: Option<&'a str>,
}

fn edge<'a>(label: &'a str, target: &'a str) -> Edge<'a> {
    Edge {
        label,
        target,
        sets: None,
    }
}

fn input_edges<'a>(input: &'a InputBranches, out: &mut Vec<Edge<'a>>) {
    out.extend(input.no_input.as_deref().map(|t| edge("no_input", t)));
    out.extend(input.invalid.as_deref().map(|t| edge("invalid", t)));
}

/// Every edge present on a node (missing optional branches are simply absent).
pub fn edges(kind: &NodeKind) -> Vec<Edge<'_>> {
    let mut out = Vec::new();
    match kind {
        NodeKind::Start { next } | NodeKind::Say { next, .. } | NodeKind::Play { next, .. } => {
            out.push(edge("next", next))
        }
        NodeKind::Menu { options, input, .. } => {
            out.extend(options.iter().map(|(digit, target)| edge(digit, target)));
            input_edges(input, &mut out);
        }
        NodeKind::Gather {
            variable,
            next,
            input,
            ..
        } => {
            out.push(Edge {
                label: "next",
                target: next,
                sets: Some(variable),
            });
            input_edges(input, &mut out);
        }
        NodeKind::Condition {
            then, otherwise, ..
        } => {
            out.push(edge("then", then));
            out.push(edge("otherwise", otherwise));
        }
        NodeKind::SetVariable { name, next, .. } => out.push(Edge {
            label: "next",
            target: next,
            sets: Some(name),
        }),
        NodeKind::LanguageSelect { next, input, .. } => {
            out.push(edge("next", next));
            input_edges(input, &mut out);
        }
        NodeKind::BusinessHours {
            open,
            closed,
            holiday,
            ..
        } => {
            out.extend([
                edge("open", open),
                edge("closed", closed),
                edge("holiday", holiday),
            ]);
        }
        NodeKind::AiAgent {
            summary_variable,
            handed_off,
            finished,
            failed,
            ..
        } => {
            let handed = handed_off.as_deref().map(|t| Edge {
                label: "handed_off",
                target: t,
                sets: Some(summary_variable),
            });
            out.extend(handed);
            out.extend(finished.as_deref().map(|t| edge("finished", t)));
            out.extend(failed.as_deref().map(|t| edge("failed", t)));
        }
        NodeKind::CallbackOffer {
            accepted,
            declined,
            input,
            ..
        } => {
            out.push(edge("accepted", accepted));
            out.push(edge("declined", declined));
            input_edges(input, &mut out);
        }
        NodeKind::Webhook {
            result_variable,
            next,
            failure,
            ..
        } => {
            out.push(Edge {
                label: "next",
                target: next,
                sets: Some(result_variable),
            });
            out.push(edge("failure", failure));
        }
        NodeKind::Enqueue { .. }
        | NodeKind::Transfer { .. }
        | NodeKind::Voicemail { .. }
        | NodeKind::Hangup => {}
    }
    out
}

/// Kinds that end the flow's control of the call.
pub fn is_terminal(kind: &NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::Hangup
            | NodeKind::Enqueue { .. }
            | NodeKind::Transfer { .. }
            | NodeKind::Voicemail { .. }
            | NodeKind::AiAgent { .. }
    )
}

/// The retry policy of kinds that wait for caller input.
pub fn input(kind: &NodeKind) -> Option<&InputBranches> {
    match kind {
        NodeKind::Menu { input, .. }
        | NodeKind::Gather { input, .. }
        | NodeKind::LanguageSelect { input, .. }
        | NodeKind::CallbackOffer { input, .. } => Some(input),
        _ => None,
    }
}

/// The spoken text a node carries.
pub fn prompt(kind: &NodeKind) -> Option<&Prompt> {
    match kind {
        NodeKind::Say { text, .. } => Some(text),
        NodeKind::Menu { prompt, .. }
        | NodeKind::Gather { prompt, .. }
        | NodeKind::LanguageSelect { prompt, .. }
        | NodeKind::CallbackOffer { prompt, .. } => Some(prompt),
        _ => None,
    }
}

/// The expression a node evaluates.
pub fn expression(kind: &NodeKind) -> Option<&str> {
    match kind {
        NodeKind::Condition { expression, .. } => Some(expression),
        NodeKind::SetVariable { value, .. } => Some(value),
        _ => None,
    }
}
