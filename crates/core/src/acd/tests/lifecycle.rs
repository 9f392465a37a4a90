//! Offers, relaxation, overflow, stickiness and replay over time.

use super::support::*;
use crate::acd::*;

#[test]
fn relaxation_steps_lower_the_level_then_accept_the_alternative_skill() {
    let mut w = World::new();
    let mut config = QueueConfig::new(queue(1), SelectionPolicy::LongestIdle);
    config.relaxation = vec![
        RelaxStep {
            after_secs: 30,
            relax: Relax::MinLevel { level: 2 },
        },
        RelaxStep {
            after_secs: 90,
            relax: Relax::AlternativeSkills {
                skills: vec![need(2, 1)],
            },
        },
    ];
    w.queue(config);
    w.agent(1, vec![has(1, 2)], vec![queue(1)]);
    w.agent(2, vec![has(2, 1)], vec![queue(1)]);
    w.arrive(request(1, queue(1), 5, vec![need(1, 4)]));
    w.arrive(request(2, queue(1), 5, vec![need(1, 4)]));
    assert!(matches!(w.available(1), Decision::AgentIdle { .. }));
    assert!(matches!(w.available(2), Decision::AgentIdle { .. }));
    w.advance(29);
    assert!(offers(&w.tick()).is_empty());
    w.advance(1);
    let out = w.tick();
    assert_eq!(offers(&out), vec![(contact(1), agent(1))]);
    assert!(matches!(
        &out[0],
        Decision::Offer {
            why: Why {
                relaxation_step: 1,
                ..
            },
            ..
        }
    ));
    w.advance(59);
    assert!(
        offers(&w.tick()).is_empty(),
        "agent 2 has only the alternative skill"
    );
    w.advance(1);
    assert_eq!(offers(&w.tick()), vec![(contact(2), agent(2))]);
}

#[test]
fn overflow_step_moves_the_contact_keeping_its_first_come_place() {
    let mut w = World::new();
    let mut first = QueueConfig::new(queue(1), SelectionPolicy::LongestIdle);
    first.relaxation = vec![RelaxStep {
        after_secs: 180,
        relax: Relax::Overflow { queue: queue(2) },
    }];
    w.queue(first);
    w.queue(QueueConfig::new(queue(2), SelectionPolicy::LongestIdle));
    w.agent(1, vec![], vec![queue(2)]);
    w.arrive(request(1, queue(1), 5, vec![]));
    w.advance(100);
    w.arrive(request(2, queue(2), 5, vec![]));
    w.advance(80);
    let out = w.tick();
    assert!(
        matches!(out[0], Decision::Moved { from, to, .. } if from == queue(1) && to == queue(2))
    );
    assert_eq!(
        offered(&w.available(1)),
        Some((contact(1), agent(1))),
        "contact 1 arrived first"
    );
}

#[test]
fn full_queue_and_long_wait_trigger_the_overflow_action() {
    let mut w = World::new();
    let mut config = QueueConfig::new(queue(1), SelectionPolicy::LongestIdle);
    config.max_size = Some(1);
    config.max_wait_secs = Some(60);
    config.overflow = OverflowAction::CallbackOffer;
    w.queue(config.clone());
    w.arrive(request(1, queue(1), 5, vec![]));
    let full = w.arrive(request(2, queue(1), 5, vec![]));
    assert!(matches!(
        &full[0],
        Decision::Overflow {
            why: Why {
                rule: Rule::QueueFull,
                ..
            },
            ..
        }
    ));
    w.ok(AcdCommand::CallbackAccepted {
        contact: contact(2),
    });
    w.advance(60);
    let out = w.tick();
    assert_eq!(
        out.len(),
        1,
        "the callback is exempt from maximum wait, the other fires once"
    );
    assert!(
        matches!(&out[0], Decision::Overflow { contact: c, why: Why { rule: Rule::MaxWaitReached, .. }, .. } if *c == contact(1))
    );
    assert!(w.tick().is_empty());
    config.overflow = OverflowAction::Voicemail { mailbox: skill(99) };
    w.queue(config);
    let out = w.arrive(request(3, queue(1), 5, vec![]));
    assert!(matches!(
        &out[0],
        Decision::Overflow {
            action: OverflowAction::Voicemail { .. },
            ..
        }
    ));
    assert!(!w.acd.state().contacts.contains_key(&contact(3)));
}

#[test]
fn declined_offer_keeps_the_place_and_blocks_the_agent_for_a_while() {
    let mut w = basic(SelectionPolicy::LongestIdle);
    w.agent(1, vec![], vec![queue(1)]);
    w.agent(2, vec![], vec![queue(1)]);
    w.arrive(request(1, queue(1), 5, vec![]));
    w.advance(1);
    w.arrive(request(2, queue(1), 5, vec![]));
    assert_eq!(offered(&w.available(1)), Some((contact(1), agent(1))));
    assert!(
        w.decline(contact(1))
            .iter()
            .all(|d| matches!(d, Decision::Enqueued { .. }))
    );
    assert_eq!(
        offered(&w.available(1)),
        Some((contact(2), agent(1))),
        "agent 1 is blocked from contact 1"
    );
    assert_eq!(
        offered(&w.available(2)),
        Some((contact(1), agent(2))),
        "contact 1 kept its place"
    );
    w.decline(contact(1));
    w.decline(contact(2));
    w.advance(60);
    assert_eq!(
        offered(&w.available(1)),
        Some((contact(1), agent(1))),
        "the block ended after 60 s"
    );
}

#[test]
fn sticky_contact_waits_for_its_agent_then_anyone() {
    let mut w = World::new();
    let mut config = QueueConfig::new(queue(1), SelectionPolicy::LongestIdle);
    config.sticky_wait_secs = 30;
    w.queue(config);
    w.agent(1, vec![], vec![queue(1)]);
    w.agent(2, vec![], vec![queue(1)]);
    w.available(2);
    let mut req = request(1, queue(1), 5, vec![]);
    req.preferred_agent = Some(agent(1));
    let out = w.arrive(req);
    assert!(matches!(
        &out[0],
        Decision::Enqueued {
            why: Why {
                rule: Rule::WaitingForPreferredAgent,
                ..
            },
            ..
        }
    ));
    w.advance(29);
    assert!(w.tick().is_empty());
    w.advance(1);
    assert_eq!(offers(&w.tick()), vec![(contact(1), agent(2))]);
    let mut req = request(2, queue(1), 5, vec![]);
    req.preferred_agent = Some(agent(1));
    w.available(1);
    let out = w.arrive(req);
    assert!(matches!(
        &out[0],
        Decision::Offer {
            why: Why {
                rule: Rule::PreferredAgent,
                ..
            },
            ..
        }
    ));
}

#[test]
fn replaying_the_command_log_rebuilds_the_live_engine() {
    let mut w = World::new();
    let mut config = QueueConfig::new(queue(1), SelectionPolicy::MostSkilled);
    config.aging_secs_per_level = Some(20);
    config.relaxation = vec![RelaxStep {
        after_secs: 30,
        relax: Relax::MinLevel { level: 1 },
    }];
    w.queue(config);
    w.queue(QueueConfig::new(queue(2), SelectionPolicy::RoundRobin));
    for n in 1..=4 {
        w.agent(n, vec![has(1, n as u8)], vec![queue(1), queue(2)]);
    }
    for c in 1..=12 {
        w.arrive(request(
            c,
            queue(c % 2 + 1),
            (c % 10 + 1) as u8,
            vec![need(1, (c % 5 + 1) as u8)],
        ));
        w.advance(7);
        if c % 3 == 0 {
            let d = w.available(c % 4 + 1);
            if let Some((contact, _)) = offered(&d) {
                if c % 2 == 0 {
                    w.accept(contact)
                } else {
                    w.decline(contact);
                }
            }
        }
        w.tick();
    }
    let replayed = AcdEngine::replay(w.log.clone()).unwrap();
    assert_eq!(replayed, w.acd);
    let json = serde_json::to_string(&w.acd).unwrap();
    let mut restored: AcdEngine = serde_json::from_str(&json).unwrap();
    assert_eq!(restored, w.acd);
    // The rebuilt indexes decide exactly as the live ones do.
    for n in 1..=4 {
        let cmd = AcdCommand::AgentAvailable {
            agent: agent(n),
            at: w.now,
        };
        let live = w.acd.apply(cmd.clone());
        assert_eq!(restored.apply(cmd), live);
    }
    for q in [queue(1), queue(2)] {
        assert_eq!(
            restored.queue_snapshot(q, w.now),
            w.acd.queue_snapshot(q, w.now)
        );
    }
}

#[test]
fn tick_offers_a_contact_again_once_the_reoffer_block_ends() {
    let mut w = basic(SelectionPolicy::LongestIdle);
    w.agent(1, vec![], vec![queue(1)]);
    w.available(1);
    assert_eq!(
        offers(&w.arrive(request(1, queue(1), 5, vec![]))),
        vec![(contact(1), agent(1))]
    );
    w.decline(contact(1));
    assert!(matches!(w.available(1), Decision::AgentIdle { .. }));
    w.advance(59);
    assert!(w.tick().is_empty());
    w.advance(1);
    assert_eq!(offers(&w.tick()), vec![(contact(1), agent(1))]);
}

#[test]
fn tick_leaves_agents_alone_when_nothing_changed_for_them() {
    let mut w = World::new();
    let mut config = QueueConfig::new(queue(1), SelectionPolicy::LongestIdle);
    config.relaxation = vec![RelaxStep {
        after_secs: 30,
        relax: Relax::MinLevel { level: 1 },
    }];
    w.queue(config);
    w.agent(1, vec![has(1, 1)], vec![queue(1)]);
    w.available(1);
    w.arrive(request(1, queue(1), 5, vec![need(1, 3)]));
    w.tick();
    w.advance(20);
    assert!(w.tick().is_empty());
    w.advance(20);
    assert_eq!(
        offers(&w.tick()),
        vec![(contact(1), agent(1))],
        "the step at 30 s fell inside this tick"
    );
}

#[test]
fn an_idle_agent_who_gains_a_skill_is_served_at_the_next_tick() {
    let mut w = basic(SelectionPolicy::LongestIdle);
    w.agent(1, vec![has(1, 1)], vec![queue(1)]);
    w.available(1);
    w.arrive(request(1, queue(1), 5, vec![need(1, 4)]));
    w.tick();
    w.agent(1, vec![has(1, 4)], vec![queue(1)]);
    assert_eq!(offers(&w.tick()), vec![(contact(1), agent(1))]);
}
