//! "Set before read" analysis for validation: a variable is available at a node only when
//! every path from the start to it passes an edge that sets it (a gather's `next`, a set
//! variable, a webhook's success, an AI hand-off). Builtins are always available. Sets of
//! variables are bit sets, so a 500-node flow is analysed in well under a millisecond.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use cc_types::call_flow::{FlowNode, FlowProblem, FlowProblemCode};

use super::expr::{BUILTINS, parse};
use super::graph::{edges, expression};

/// A set of variables, one bit per variable number.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bits(Vec<u64>);

impl Bits {
    fn empty(width: usize) -> Self {
        Self(vec![0; width.div_ceil(64)])
    }
    fn insert(&mut self, i: usize) {
        if let Some(word) = self.0.get_mut(i / 64) {
            *word |= 1 << (i % 64);
        }
    }
    fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
    fn intersect(&mut self, other: &Self) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a &= b);
    }
}

/// Numbers every variable some edge sets.
fn numbering(nodes: &[FlowNode]) -> BTreeMap<&str, usize> {
    let mut names = BTreeMap::new();
    for node in nodes {
        for name in edges(&node.kind).into_iter().filter_map(|e| e.sets) {
            let next = names.len();
            names.entry(name).or_insert(next);
        }
    }
    names
}

/// Variables certainly set on entry to each node (`None` = not reached yet = everything).
fn available(
    nodes: &[FlowNode],
    index: &HashMap<&str, usize>,
    names: &BTreeMap<&str, usize>,
    start: usize,
    reachable: &[bool],
) -> Vec<Option<Bits>> {
    let mut inn: Vec<Option<Bits>> = vec![None; nodes.len()];
    inn[start] = Some(Bits::empty(names.len()));
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
                if let Some(bit) = e.sets.and_then(|name| names.get(name)) {
                    out.insert(*bit);
                }
                let merged = match &inn[j] {
                    None if j == start => continue,
                    None => out,
                    Some(old) => {
                        let mut both = old.clone();
                        both.intersect(&out);
                        both
                    }
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
    let names = numbering(nodes);
    let inn = available(nodes, index, &names, start, reachable);
    for (i, node) in nodes.iter().enumerate() {
        let (Some(src), Some(set)) = (expression(&node.kind), &inn[i]) else {
            continue;
        };
        let Ok(expr) = parse(src) else { continue };
        let mut reported = BTreeSet::new();
        for name in expr.variables() {
            let known = names.get(name).is_some_and(|bit| set.contains(*bit));
            if !BUILTINS.contains(&name) && !known && reported.insert(name) {
                out.push(FlowProblem {
                    node: Some(node.id.clone()),
                    code: FlowProblemCode::VariableReadBeforeSet,
                    message: format!("variable {name:?} may be read before it is set"),
                });
            }
        }
    }
}
