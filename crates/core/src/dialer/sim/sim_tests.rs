#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn shift(mode: DialerMode, agents: u32, answer_rate: f64, hours: f64, seed: u64) -> SimConfig {
    SimConfig {
        mode,
        agents,
        answer_rate,
        talk_mean_secs: 180.0,
        wrap_secs: 30.0,
        hours,
        seed,
        ring_max_secs: 25.0,
        abandon_cap: 0.03,
    }
}

#[test]
fn the_same_seed_replays_the_same_shift() {
    let cfg = shift(DialerMode::Predictive, 10, 0.25, 0.5, 9);
    assert_eq!(run(&cfg), run(&cfg));
}

#[test]
fn progressive_never_abandons() {
    for seed in 0..4 {
        let report = run(&shift(DialerMode::Progressive, 10, 0.3, 1.0, seed));
        assert_eq!(report.abandoned, 0);
        assert!(report.live_answers > 0);
    }
}

#[test]
fn the_abandon_cap_holds_at_every_moment_over_many_seeds() {
    for (agents, rate) in [(10, 0.25), (10, 0.1), (3, 0.5), (25, 0.15)] {
        for seed in 0..10 {
            let report = run(&shift(DialerMode::Predictive, agents, rate, 1.0, seed));
            assert!(
                report.peak_abandon_rate <= 0.03,
                "{agents} agents, R={rate}, seed {seed}: {report:?}"
            );
        }
    }
}

#[test]
fn a_tighter_cap_is_held_too() {
    for seed in 0..6 {
        let mut cfg = shift(DialerMode::Predictive, 20, 0.2, 1.0, seed);
        cfg.abandon_cap = 0.01;
        let report = run(&cfg);
        assert!(report.peak_abandon_rate <= 0.01, "seed {seed}: {report:?}");
    }
}

#[test]
fn predictive_keeps_agents_busier_than_progressive() {
    let progressive = run(&shift(DialerMode::Progressive, 30, 0.25, 2.0, 5));
    let predictive = run(&shift(DialerMode::Predictive, 30, 0.25, 2.0, 5));
    assert!(
        predictive.agent_occupancy > progressive.agent_occupancy + 0.1,
        "{predictive:?} vs {progressive:?}"
    );
}

mod property {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// Whatever the team and the traffic, the measured rate never passes the cap.
        #[test]
        fn the_cap_holds_for_any_team_and_traffic(
            agents in 1u32..30, answer_rate in 0.05f64..0.7, talk in 20.0f64..400.0,
            wrap in 0.0f64..60.0, cap in 0.01f64..0.05, seed in any::<u64>(),
        ) {
            let cfg = SimConfig {
                mode: DialerMode::Predictive,
                agents,
                answer_rate,
                talk_mean_secs: talk,
                wrap_secs: wrap,
                hours: 0.5,
                seed,
                ring_max_secs: 25.0,
                abandon_cap: cap,
            };
            let report = run(&cfg);
            prop_assert!(report.peak_abandon_rate <= cap, "{report:?}");
        }
    }
}
