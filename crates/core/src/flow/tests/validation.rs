use std::collections::BTreeMap;

use cc_types::call_flow::{FlowProblemCode as Code, NodeKind};

use super::fixtures::*;
use crate::flow::validate;

fn problems(flow: &cc_types::call_flow::CallFlow) -> Vec<(Option<String>, Code)> {
    validate(flow)
        .into_iter()
        .map(|p| (p.node, p.code))
        .collect()
}

fn assert_has(flow: &cc_types::call_flow::CallFlow, node: Option<&str>, code: Code) {
    let found = problems(flow);
    assert!(
        found.contains(&(node.map(str::to_owned), code)),
        "expected {code:?} at {node:?}, got {found:?}"
    );
}

fn with_menu_option(digit: &str, target: &str) -> cc_types::call_flow::CallFlow {
    let mut flow = support_flow();
    if let Some(NodeKind::Menu { options, .. }) = flow
        .nodes
        .iter_mut()
        .find(|n| n.id == "menu")
        .map(|n| &mut n.kind)
    {
        options.insert(s(digit), s(target));
    }
    flow
}

#[test]
fn the_support_flow_is_valid() {
    assert_eq!(problems(&support_flow()), vec![]);
}

#[test]
fn start_node_problems() {
    let mut flow = support_flow();
    flow.nodes.remove(0);
    assert_has(&flow, None, Code::MissingStart);
    let mut flow = support_flow();
    flow.nodes
        .push(node("start2", NodeKind::Start { next: s("bye") }));
    assert_has(&flow, Some("start2"), Code::MultipleStarts);
}

#[test]
fn structural_problems_name_their_node() {
    let mut flow = support_flow();
    flow.nodes.push(node("bye", NodeKind::Hangup));
    assert_has(&flow, Some("bye"), Code::DuplicateNodeId);

    let mut flow = support_flow();
    replace(
        &mut flow,
        "closed_msg",
        NodeKind::Say {
            text: prompt("a", "b"),
            next: s("nowhere"),
        },
    );
    assert_has(&flow, Some("closed_msg"), Code::UnknownTarget);

    let mut flow = support_flow();
    flow.nodes.push(node("orphan", NodeKind::Hangup));
    assert_has(&flow, Some("orphan"), Code::Unreachable);
}

#[test]
fn a_node_from_which_no_terminal_is_reachable() {
    let mut flow = with_menu_option("8", "trap");
    let options = BTreeMap::from([(s("1"), s("trap"))]);
    flow.nodes.push(node(
        "trap",
        NodeKind::Menu {
            prompt: prompt("a", "b"),
            options,
            input: branches(1, "trap", "trap"),
        },
    ));
    assert_has(&flow, Some("trap"), Code::NoTerminal);
    assert!(
        !problems(&flow)
            .iter()
            .any(|(_, c)| *c == Code::LoopWithoutInput),
        "the trap waits for input"
    );
}

#[test]
fn input_nodes_need_both_failure_branches() {
    let mut flow = support_flow();
    let options = BTreeMap::from([(s("1"), s("account"))]);
    let mut input = branches(1, "bye", "bye");
    input.no_input = None;
    replace(
        &mut flow,
        "menu",
        NodeKind::Menu {
            prompt: prompt("a", "b"),
            options: options.clone(),
            input,
        },
    );
    assert_has(&flow, Some("menu"), Code::MissingNoInputBranch);
    let mut input = branches(1, "bye", "bye");
    input.invalid = None;
    replace(
        &mut flow,
        "menu",
        NodeKind::Menu {
            prompt: prompt("a", "b"),
            options,
            input,
        },
    );
    assert_has(&flow, Some("menu"), Code::MissingInvalidBranch);
}

#[test]
fn loop_without_input_is_refused() {
    let mut flow = with_menu_option("7", "spin");
    flow.nodes.push(node(
        "spin",
        NodeKind::Condition {
            expression: s("hour > 25"),
            then: s("bye"),
            otherwise: s("again"),
        },
    ));
    flow.nodes.push(node(
        "again",
        NodeKind::SetVariable {
            name: s("n"),
            value: s("1"),
            next: s("spin"),
        },
    ));
    assert_has(&flow, Some("spin"), Code::LoopWithoutInput);
    assert_eq!(problems(&flow).len(), 1);
}

#[test]
fn every_declared_language_needs_prompt_text() {
    let mut flow = support_flow();
    let text = BTreeMap::from([(s("en"), s("Closed."))]);
    replace(
        &mut flow,
        "closed_msg",
        NodeKind::Say {
            text,
            next: s("vm"),
        },
    );
    assert_has(&flow, Some("closed_msg"), Code::MissingPromptText);
    flow.languages = vec![];
    assert_has(&flow, None, Code::NoLanguages);
}

#[test]
fn variables_must_be_set_on_every_path_before_they_are_read() {
    let mut flow = support_flow();
    replace(
        &mut flow,
        "lookup",
        NodeKind::Webhook {
            function: s("crm.lookup"),
            timeout_ms: 3000,
            result_variable: s("tier"),
            next: s("is_vip"),
            failure: s("is_vip"),
        },
    );
    assert_has(&flow, Some("is_vip"), Code::VariableReadBeforeSet);
    let mut flow = support_flow();
    let condition = NodeKind::Condition {
        expression: s("account_nr == '1'"),
        then: s("vip_queue"),
        otherwise: s("billing_queue"),
    };
    replace(&mut flow, "is_vip", condition);
    assert_has(&flow, Some("is_vip"), Code::VariableReadBeforeSet);
}

#[test]
fn expressions_menus_and_ranges_are_checked() {
    let mut flow = support_flow();
    replace(
        &mut flow,
        "is_vip",
        NodeKind::Condition {
            expression: s("tier = 'gold'"),
            then: s("vip_queue"),
            otherwise: s("billing_queue"),
        },
    );
    assert_has(&flow, Some("is_vip"), Code::InvalidExpression);
    let mut flow = support_flow();
    replace(
        &mut flow,
        "menu",
        NodeKind::Menu {
            prompt: prompt("a", "b"),
            options: BTreeMap::new(),
            input: branches(1, "bye", "bye"),
        },
    );
    assert_has(&flow, Some("menu"), Code::EmptyMenu);
    let mut flow = support_flow();
    replace(
        &mut flow,
        "vip_queue",
        NodeKind::Enqueue {
            queue: SUPPORT,
            priority: 11,
            skills: vec![],
        },
    );
    assert_has(&flow, Some("vip_queue"), Code::OutOfRange);
}

#[test]
fn all_problems_are_reported_at_once() {
    let mut flow = support_flow();
    flow.nodes.push(node("orphan", NodeKind::Hangup));
    replace(
        &mut flow,
        "vip_queue",
        NodeKind::Enqueue {
            queue: SUPPORT,
            priority: 0,
            skills: vec![],
        },
    );
    replace(
        &mut flow,
        "closed_msg",
        NodeKind::Say {
            text: BTreeMap::new(),
            next: s("vm"),
        },
    );
    let codes: Vec<Code> = problems(&flow).into_iter().map(|(_, c)| c).collect();
    for code in [Code::Unreachable, Code::OutOfRange, Code::MissingPromptText] {
        assert!(codes.contains(&code), "{code:?} missing from {codes:?}");
    }
}
