//! Property test for the selection policies: an arrival's pick matches a brute-force
//! reading of the queue's policy over every free agent.

use chrono::{DateTime, Utc};
use proptest::prelude::*;

use super::props::queue_config;
use super::support::*;
use crate::acd::*;

/// Written apart from the engine: the free agent the queue's policy picks for a contact
/// that just arrived, by looking at every agent.
fn brute_force_pick(before: &AcdState, request: &ContactRequest) -> Option<AgentId> {
    let config = &before.queues[&request.queue];
    let last = before.last_served.get(&request.queue).copied();
    let idle = before.agents.values().filter_map(|a| match a.presence {
        Presence::Idle { since } if a.profile.queues.contains(&request.queue) => Some((since, a)),
        _ => None,
    });
    let qualified =
        idle.filter(|(_, a)| independently_qualified(&a.profile, request, &config.relaxation, 0));
    let score = |a: &AgentEntry| -> i64 {
        request
            .skills
            .iter()
            .map(|r| i64::from(a.profile.level(r.skill)))
            .sum()
    };
    qualified
        .min_by_key(|(since, a)| {
            let id = a.profile.id;
            match config.policy {
                SelectionPolicy::LongestIdle => (0, 0, *since, id),
                SelectionPolicy::MostSkilled => (-score(a), 0, *since, id),
                SelectionPolicy::LeastBusyToday => (i64::from(a.handled_today), 0, *since, id),
                SelectionPolicy::RoundRobin => (
                    -score(a),
                    i64::from(last.is_some_and(|l| id <= l)),
                    DateTime::<Utc>::MIN_UTC,
                    id,
                ),
            }
        })
        .map(|(_, a)| a.profile.id)
}

pub fn check_policy_pick(
    before: &AcdState,
    w: &World,
    first: &Decision,
) -> Result<(), TestCaseError> {
    let Some(request) = w.log.iter().rev().find_map(|c| match c {
        AcdCommand::ContactArrived { contact, .. } => Some(contact),
        _ => None,
    }) else {
        return Ok(());
    };
    let config = &before.queues[&request.queue];
    let waiting = before
        .contacts
        .values()
        .filter(|c| c.queue == request.queue && c.offered_to.is_none())
        .count();
    if config.max_size.is_some_and(|m| waiting >= m as usize) {
        return Ok(());
    }
    let expected = brute_force_pick(before, request);
    match first {
        Decision::Offer { agent, .. } => prop_assert_eq!(Some(*agent), expected),
        Decision::Enqueued { .. } => prop_assert_eq!(None, expected),
        _ => {}
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arrivals_follow_the_queue_selection_policy(
        policy in 0..4u8,
        levels in prop::collection::vec((1..=10u8, 1..=10u8, 0..20i64), 2..8),
        warmup in prop::collection::vec(0..8usize, 0..8),
        needs in prop::collection::vec((0..2u8, 1..=4u8), 0..3),
    ) {
        let mut w = World::new();
        w.queue(queue_config(0, policy, false, false));
        let n = levels.len();
        for (i, (l0, l1, _)) in levels.iter().enumerate() {
            w.agent(i as u128, vec![has(0, *l0), has(1, *l1)], vec![queue(0)]);
        }
        let mut next = 0;
        for pick in warmup {
            w.available((pick % n) as u128);
            next += 1;
            if let Some((contact, _)) = offers(&w.arrive(request(next, queue(0), 5, vec![]))).first() {
                w.accept(*contact);
            }
            w.advance(1);
        }
        for (i, (_, _, wait)) in levels.iter().enumerate() {
            w.advance(*wait);
            w.run(AcdCommand::AgentAvailable { agent: agent(i as u128), at: w.now }).unwrap();
        }
        let before = w.acd.state().clone();
        let mut skills: Vec<_> = needs.iter().map(|(s, l)| need((*s).into(), *l)).collect();
        skills.sort_by_key(|r| r.skill);
        skills.dedup_by_key(|r| r.skill);
        let decisions = w.arrive(request(next + 1, queue(0), 5, skills));
        check_policy_pick(&before, &w, &decisions[0])?;
    }

}
