//! "Set before read" analysis for validation: a variable is available at a node only when
//! every path from the start to it passes an edge that sets it (a gather's `next`, a set
//! variable, a webhook's success, an AI hand-off). Builtins are always available.

use std::collections::{BTreeSet, HashMap};

use cc_types::call_flow::{FlowNode, FlowProblem, FlowProblemCode};

use super::expr::{BUILTINS, parse};
use super::graph::{edges, expression};

type Vars<'a> = BTreeSet<&'a str>;

/// Variables certainly set on entry to each node (`None` = not yet known, i.e. everything).
fn available<'a>(
    nodes: &'a [FlowNode],
    index: &HashMap<&str, usize>,
    start: usize,
    reachable: &[bool],
) -> Vec<Option<Vars<'a>>> {
    let mut inn: Vec<Option<Vars<'a>>> = vec![None; nodes.len()];
    inn[start] = Some(Vars::new());
    let mut changed = true;
    while changed {
        changed = false;
        for (i, node) in nodes.iter().enumerate() {
            let Some(current) = inn[i].clone().filter(|_| reachable[i]) else {
                continue;
            };
            for e in edges(&node.kind) {
                let Some(&j) = index.get(e.target) else {
                    continue;
                };
                let mut out = current.clone();
                out.extend(e.sets);
                let merged = match &inn[j] {
                    None if j == start => continue,
                    None => out,
                    Some(old) => old.intersection(&out).copied().collect(),
                };
                if inn[j].as_ref() != Some(&merged) {
                    inn[j] = Some(merged);
                    changed = true;
                }
            }
        }
    }
    inn
}

pub fn check_variables(
    nodes: &[FlowNode],
    index: &HashMap<&str, usize>,
    start: usize,
    reachable: &[bool],
    out: &mut Vec<FlowProblem>,
) {
    let inn = available(nodes, index, start, reachable);
    for (i, node) in nodes.iter().enumerate() {
        let (Some(src), Some(set)) = (expression(&node.kind), &inn[i]) else {
            continue;
        };
        let Ok(expr) = parse(src) else { continue };
        let mut reported = BTreeSet::new();
        for name in expr.variables() {
            if !BUILTINS.contains(&name) && !set.contains(name) && reported.insert(name) {
                out.push(FlowProblem {
                    node: Some(node.id.clone()),
                    code: FlowProblemCode::VariableReadBeforeSet,
                    message: format!("variable {name:?} may be read before it is set"),
                });
            }
        }
    }
}
