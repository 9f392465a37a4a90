//! Loop detection for validation: strongly connected components (Kosaraju, iterative), and
//! a problem for each cycle that passes no node waiting for caller input, which would spin
//! the interpreter without the caller ever being asked anything.

use cc_types::call_flow::{FlowNode, FlowProblem, FlowProblemCode};

use super::graph::input;

fn postorder(succ: &[Vec<usize>]) -> Vec<usize> {
    let mut seen = vec![false; succ.len()];
    let mut out = Vec::with_capacity(succ.len());
    for root in 0..succ.len() {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        let mut stack = vec![(root, 0usize)];
        while let Some((v, i)) = stack.last_mut() {
            let v = *v;
            match succ[v].get(*i) {
                Some(&w) => {
                    *i += 1;
                    if !seen[w] {
                        seen[w] = true;
                        stack.push((w, 0));
                    }
                }
                None => {
                    out.push(v);
                    stack.pop();
                }
            }
        }
    }
    out
}

/// Component number of every node.
pub fn components(succ: &[Vec<usize>], pred: &[Vec<usize>]) -> Vec<usize> {
    let mut comp = vec![usize::MAX; succ.len()];
    let mut next = 0;
    for &root in postorder(succ).iter().rev() {
        if comp[root] != usize::MAX {
            continue;
        }
        let mut stack = vec![root];
        comp[root] = next;
        while let Some(v) = stack.pop() {
            for &w in &pred[v] {
                if comp[w] == usize::MAX {
                    comp[w] = next;
                    stack.push(w);
                }
            }
        }
        next += 1;
    }
    comp
}

pub fn check_loops(
    succ: &[Vec<usize>],
    pred: &[Vec<usize>],
    nodes: &[FlowNode],
    out: &mut Vec<FlowProblem>,
) {
    let comp = components(succ, pred);
    let count = comp.iter().copied().max().map_or(0, |m| m + 1);
    let mut size = vec![0usize; count];
    let mut has_input = vec![false; count];
    let mut first = vec![usize::MAX; count];
    for (i, node) in nodes.iter().enumerate() {
        let c = comp[i];
        size[c] += 1;
        has_input[c] |= input(&node.kind).is_some();
        first[c] = first[c].min(i);
    }
    for c in 0..count {
        let node = first[c];
        let cyclic = size[c] > 1 || succ.get(node).is_some_and(|s| s.contains(&node));
        if cyclic && !has_input[c] {
            out.push(FlowProblem {
                node: nodes.get(node).map(|n| n.id.clone()),
                code: FlowProblemCode::LoopWithoutInput,
                message: "this node is on a loop that never waits for the caller".into(),
            });
        }
    }
}
