//! ACD decision speed with 10,000 agents, 200 queues, 50 skills and 100,000 waiting
//! contacts: a contact's arrival and an agent becoming available, indexed engine against a
//! scan-everything baseline written here. Prints p50/p99 over the decisions, then runs
//! criterion on the same two decisions.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cc_core::acd::*;
use cc_types::skills::SkillRequirement;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::Criterion;
use uuid::Uuid;

const AGENTS: u128 = 10_000;
const SPECIALISTS: u128 = 2_000;
const QUEUES: u128 = 200;
const SKILLS: u128 = 50;
const WAITING: u128 = 100_000;
const DECISIONS: usize = 100_000;
const BASELINE_DECISIONS: usize = 2_000;

/// SplitMix64: a small deterministic generator, so every run sees the same workload.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u128) -> u128 {
        u128::from(self.next()) % n
    }
    fn level(&mut self, lo: u8, hi: u8) -> u8 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u8
    }
}

fn queue(n: u128) -> QueueId {
    QueueId(Uuid::from_u128(0x1_0000_0000 + n))
}
fn agent(n: u128) -> AgentId {
    AgentId(Uuid::from_u128(0x2_0000_0000 + n))
}
fn skill(n: u128) -> Uuid {
    Uuid::from_u128(0x4_0000_0000 + n % SKILLS)
}
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0)
        .single()
        .unwrap_or_default()
}

fn queue_config(q: u128) -> QueueConfig {
    let policies = [
        SelectionPolicy::LongestIdle,
        SelectionPolicy::MostSkilled,
        SelectionPolicy::RoundRobin,
        SelectionPolicy::LeastBusyToday,
    ];
    let mut config = QueueConfig::new(queue(q), policies[(q % 4) as usize]);
    config.aging_secs_per_level = Some(30);
    config.relaxation = vec![RelaxStep {
        after_secs: 300,
        relax: Relax::MinLevel { level: 3 },
    }];
    config
}

/// Generalists have levels 2–5 in their queues' skills; specialists have level 1, so they
/// qualify only for arriving contacts that ask for level 1 and otherwise stay idle.
fn profile(n: u128, rng: &mut Rng) -> AgentProfile {
    let queues: Vec<QueueId> = (0..4).map(|_| queue(rng.below(QUEUES))).collect();
    let specialist = n >= AGENTS - SPECIALISTS;
    let mut skills: Vec<AgentSkill> = queues
        .iter()
        .map(|q| AgentSkill {
            skill: skill(q.0.as_u128()),
            level: if specialist { 1 } else { rng.level(2, 5) },
        })
        .collect();
    skills.push(AgentSkill {
        skill: skill(rng.below(SKILLS)),
        level: if specialist { 1 } else { rng.level(1, 5) },
    });
    skills.sort_by_key(|s| s.skill);
    skills.dedup_by_key(|s| s.skill);
    AgentProfile {
        id: agent(n),
        skills,
        queues,
        languages: vec!["en".into()],
    }
}

fn contact_request(n: u128, rng: &mut Rng, min_level: u8) -> ContactRequest {
    let q = rng.below(QUEUES);
    let mut skills = vec![SkillRequirement {
        skill: skill(q),
        min_level: rng.level(min_level, 5),
    }];
    if rng.below(10) < 3 {
        skills.push(SkillRequirement {
            skill: skill(q + 1),
            min_level: 1,
        });
    }
    ContactRequest {
        id: ContactId(Uuid::from_u128(0x3_0000_0000 + n)),
        queue: queue(q),
        priority: rng.level(1, 10),
        skills,
        preferred_agent: None,
        language: None,
        callback: false,
    }
}

fn p(samples: &mut [Duration], q: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
    samples.get(i).copied().unwrap_or_default()
}

/// A decision engine the workload can drive: the indexed engine or the baseline.
trait Acd {
    fn apply(&mut self, command: AcdCommand) -> Vec<Decision>;
    fn reserved(&self, agent: AgentId) -> Option<ContactId>;
}

impl Acd for AcdEngine {
    fn apply(&mut self, command: AcdCommand) -> Vec<Decision> {
        AcdEngine::apply(self, command).unwrap_or_default()
    }
    fn reserved(&self, agent: AgentId) -> Option<ContactId> {
        match self.state().agents.get(&agent).map(|a| &a.presence) {
            Some(Presence::Reserved { contact }) => Some(*contact),
            _ => None,
        }
    }
}

#[path = "support/acd_baseline.rs"]
mod baseline;

struct Workload<E: Acd> {
    engine: E,
    rng: Rng,
    now: DateTime<Utc>,
    next_contact: u128,
}

impl<E: Acd> Workload<E> {
    fn build(mut engine: E) -> Self {
        let mut rng = Rng(42);
        for q in 0..QUEUES {
            engine.apply(AcdCommand::UpsertQueue {
                config: queue_config(q),
            });
        }
        for n in 0..AGENTS {
            engine.apply(AcdCommand::UpsertAgent {
                profile: profile(n, &mut rng),
            });
        }
        let mut now = t0();
        for n in 0..WAITING {
            engine.apply(AcdCommand::ContactArrived {
                contact: contact_request(n, &mut rng, 2),
                at: now,
            });
            now += TimeDelta::milliseconds(5);
        }
        let mut w = Self {
            engine,
            rng,
            now,
            next_contact: WAITING,
        };
        for n in AGENTS - SPECIALISTS..AGENTS {
            w.settle(AcdCommand::AgentAvailable {
                agent: agent(n),
                at: w.now,
            });
        }
        w
    }

    /// Applies a command and accepts every offer it makes (outside any timing).
    fn settle(&mut self, command: AcdCommand) {
        let decisions = self.engine.apply(command);
        self.accept_all(&decisions);
    }

    fn accept_all(&mut self, decisions: &[Decision]) {
        for d in decisions {
            if let Decision::Offer { contact, .. } = d {
                self.engine.apply(AcdCommand::OfferAccepted {
                    contact: *contact,
                    at: self.now,
                });
            }
        }
    }

    /// A generalist finishes a call and becomes available: timed. A fresh contact keeps
    /// the waiting population at 100,000.
    fn agent_available(&mut self) -> Duration {
        self.now += TimeDelta::milliseconds(10);
        let a = agent(self.rng.below(AGENTS - SPECIALISTS));
        if let Some(contact) = self.engine.reserved(a) {
            self.engine.apply(AcdCommand::OfferAccepted {
                contact,
                at: self.now,
            });
        }
        let start = Instant::now();
        let decisions = black_box(self.engine.apply(AcdCommand::AgentAvailable {
            agent: a,
            at: self.now,
        }));
        let took = start.elapsed();
        self.accept_all(&decisions);
        self.next_contact += 1;
        let fresh = contact_request(self.next_contact, &mut self.rng, 2);
        self.settle(AcdCommand::ContactArrived {
            contact: fresh,
            at: self.now,
        });
        took
    }

    /// A contact arrives (half of them need only level 1, which idle specialists have):
    /// timed. A specialist who took it finishes and is available again.
    fn contact_arrives(&mut self) -> Duration {
        self.contact_arrives_with_outcome().0
    }

    /// As [`Self::contact_arrives`], also telling whether the contact was offered.
    fn contact_arrives_with_outcome(&mut self) -> (Duration, bool) {
        self.now += TimeDelta::milliseconds(10);
        self.next_contact += 1;
        let min = if self.rng.below(2) == 0 { 1 } else { 2 };
        let request = contact_request(self.next_contact, &mut self.rng, min);
        let start = Instant::now();
        let decisions = black_box(self.engine.apply(AcdCommand::ContactArrived {
            contact: request,
            at: self.now,
        }));
        let took = start.elapsed();
        let mut offered = false;
        for d in &decisions {
            if let Decision::Offer { contact, agent, .. } = d {
                offered = true;
                self.engine.apply(AcdCommand::OfferAccepted {
                    contact: *contact,
                    at: self.now,
                });
                self.settle(AcdCommand::AgentAvailable {
                    agent: *agent,
                    at: self.now,
                });
            }
        }
        (took, offered)
    }
}

fn report<E: Acd>(
    name: &str,
    engine: E,
    decisions: usize,
) -> (Duration, Duration, Duration, Duration) {
    let built = Instant::now();
    let mut w = Workload::build(engine);
    eprintln!("{name}: built in {:?}", built.elapsed());
    let mut avail: Vec<Duration> = (0..decisions).map(|_| w.agent_available()).collect();
    let (mut offered, mut queued) = (Vec::new(), Vec::new());
    for _ in 0..decisions {
        match w.contact_arrives_with_outcome() {
            (took, true) => offered.push(took),
            (took, false) => queued.push(took),
        }
    }
    let mut arrive: Vec<Duration> = offered.iter().chain(&queued).copied().collect();
    let r = (
        p(&mut avail, 0.5),
        p(&mut avail, 0.99),
        p(&mut arrive, 0.5),
        p(&mut arrive, 0.99),
    );
    for (what, list) in [("offered", &mut offered), ("enqueued", &mut queued)] {
        println!(
            "{name} contact_arrives {what}: p50 {:?} p99 {:?} (n={})",
            p(list, 0.5),
            p(list, 0.99),
            list.len()
        );
    }
    println!(
        "{name} agent_available: p50 {:?} p99 {:?} (n={decisions})",
        r.0, r.1
    );
    println!(
        "{name} contact_arrives:  p50 {:?} p99 {:?} (n={decisions})",
        r.2, r.3
    );
    r
}

fn main() {
    let fast = report("indexed", AcdEngine::new(), DECISIONS);
    let slow = report(
        "baseline-scan",
        baseline::ScanAcd::default(),
        BASELINE_DECISIONS,
    );
    let ratio = |s: Duration, f: Duration| s.as_secs_f64() / f.as_secs_f64().max(1e-9);
    println!(
        "ratio scan/indexed agent_available: p50 {:.0}x p99 {:.0}x",
        ratio(slow.0, fast.0),
        ratio(slow.1, fast.1)
    );
    println!(
        "ratio scan/indexed contact_arrives:  p50 {:.0}x p99 {:.0}x",
        ratio(slow.2, fast.2),
        ratio(slow.3, fast.3)
    );

    let mut c = Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let mut w = Workload::build(AcdEngine::new());
    c.bench_function("acd/agent_available", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| w.agent_available()).sum())
    });
    c.bench_function("acd/contact_arrives", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| w.contact_arrives()).sum())
    });
    c.final_summary();
}
