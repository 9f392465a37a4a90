//! Time of one pacing decision for a 50-agent predictive campaign in full swing, and for a
//! low answer rate with many lines ringing.

use std::hint::black_box;

use cc_core::dialer::sim::SeededRng;
use cc_core::dialer::{
    AbandonLedger, AgentActivity, CampaignObserver, DialResult, Observation, Pacer,
};
use cc_types::dialer::{AbandonPolicy, DialerMode};
use criterion::{Criterion, criterion_group, criterion_main};

/// A campaign with a full rolling history drawn from the simulator's model.
fn history(answer_rate: f64, rng: &mut SeededRng) -> (CampaignObserver, AbandonLedger) {
    let mut stats = CampaignObserver::default();
    for _ in 0..2_000 {
        let result = if rng.chance(answer_rate) {
            DialResult::Live {
                ring_secs: rng.uniform(3.0, 15.0),
            }
        } else {
            DialResult::NoAnswer { ring_secs: 25.0 }
        };
        stats.record_dial(result);
        stats.record_talk(rng.exponential(180.0));
        stats.record_wrap(30.0);
    }
    let mut ledger = AbandonLedger::new(&AbandonPolicy::default());
    (0..3_000).for_each(|_| ledger.record_live_answer(0.0));
    (0..60).for_each(|_| ledger.record_abandon(0.0));
    (stats, ledger)
}

fn bench_case(c: &mut Criterion, name: &str, answer_rate: f64, ringing: usize) {
    let mut rng = SeededRng::new(11);
    let (stats, ledger) = history(answer_rate, &mut rng);
    let busy: Vec<AgentActivity> = (0..46)
        .map(|i| {
            if i % 6 == 0 {
                AgentActivity::WrappingUp {
                    elapsed_secs: rng.uniform(0.0, 30.0),
                }
            } else {
                AgentActivity::Talking {
                    elapsed_secs: rng.exponential(180.0),
                }
            }
        })
        .collect();
    let ring: Vec<f64> = (0..ringing).map(|_| rng.uniform(0.0, 25.0)).collect();
    let obs = Observation {
        idle_agents: 4,
        busy_agents: &busy,
        ringing_secs: &ring,
        waiting_live: 0,
        ai_sessions_active: 0,
    };
    let pacer = Pacer::default();
    c.bench_function(name, |b| {
        b.iter(|| pacer.decide(&DialerMode::Predictive, black_box(&obs), &stats, &ledger))
    });
}

fn pacing(c: &mut Criterion) {
    bench_case(
        c,
        "pacing decision, 50 agents, R=0.25, 20 ringing",
        0.25,
        20,
    );
    bench_case(
        c,
        "pacing decision, 50 agents, R=0.05, 300 ringing",
        0.05,
        300,
    );
}

criterion_group!(benches, pacing);
criterion_main!(benches);
