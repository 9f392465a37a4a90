//! Selection policies, priorities, skills, snapshots and refused commands.

use super::support::*;
use crate::acd::*;

#[test]
fn arriving_contact_goes_to_the_longest_idle_qualified_agent() {
    let mut w = basic(SelectionPolicy::LongestIdle);
    w.agent(1, vec![has(1, 1)], vec![queue(1)]);
    w.agent(2, vec![has(1, 4)], vec![queue(1)]);
    w.agent(3, vec![has(1, 5)], vec![queue(1)]);
    w.available(1);
    w.advance(5);
    w.available(2);
    w.advance(5);
    w.available(3);
    let out = w.arrive(request(1, queue(1), 5, vec![need(1, 3)]));
    assert_eq!(
        offers(&out),
        vec![(contact(1), agent(2))],
        "agent 1 lacks the level, agent 2 idled longer than 3"
    );
    let Decision::Offer { why, .. } = &out[0] else {
        panic!()
    };
    assert_eq!(
        why.rule,
        Rule::SelectionPolicy {
            policy: SelectionPolicy::LongestIdle,
            considered: 2
        }
    );
}

#[test]
fn contact_waits_when_no_agent_qualifies_and_says_why() {
    let mut w = basic(SelectionPolicy::LongestIdle);
    w.agent(1, vec![has(1, 2)], vec![queue(1)]);
    w.available(1);
    let out = w.arrive(request(1, queue(1), 5, vec![need(1, 3)]));
    assert_eq!(
        out,
        vec![Decision::Enqueued {
            contact: contact(1),
            queue: queue(1),
            why: Why {
                rule: Rule::NoQualifiedAgent,
                relaxation_step: 0
            }
        }]
    );
}

#[test]
fn most_skilled_and_least_busy_policies_pick_differently() {
    let mut w = basic(SelectionPolicy::MostSkilled);
    w.agent(1, vec![has(1, 3)], vec![queue(1)]);
    w.agent(2, vec![has(1, 5)], vec![queue(1)]);
    w.available(1);
    w.available(2);
    assert_eq!(
        offers(&w.arrive(request(1, queue(1), 5, vec![need(1, 1)]))),
        vec![(contact(1), agent(2))]
    );

    let mut w = basic(SelectionPolicy::LeastBusyToday);
    w.agent(1, vec![has(1, 3)], vec![queue(1)]);
    w.agent(2, vec![has(1, 3)], vec![queue(1)]);
    w.available(1);
    w.arrive(request(1, queue(1), 5, vec![]));
    w.accept(contact(1));
    w.advance(1);
    w.available(1);
    w.advance(1);
    w.available(2);
    // Agent 1 idled longer, but already took a contact today.
    assert_eq!(
        offers(&w.arrive(request(2, queue(1), 5, vec![]))),
        vec![(contact(2), agent(2))]
    );
}

#[test]
fn round_robin_cycles_through_agents_of_equal_skill() {
    let mut w = basic(SelectionPolicy::RoundRobin);
    for n in 1..=3 {
        w.agent(n, vec![has(1, 3)], vec![queue(1)]);
        w.available(n);
    }
    let mut served = Vec::new();
    for c in 1..=6 {
        let (_, a) = offers(&w.arrive(request(c, queue(1), 5, vec![need(1, 1)])))[0];
        served.push(a);
        w.accept(contact(c));
        w.available(a.0.as_u128() - 0x2000);
    }
    assert_eq!(
        served,
        vec![agent(1), agent(2), agent(3), agent(1), agent(2), agent(3)]
    );
}

#[test]
fn free_agent_takes_highest_priority_then_first_come() {
    let mut w = basic(SelectionPolicy::LongestIdle);
    w.agent(1, vec![has(1, 3)], vec![queue(1)]);
    w.arrive(request(1, queue(1), 3, vec![]));
    w.advance(1);
    w.arrive(request(2, queue(1), 7, vec![]));
    w.advance(1);
    w.arrive(request(3, queue(1), 7, vec![]));
    let mut order = Vec::new();
    for _ in 0..3 {
        let (c, _) = offered(&w.available(1)).unwrap();
        w.accept(c);
        order.push(c);
    }
    assert_eq!(order, vec![contact(2), contact(3), contact(1)]);
    assert!(matches!(w.available(1), Decision::AgentIdle { .. }));
}

#[test]
fn aging_lets_an_old_low_priority_contact_overtake_a_new_high_one() {
    let mut w = World::new();
    let mut config = QueueConfig::new(queue(1), SelectionPolicy::LongestIdle);
    config.aging_secs_per_level = Some(10);
    w.queue(config);
    w.agent(1, vec![], vec![queue(1)]);
    w.arrive(request(1, queue(1), 2, vec![]));
    w.advance(41); // contact 1 is now worth 2 + 4.1 levels
    w.arrive(request(2, queue(1), 6, vec![]));
    assert_eq!(offered(&w.available(1)), Some((contact(1), agent(1))));
}

#[test]
fn language_must_match() {
    let mut w = basic(SelectionPolicy::LongestIdle);
    w.agent(1, vec![], vec![queue(1)]);
    w.available(1);
    let mut req = request(1, queue(1), 5, vec![]);
    req.language = Some("cs".into());
    assert!(offers(&w.arrive(req)).is_empty());
    let mut req = request(2, queue(1), 5, vec![]);
    req.language = Some("en".into());
    assert_eq!(offers(&w.arrive(req)), vec![(contact(2), agent(1))]);
}

#[test]
fn snapshot_counts_waiting_agents_and_priorities() {
    let mut w = basic(SelectionPolicy::LongestIdle);
    w.agent(1, vec![has(1, 1)], vec![queue(1)]);
    w.agent(2, vec![], vec![queue(1)]);
    w.agent(3, vec![], vec![queue(1)]);
    w.available(1);
    w.available(3);
    w.arrive(request(1, queue(1), 2, vec![need(2, 1)]));
    w.advance(10);
    w.arrive(request(2, queue(1), 9, vec![need(2, 1)]));
    w.arrive(request(3, queue(1), 9, vec![]));
    let s = w.acd.queue_snapshot(queue(1), w.now).unwrap();
    assert_eq!(s.waiting, 2);
    assert_eq!(s.longest_wait, chrono::TimeDelta::seconds(10));
    assert_eq!(s.per_priority, [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]);
    assert_eq!(
        s.agents,
        AgentsByState {
            idle: 1,
            reserved: 1,
            busy: 0,
            away: 1
        }
    );
    assert!(w.acd.queue_snapshot(queue(9), w.now).is_none());
}

#[test]
fn refused_commands_name_the_problem_and_change_nothing() {
    let mut w = basic(SelectionPolicy::LongestIdle);
    let before = w.acd.state().clone();
    assert_eq!(
        w.run(AcdCommand::ContactArrived {
            contact: request(1, queue(1), 11, vec![]),
            at: w.now
        }),
        Err(AcdError::InvalidPriority(11))
    );
    assert_eq!(
        w.run(AcdCommand::ContactArrived {
            contact: request(1, queue(1), 5, vec![need(1, 11)]),
            at: w.now
        }),
        Err(AcdError::InvalidLevel(11))
    );
    assert_eq!(
        w.run(AcdCommand::ContactArrived {
            contact: request(1, queue(7), 5, vec![]),
            at: w.now
        }),
        Err(AcdError::UnknownQueue(queue(7)))
    );
    assert_eq!(
        w.run(AcdCommand::OfferAccepted {
            contact: contact(1),
            at: w.now
        }),
        Err(AcdError::UnknownContact(contact(1)))
    );
    assert_eq!(
        w.run(AcdCommand::AgentAvailable {
            agent: agent(1),
            at: w.now
        }),
        Err(AcdError::UnknownAgent(agent(1)))
    );
    assert_eq!(w.acd.state(), &before);
    w.arrive(request(1, queue(1), 5, vec![]));
    assert_eq!(
        w.run(AcdCommand::OfferDeclined {
            contact: contact(1),
            at: w.now
        }),
        Err(AcdError::NotOffered(contact(1)))
    );
    assert_eq!(
        w.run(AcdCommand::ContactArrived {
            contact: request(1, queue(1), 5, vec![]),
            at: w.now
        }),
        Err(AcdError::DuplicateContact(contact(1)))
    );
}
