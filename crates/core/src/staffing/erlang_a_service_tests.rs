#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::staffing::{
    agents_for_service_level, erlang_a_wait_probability, erlang_c_service_level,
};
use std::collections::VecDeque;

/// A small deterministic generator (xorshift64*), so the simulation shares nothing with
/// the engine and repeats exactly.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        (bits as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn exponential(&mut self, rate: f64) -> f64 {
        -self.uniform().ln() / rate
    }
}

/// Simulates callers one event at a time and counts who reached an agent within `target`:
/// the queue the formulas describe, built the plain way.
fn simulate(agents: u32, traffic: f64, aht: f64, patience: f64, target: f64) -> f64 {
    let (mu, theta) = (1.0 / aht, 1.0 / patience);
    let lambda = traffic * mu;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut now, mut busy) = (0.0_f64, 0_u32);
    let mut queue: VecDeque<(f64, f64)> = VecDeque::new(); // (arrived, gives up at)
    let mut next_arrival = rng.exponential(lambda);
    let (warm_up, callers) = (20_000_u32, 400_000_u32);
    let (mut arrived, mut counted, mut reached) = (0_u32, 0_u32, 0_u32);
    while arrived < warm_up + callers {
        let completion = if busy > 0 {
            now + rng.exponential(f64::from(busy) * mu)
        } else {
            f64::INFINITY
        };
        let gives_up = queue.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
        if next_arrival <= completion && next_arrival <= gives_up {
            now = next_arrival;
            arrived += 1;
            let measured = arrived > warm_up;
            counted += u32::from(measured);
            if busy < agents {
                busy += 1;
                reached += u32::from(measured);
            } else {
                let mark = if measured { now } else { -1.0 };
                queue.push_back((mark, now + rng.exponential(theta)));
            }
            next_arrival = now + rng.exponential(lambda);
        } else if completion <= gives_up {
            now = completion;
            match queue.pop_front() {
                Some((at, _)) => reached += u32::from(at >= 0.0 && now - at <= target),
                None => busy -= 1,
            }
        } else {
            now = gives_up;
            queue.retain(|c| c.1 != gives_up);
        }
    }
    f64::from(reached) / f64::from(counted)
}

#[test]
fn agrees_with_a_simulation_of_the_queue() {
    for (agents, traffic, aht, patience, target) in [
        (5, 4.0, 180.0, 60.0, 20.0),
        (10, 12.0, 240.0, 120.0, 30.0),
        (3, 2.5, 100.0, 10.0, 20.0),
        (8, 6.0, 120.0, 300.0, 60.0),
    ] {
        let formula = erlang_a_service_level(agents, traffic, aht, patience, target);
        let simulated = simulate(agents, traffic, aht, patience, target);
        assert!(
            (formula - simulated).abs() < 0.004,
            "n={agents} A={traffic}: formula {formula}, simulation {simulated}"
        );
    }
}

#[test]
fn unlimited_patience_is_erlang_c_and_no_target_is_not_waiting() {
    for (agents, traffic) in [(12, 10.0), (30, 25.0), (5, 1.0)] {
        let a = erlang_a_service_level(agents, traffic, 180.0, 1e7, 20.0);
        let c = erlang_c_service_level(agents, traffic, 180.0, 20.0);
        assert!((a - c).abs() < 1e-3, "n={agents}: {a} against Erlang C {c}");
        let at_once = erlang_a_service_level(agents, traffic, 180.0, 90.0, 0.0);
        let wait = erlang_a_wait_probability(agents, traffic, 180.0, 90.0);
        assert!((at_once - (1.0 - wait)).abs() < 1e-12);
    }
}

#[test]
fn rises_with_agents_and_with_the_target_time() {
    let mut previous = 0.0;
    for agents in 1..40 {
        let level = erlang_a_service_level(agents, 20.0, 200.0, 60.0, 20.0);
        assert!(
            level >= previous - 1e-12,
            "n={agents}: {level} < {previous}"
        );
        assert!((0.0..=1.0).contains(&level));
        previous = level;
    }
    let quick = erlang_a_service_level(18, 20.0, 200.0, 60.0, 10.0);
    let slow = erlang_a_service_level(18, 20.0, 200.0, 60.0, 60.0);
    assert!(slow > quick);
}

#[test]
fn cannot_serve_more_than_the_agents_can_handle() {
    // n agents serve at most n/A of the callers, however patient they are.
    for agents in [5, 10, 15] {
        let level = erlang_a_service_level(agents, 20.0, 180.0, 300.0, 600.0);
        assert!(
            level <= f64::from(agents) / 20.0 + 1e-9,
            "n={agents}: {level}"
        );
    }
}

#[test]
fn finds_the_fewest_agents_that_meet_the_target() {
    for (traffic, aht, patience, target, goal) in [
        (10.0, 180.0, 60.0, 20.0, 0.8),
        (50.0, 300.0, 120.0, 30.0, 0.9),
        (2.0, 120.0, 30.0, 20.0, 0.95),
        (400.0, 240.0, 90.0, 20.0, 0.8),
    ] {
        let n = erlang_a_agents_for_service_level(traffic, aht, patience, target, goal, 100_000)
            .expect("reachable");
        assert!(erlang_a_service_level(n, traffic, aht, patience, target) >= goal);
        assert!(erlang_a_service_level(n - 1, traffic, aht, patience, target) < goal);
    }
}

#[test]
fn patient_callers_need_what_erlang_c_says_and_impatient_ones_fewer() {
    let patient = erlang_a_agents_for_service_level(10.0, 180.0, 1e7, 20.0, 0.8, 1000);
    assert_eq!(
        patient,
        Some(agents_for_service_level(10.0, 180.0, 20.0, 0.8))
    );
    // Callers who give up after a minute shorten the queue for those behind them.
    let impatient = erlang_a_agents_for_service_level(30.0, 180.0, 60.0, 20.0, 0.8, 1000);
    assert!(impatient.unwrap() <= agents_for_service_level(30.0, 180.0, 20.0, 0.8));
}

#[test]
fn gives_up_when_the_cap_is_too_low_and_needs_nobody_without_calls() {
    assert_eq!(
        erlang_a_agents_for_service_level(100.0, 180.0, 60.0, 20.0, 0.8, 50),
        None
    );
    assert_eq!(
        erlang_a_agents_for_service_level(0.0, 180.0, 60.0, 20.0, 0.8, 50),
        Some(0)
    );
}
