//! The team hierarchy as data: who sees which teams, and which moves would make a cycle.
//! Pure functions over the organization's teams, so the rules are tested without a server.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

/// Child teams by parent.
fn children(parents: &HashMap<Uuid, Option<Uuid>>) -> HashMap<Uuid, Vec<Uuid>> {
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (team, parent) in parents {
        if let Some(p) = parent {
            out.entry(*p).or_default().push(*team);
        }
    }
    out
}

/// `roots` and every team below them.
pub fn subtree(parents: &HashMap<Uuid, Option<Uuid>>, roots: &[Uuid]) -> HashSet<Uuid> {
    let below = children(parents);
    let mut seen = HashSet::new();
    let mut stack: Vec<Uuid> = roots.to_vec();
    while let Some(team) = stack.pop() {
        if seen.insert(team) {
            stack.extend(below.get(&team).into_iter().flatten().copied());
        }
    }
    seen
}

/// Whether putting `team` under `new_parent` would make a team its own ancestor: the new
/// parent is the team itself or one of the teams below it.
pub fn would_cycle(parents: &HashMap<Uuid, Option<Uuid>>, team: Uuid, new_parent: Uuid) -> bool {
    let mut at = Some(new_parent);
    let mut steps = 0;
    while let Some(current) = at {
        if current == team {
            return true;
        }
        steps += 1;
        if steps > parents.len() {
            // The stored tree already has a loop: refuse rather than walk forever.
            return true;
        }
        at = parents.get(&current).copied().flatten();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// a → b → c, and d alone.
    fn tree() -> (HashMap<Uuid, Option<Uuid>>, [Uuid; 4]) {
        let ids = [
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        ];
        let [a, b, c, d] = ids;
        let parents = HashMap::from([(a, None), (b, Some(a)), (c, Some(b)), (d, None)]);
        (parents, ids)
    }

    #[test]
    fn a_subtree_is_the_roots_and_everything_below_them() {
        let (parents, [a, b, c, d]) = tree();
        assert_eq!(subtree(&parents, &[b]), HashSet::from([b, c]));
        assert_eq!(subtree(&parents, &[a]), HashSet::from([a, b, c]));
        assert_eq!(subtree(&parents, &[c, d]), HashSet::from([c, d]));
        assert!(subtree(&parents, &[]).is_empty());
    }

    #[test]
    fn moving_under_itself_or_a_descendant_is_a_cycle_and_elsewhere_is_not() {
        let (parents, [a, b, c, d]) = tree();
        assert!(would_cycle(&parents, a, a));
        assert!(would_cycle(&parents, a, c));
        assert!(would_cycle(&parents, b, c));
        assert!(!would_cycle(&parents, c, a));
        assert!(!would_cycle(&parents, a, d));
        assert!(!would_cycle(&parents, d, c));
    }

    #[test]
    fn a_loop_already_stored_never_hangs_the_check() {
        let (x, y, z) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let parents = HashMap::from([(x, Some(y)), (y, Some(x)), (z, None)]);
        assert!(would_cycle(&parents, z, x));
    }
}
