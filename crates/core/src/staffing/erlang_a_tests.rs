#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::staffing::{erlang_b, erlang_c_wait_probability};
use proptest::prelude::*;

/// The birth-death chain summed state by state, the way a textbook writes it; only usable
/// for small systems, which is the point: it shares no code or trick with the engine.
fn brute_force(agents: usize, traffic: f64, aht: f64, patience: f64) -> (f64, f64) {
    let (lambda, mu, theta) = (traffic / aht, 1.0 / aht, 1.0 / patience);
    let mut weights = vec![1.0_f64];
    for j in 1..4_000 {
        let served = (j.min(agents)) as f64 * mu;
        let waiting = j.saturating_sub(agents) as f64 * theta;
        let prev = weights[j - 1];
        weights.push(prev * lambda / (served + waiting));
    }
    let total: f64 = weights.iter().sum();
    let wait: f64 = weights[agents..].iter().sum::<f64>() / total;
    let abandon: f64 = weights
        .iter()
        .enumerate()
        .skip(agents)
        .map(|(j, w)| (j - agents) as f64 * theta * w)
        .sum::<f64>()
        / total
        / lambda;
    (wait, abandon)
}

#[test]
fn matches_the_birth_death_chain_summed_by_hand() {
    for (agents, traffic, aht, patience) in [
        (5, 4.0, 180.0, 60.0),
        (10, 12.0, 240.0, 120.0),
        (3, 0.5, 300.0, 30.0),
        (20, 18.0, 200.0, 600.0),
    ] {
        let (wait, abandon) = brute_force(agents, traffic, aht, patience);
        let n = agents as u32;
        let got_wait = erlang_a_wait_probability(n, traffic, aht, patience);
        let got_abandon = erlang_a_abandon_probability(n, traffic, aht, patience);
        assert!(
            (got_wait - wait).abs() < 1e-9,
            "{agents}/{traffic}: {got_wait} vs {wait}"
        );
        assert!(
            (got_abandon - abandon).abs() < 1e-9,
            "{got_abandon} vs {abandon}"
        );
    }
}

#[test]
fn endless_patience_is_erlang_c_and_none_is_erlang_b() {
    let c = erlang_c_wait_probability(14, 10.0);
    let nearly_endless = erlang_a_wait_probability(14, 10.0, 180.0, 1e9);
    assert!((nearly_endless - c).abs() < 1e-5, "{nearly_endless} vs {c}");
    assert_eq!(erlang_a_wait_probability(14, 10.0, 180.0, f64::INFINITY), c);
    assert_eq!(
        erlang_a_abandon_probability(14, 10.0, 180.0, f64::INFINITY),
        0.0
    );

    let b = erlang_b(14, 10.0);
    assert!((erlang_a_wait_probability(14, 10.0, 180.0, 0.0) - b).abs() < 1e-12);
    assert!((erlang_a_abandon_probability(14, 10.0, 180.0, 0.0) - b).abs() < 1e-12);
}

#[test]
fn erlang_c_overstates_waiting_when_callers_hang_up() {
    let c = erlang_c_wait_probability(12, 10.0);
    let a = erlang_a_wait_probability(12, 10.0, 180.0, 90.0);
    assert!(a < c, "Erlang A {a} should be below Erlang C {c}");
}

#[test]
fn settles_even_with_fewer_agents_than_erlangs() {
    // With impatient callers the queue is stable for any staffing.
    let wait = erlang_a_wait_probability(8, 10.0, 180.0, 60.0);
    let abandon = erlang_a_abandon_probability(8, 10.0, 180.0, 60.0);
    let (bw, ba) = brute_force(8, 10.0, 180.0, 60.0);
    assert!((wait - bw).abs() < 1e-9 && (abandon - ba).abs() < 1e-9);
    assert!(abandon > 0.2 && abandon < wait);
}

#[test]
fn stays_finite_at_ten_thousand_erlangs() {
    for agents in [9_000, 10_000, 10_100, 11_000] {
        let wait = erlang_a_wait_probability(agents, 10_000.0, 180.0, 120.0);
        let abandon = erlang_a_abandon_probability(agents, 10_000.0, 180.0, 120.0);
        assert!(
            wait.is_finite() && (0.0..=1.0).contains(&wait),
            "{agents}: {wait}"
        );
        assert!(
            abandon.is_finite() && abandon <= wait,
            "{agents}: {abandon}"
        );
    }
    // Understaffed by 10%: about 10% of callers must give up to balance the load.
    let abandon = erlang_a_abandon_probability(9_000, 10_000.0, 180.0, 120.0);
    assert!((abandon - 0.1).abs() < 0.01, "{abandon}");
}

proptest! {
    #[test]
    fn abandoning_never_exceeds_waiting(
        agents in 1u32..80, traffic in 0.1f64..100.0, patience in 1.0f64..1_000.0,
    ) {
        let wait = erlang_a_wait_probability(agents, traffic, 200.0, patience);
        let abandon = erlang_a_abandon_probability(agents, traffic, 200.0, patience);
        prop_assert!((0.0..=1.0).contains(&wait));
        prop_assert!(abandon >= 0.0 && abandon <= wait + 1e-12);
        let more = erlang_a_wait_probability(agents + 1, traffic, 200.0, patience);
        prop_assert!(more <= wait + 1e-12);
    }
}
