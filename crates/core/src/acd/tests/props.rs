//! Property tests for the ACD invariants: one offer per agent, offers respect the skills in
//! force, first come first served within equal priority and skills, and aging starves no one.

use chrono::{DateTime, Utc};
use proptest::prelude::*;

use super::policy_props::check_policy_pick;
use super::support::*;
use crate::acd::*;

#[derive(Debug, Clone)]
enum Op {
    Arrive {
        queue: u8,
        priority: u8,
        skills: Vec<(u8, u8)>,
        preferred: Option<u8>,
        czech: bool,
        callback: bool,
    },
    Available(u8),
    Unavailable(u8),
    Accept(u8),
    Decline(u8),
    Abandon(u8),
    Advance(u16),
    Tick,
}

fn op() -> impl Strategy<Value = Op> {
    let arrive = (
        0..3u8,
        1..=10u8,
        prop::collection::vec((0..4u8, 1..=10u8), 0..3),
        prop::option::of(0..6u8),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(queue, priority, skills, preferred, czech, callback)| Op::Arrive {
                queue,
                priority,
                skills,
                preferred,
                czech,
                callback,
            },
        );
    prop_oneof![
        4 => arrive,
        4 => (0..6u8).prop_map(Op::Available),
        1 => (0..6u8).prop_map(Op::Unavailable),
        3 => any::<u8>().prop_map(Op::Accept),
        2 => any::<u8>().prop_map(Op::Decline),
        1 => any::<u8>().prop_map(Op::Abandon),
        3 => (0..90u16).prop_map(Op::Advance),
        2 => Just(Op::Tick),
    ]
}

pub fn queue_config(n: u8, policy: u8, aging: bool, limited: bool) -> QueueConfig {
    let policies = [
        SelectionPolicy::LongestIdle,
        SelectionPolicy::MostSkilled,
        SelectionPolicy::RoundRobin,
        SelectionPolicy::LeastBusyToday,
    ];
    let mut config = QueueConfig::new(queue(n.into()), policies[usize::from(policy % 4)]);
    config.aging_secs_per_level = aging.then_some(15);
    config.relaxation = vec![
        RelaxStep {
            after_secs: 20,
            relax: Relax::MinLevel { level: 2 },
        },
        RelaxStep {
            after_secs: 50,
            relax: Relax::AlternativeSkills {
                skills: vec![need(3, 1)],
            },
        },
        RelaxStep {
            after_secs: 120,
            relax: Relax::Overflow {
                queue: queue(((n + 1) % 3).into()),
            },
        },
    ];
    if limited {
        config.max_size = Some(4);
        config.max_wait_secs = Some(200);
    }
    config.sticky_wait_secs = 15;
    config.reoffer_block_secs = 30;
    config
}

/// A queue as (policy selector, aging on, limits on).
type QueueSeed = (u8, bool, bool);
/// An agent as (skills with levels, queue numbers, speaks Czech).
type AgentSeed = (Vec<(u8, u8)>, Vec<u8>, bool);

fn setup() -> impl Strategy<Value = (Vec<QueueSeed>, Vec<AgentSeed>)> {
    let queues = prop::collection::vec((any::<u8>(), any::<bool>(), any::<bool>()), 3);
    let agent = (
        prop::collection::vec((0..4u8, 1..=10u8), 0..4),
        prop::collection::vec(0..3u8, 1..3),
        any::<bool>(),
    );
    (queues, prop::collection::vec(agent, 6))
}

fn build(queues: &[QueueSeed], agents: &[AgentSeed]) -> World {
    let mut w = World::new();
    for (n, (policy, aging, limited)) in queues.iter().enumerate() {
        w.queue(queue_config(n as u8, *policy, *aging, *limited));
    }
    for (n, (skills, queues, czech)) in agents.iter().enumerate() {
        let mut skills: Vec<AgentSkill> =
            skills.iter().map(|(s, l)| has((*s).into(), *l)).collect();
        skills.sort_by_key(|s| s.skill);
        skills.dedup_by_key(|s| s.skill);
        let mut languages = vec!["en".to_string()];
        if *czech {
            languages.push("cs".into());
        }
        let queues = queues.iter().map(|q| queue((*q).into())).collect();
        w.ok(AcdCommand::UpsertAgent {
            profile: AgentProfile {
                id: agent(n as u128),
                skills,
                queues,
                languages,
            },
        });
    }
    w
}

fn nth_offered(w: &World, n: u8) -> Option<ContactId> {
    let offered: Vec<_> = w
        .acd
        .state()
        .contacts
        .values()
        .filter(|c| c.offered_to.is_some())
        .map(|c| c.request.id)
        .collect();
    (!offered.is_empty()).then(|| offered[usize::from(n) % offered.len()])
}

fn nth_contact(w: &World, n: u8) -> Option<ContactId> {
    let all: Vec<_> = w.acd.state().contacts.keys().copied().collect();
    (!all.is_empty()).then(|| all[usize::from(n) % all.len()])
}

fn perform(w: &mut World, op: &Op, next_contact: &mut u128) -> Vec<Decision> {
    let at = w.now;
    let command = match op {
        Op::Arrive {
            queue: q,
            priority,
            skills,
            preferred,
            czech,
            callback,
        } => {
            *next_contact += 1;
            let skills = skills.iter().map(|(s, l)| need((*s).into(), *l)).collect();
            let mut req = request(*next_contact, queue((*q).into()), *priority, skills);
            req.preferred_agent = preferred.map(|a| agent(a.into()));
            req.language = czech.then(|| "cs".into());
            req.callback = *callback;
            AcdCommand::ContactArrived { contact: req, at }
        }
        Op::Available(a) => AcdCommand::AgentAvailable {
            agent: agent((*a).into()),
            at,
        },
        Op::Unavailable(a) => AcdCommand::AgentUnavailable {
            agent: agent((*a).into()),
            at,
        },
        Op::Accept(n) => match nth_offered(w, *n) {
            Some(contact) => AcdCommand::OfferAccepted { contact, at },
            None => return Vec::new(),
        },
        Op::Decline(n) => match nth_offered(w, *n) {
            Some(contact) => AcdCommand::OfferDeclined { contact, at },
            None => return Vec::new(),
        },
        Op::Abandon(n) => match nth_contact(w, *n) {
            Some(contact) => AcdCommand::ContactAbandoned { contact, at },
            None => return Vec::new(),
        },
        Op::Advance(secs) => {
            w.advance(i64::from(*secs));
            return Vec::new();
        }
        Op::Tick => AcdCommand::Tick { at },
    };
    w.run(command).unwrap_or_default()
}

fn check_offers(w: &World, decisions: &[Decision], at: DateTime<Utc>) -> Result<(), TestCaseError> {
    let state = w.acd.state();
    for (contact, agent) in offers(decisions) {
        let entry = &state.contacts[&contact];
        let profile = &state.agents[&agent].profile;
        let config = &state.queues[&entry.queue];
        let waited = (at - entry.entered_at).num_milliseconds();
        prop_assert!(
            profile.queues.contains(&entry.queue),
            "agent does not serve the queue"
        );
        prop_assert!(
            independently_qualified(profile, &entry.request, &config.relaxation, waited),
            "unqualified offer {entry:?} to {profile:?}"
        );
        prop_assert!(
            !entry
                .declined
                .iter()
                .any(|(a, until)| *a == agent && *until > at),
            "re-offered too soon"
        );
    }
    for (id, agent) in &state.agents {
        let held: Vec<_> = state
            .contacts
            .values()
            .filter(|c| c.offered_to == Some(*id))
            .map(|c| c.request.id)
            .collect();
        prop_assert!(held.len() <= 1, "agent holds {} offers", held.len());
        match (&agent.presence, held.first()) {
            (Presence::Reserved { contact }, Some(c)) => prop_assert_eq!(contact, c),
            (Presence::Reserved { .. }, None) => prop_assert!(false, "reserved without an offer"),
            (_, Some(_)) => prop_assert!(false, "offer held by an agent not reserved"),
            (_, None) => {}
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn offers_respect_skills_in_force_and_no_agent_holds_two((queues, agents) in setup(), ops in prop::collection::vec(op(), 1..120)) {
        let mut w = build(&queues, &agents);
        let mut next = 0;
        for op in &ops {
            let at = w.now;
            let before = w.acd.state().clone();
            let decisions = perform(&mut w, op, &mut next);
            check_offers(&w, &decisions, at)?;
            if let (Op::Arrive { preferred: None, .. }, Some(first)) = (op, decisions.first()) {
                check_policy_pick(&before, &w, first)?;
            }
        }
        let replayed = AcdEngine::replay(w.log.clone()).unwrap();
        prop_assert!(replayed == w.acd, "replay differs from the live engine");
        // A snapshot restored on another instance decides exactly as the live engine.
        let mut restored: AcdEngine = serde_json::from_str(&serde_json::to_string(&w.acd).unwrap()).unwrap();
        let later = w.now + chrono::TimeDelta::seconds(45);
        let mut probes = vec![AcdCommand::Tick { at: later }];
        probes.extend((0..6).map(|n| AcdCommand::AgentAvailable { agent: agent(n), at: later }));
        for probe in probes {
            prop_assert_eq!(restored.apply(probe.clone()), w.acd.apply(probe));
        }
    }

    #[test]
    fn equal_priority_and_skills_are_served_first_come_first_served(ops in prop::collection::vec((0..4u8, 0..3u8, 0..4u8), 1..150)) {
        let mut w = World::new();
        w.queue(QueueConfig::new(queue(0), SelectionPolicy::LongestIdle));
        for n in 0..3 {
            w.agent(n, vec![has(1, 3)], vec![queue(0)]);
        }
        let mut next = 0u128;
        for (kind, who, secs) in ops {
            w.advance(i64::from(secs));
            let at = w.now;
            let decisions = match kind {
                0 | 1 => { next += 1; w.arrive(request(next, queue(0), 5, vec![need(1, 2)])) }
                2 => match nth_offered(&w, who) {
                    Some(c) => w.decline(c),
                    None => Vec::new(),
                },
                _ => {
                    let a = agent(who.into());
                    if let Presence::Reserved { contact } = w.acd.state().agents[&a].presence { w.accept(contact); }
                    w.run(AcdCommand::AgentAvailable { agent: a, at }).unwrap()
                }
            };
            let state = w.acd.state();
            for (contact, agent) in offers(&decisions) {
                let seq = state.contacts[&contact].seq;
                let jumped = state.contacts.values().filter(|c| c.offered_to.is_none())
                    .filter(|c| !c.declined.iter().any(|(a, until)| *a == agent && *until > at))
                    .any(|c| c.seq < seq);
                prop_assert!(!jumped, "an earlier contact eligible for {agent:?} still waits behind {contact:?}");
            }
        }
    }

    #[test]
    fn aging_serves_a_low_priority_contact_while_agents_keep_becoming_free(aging in 1..20u32, every in 1..4i64, service in 1..5i64) {
        let mut w = World::new();
        let mut config = QueueConfig::new(queue(0), SelectionPolicy::LongestIdle);
        config.aging_secs_per_level = Some(aging);
        w.queue(config);
        w.agent(0, vec![has(1, 1)], vec![queue(0)]);
        w.arrive(request(0, queue(0), 1, vec![need(1, 1)]));
        let overtaking = (9 * i64::from(aging) + every - 1) / every;
        let bound = (overtaking + 2) * service;
        let mut served_at = None;
        let mut next = 0;
        for t in 0..=bound {
            if t % every == 0 {
                next += 1;
                w.arrive(request(next, queue(0), 10, vec![need(1, 1)]));
            }
            if t % service == 0 {
                if let Presence::Reserved { contact } = w.acd.state().agents[&agent(0)].presence { w.accept(contact); }
                if offered(&w.available(0)) == Some((contact(0), agent(0))) {
                    served_at = Some(t);
                    break;
                }
            }
            w.advance(1);
        }
        prop_assert!(served_at.is_some(), "low-priority contact still waiting after {bound} s");
    }
}

#[test]
fn without_aging_the_same_stream_starves_the_low_priority_contact() {
    let mut w = World::new();
    w.queue(QueueConfig::new(queue(0), SelectionPolicy::LongestIdle));
    w.agent(0, vec![], vec![queue(0)]);
    w.arrive(request(0, queue(0), 1, vec![]));
    for t in 0..1000u128 {
        w.arrive(request(t + 1, queue(0), 10, vec![]));
        if t % 2 == 0 {
            if let Presence::Reserved { contact } = w.acd.state().agents[&agent(0)].presence {
                w.accept(contact);
            }
            assert_ne!(offered(&w.available(0)).map(|o| o.0), Some(contact(0)));
        }
        w.advance(1);
    }
}
