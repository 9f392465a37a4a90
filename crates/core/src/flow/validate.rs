//! Flow validation: every problem at once, each with its node and a stable code, so the
//! editor can mark them all. Checks: one start, edges to existing nodes, reachability, a
//! terminal action reachable from every node, input branches present, no loop without an
//! input node, prompt text for every declared language, variables set before they are read,
//! expressions that parse, values in range.

use std::collections::{BTreeSet, HashMap};

use cc_types::agents::MAX_SKILL_LEVEL;
use cc_types::call_flow::{CallFlow, FlowProblem, FlowProblemCode as Code, GatherInput, NodeKind};

use super::expr::parse;
use super::graph::{edges, expression, input, is_terminal, prompt};

fn problem(node: Option<&str>, code: Code, message: String) -> FlowProblem {
    FlowProblem {
        node: node.map(str::to_owned),
        code,
        message,
    }
}

/// Node ids resolved to indexes, with successor and predecessor lists.
struct Graph<'a> {
    flow: &'a CallFlow,
    index: HashMap<&'a str, usize>,
    succ: Vec<Vec<usize>>,
    pred: Vec<Vec<usize>>,
}

impl<'a> Graph<'a> {
    fn new(flow: &'a CallFlow) -> Self {
        let mut index = HashMap::new();
        for (i, node) in flow.nodes.iter().enumerate() {
            index.entry(node.id.as_str()).or_insert(i);
        }
        let n = flow.nodes.len();
        let (mut succ, mut pred) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        for (i, node) in flow.nodes.iter().enumerate() {
            for e in edges(&node.kind) {
                if let Some(&j) = index.get(e.target) {
                    succ[i].push(j);
                    pred[j].push(i);
                }
            }
        }
        Self {
            flow,
            index,
            succ,
            pred,
        }
    }

    fn id(&self, i: usize) -> Option<&'a str> {
        self.flow.nodes.get(i).map(|n| n.id.as_str())
    }

    /// Nodes reachable from `roots` following `next`.
    fn reach(&self, roots: &[usize], next: &[Vec<usize>]) -> Vec<bool> {
        let mut seen = vec![false; next.len()];
        let mut stack = roots.to_vec();
        while let Some(v) = stack.pop() {
            if std::mem::replace(&mut seen[v], true) {
                continue;
            }
            stack.extend(next[v].iter().copied().filter(|w| !seen[*w]));
        }
        seen
    }
}

/// Validates a flow; an empty list means it can be published.
///
/// ```
/// use cc_core::flow::validate;
/// use cc_types::call_flow::{CallFlow, FlowNode, FlowProblemCode, NodeKind};
/// let flow = CallFlow { id: uuid::Uuid::nil(), version: 1, name: "x".into(), languages: vec!["en".into()],
///     nodes: vec![FlowNode { id: "s".into(), kind: NodeKind::Start { next: "gone".into() } }] };
/// let codes: Vec<_> = validate(&flow).into_iter().map(|p| p.code).collect();
/// assert!(codes.contains(&FlowProblemCode::UnknownTarget));
/// ```
pub fn validate(flow: &CallFlow) -> Vec<FlowProblem> {
    let graph = Graph::new(flow);
    let mut out = Vec::new();
    if flow.languages.is_empty() {
        out.push(problem(
            None,
            Code::NoLanguages,
            "the flow declares no language".into(),
        ));
    }
    let mut seen = BTreeSet::new();
    for node in &flow.nodes {
        if !seen.insert(node.id.as_str()) {
            out.push(problem(
                Some(&node.id),
                Code::DuplicateNodeId,
                format!("node id {:?} is used twice", node.id),
            ));
        }
        check_node(flow, &graph, node, &mut out);
    }
    let starts: Vec<usize> = flow
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| matches!(n.kind, NodeKind::Start { .. }))
        .map(|(i, _)| i)
        .collect();
    match starts.as_slice() {
        [] => out.push(problem(
            None,
            Code::MissingStart,
            "the flow has no start node".into(),
        )),
        [start] => check_paths(&graph, *start, &mut out),
        [_, extra @ ..] => {
            for &i in extra {
                out.push(problem(
                    graph.id(i),
                    Code::MultipleStarts,
                    "a flow has exactly one start node".into(),
                ));
            }
        }
    }
    out
}

fn check_node(
    flow: &CallFlow,
    graph: &Graph<'_>,
    node: &cc_types::call_flow::FlowNode,
    out: &mut Vec<FlowProblem>,
) {
    let id = Some(node.id.as_str());
    for e in edges(&node.kind) {
        if !graph.index.contains_key(e.target) {
            out.push(problem(
                id,
                Code::UnknownTarget,
                format!("branch {:?} goes to unknown node {:?}", e.label, e.target),
            ));
        }
    }
    if let Some(input) = input(&node.kind) {
        if input.no_input.is_none() {
            out.push(problem(
                id,
                Code::MissingNoInputBranch,
                "no branch for when the caller gives no input".into(),
            ));
        }
        if input.invalid.is_none() {
            out.push(problem(
                id,
                Code::MissingInvalidBranch,
                "no branch for invalid input".into(),
            ));
        }
    }
    if let Some(text) = prompt(&node.kind) {
        let missing: Vec<&str> = flow
            .languages
            .iter()
            .filter(|l| text.get(*l).is_none_or(|t| t.trim().is_empty()))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            out.push(problem(
                id,
                Code::MissingPromptText,
                format!("prompt has no text for {}", missing.join(", ")),
            ));
        }
    }
    if let Some(src) = expression(&node.kind)
        && let Err(e) = parse(src)
    {
        out.push(problem(
            id,
            Code::InvalidExpression,
            format!("expression {src:?}: {e}"),
        ));
    }
    match &node.kind {
        NodeKind::Menu { options, .. } | NodeKind::LanguageSelect { options, .. }
            if options.is_empty() =>
        {
            out.push(problem(
                id,
                Code::EmptyMenu,
                "a menu needs at least one option".into(),
            ));
        }
        NodeKind::Enqueue {
            priority, skills, ..
        } if !(1..=10).contains(priority)
            || skills
                .iter()
                .any(|s| !(1..=MAX_SKILL_LEVEL).contains(&s.min_level)) =>
        {
            out.push(problem(
                id,
                Code::OutOfRange,
                "priority and skill levels must be 1-10".into(),
            ));
        }
        NodeKind::Gather {
            collect:
                GatherInput::Digits {
                    min_length,
                    max_length,
                    ..
                },
            ..
        } if *max_length == 0 || min_length > max_length => {
            out.push(problem(
                id,
                Code::OutOfRange,
                format!("digit length {min_length}..{max_length} is empty"),
            ));
        }
        _ => {}
    }
}

fn check_paths(graph: &Graph<'_>, start: usize, out: &mut Vec<FlowProblem>) {
    let nodes = &graph.flow.nodes;
    let reachable = graph.reach(&[start], &graph.succ);
    let terminals: Vec<usize> = (0..nodes.len())
        .filter(|&i| is_terminal(&nodes[i].kind))
        .collect();
    let ends = graph.reach(&terminals, &graph.pred);
    for (i, node) in nodes.iter().enumerate() {
        if !reachable[i] {
            out.push(problem(
                Some(&node.id),
                Code::Unreachable,
                "no path from the start reaches this node".into(),
            ));
        } else if !ends[i] {
            out.push(problem(
                Some(&node.id),
                Code::NoTerminal,
                "no path from here ends the call".into(),
            ));
        }
    }
    super::loops::check_loops(&graph.succ, &graph.pred, nodes, out);
    super::variables::check_variables(nodes, &graph.index, start, &reachable, out);
}
