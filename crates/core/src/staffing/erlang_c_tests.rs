#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use proptest::prelude::*;

fn close(actual: f64, expected: f64, tol: f64) {
    assert!(
        (actual - expected).abs() <= tol,
        "expected {expected}, got {actual}"
    );
}

#[test]
fn erlang_b_matches_the_published_table() {
    // Erlang B tables: 10 Erlangs on 10 trunks block 21.46% of calls.
    close(erlang_b(10, 10.0), 0.2146, 5e-5);
    close(erlang_b(2, 1.0), 0.2, 1e-15);
}

#[test]
fn erlang_c_matches_the_published_table_at_ten_erlangs() {
    // Erlang C tables, 10 Erlangs: P(wait) for 11..=14 agents.
    let table = [(11, 0.6821), (12, 0.4494), (13, 0.2853), (14, 0.1741)];
    for (agents, expected) in table {
        close(erlang_c_wait_probability(agents, 10.0), expected, 5e-5);
    }
    close(erlang_c_wait_probability(3, 2.0), 4.0 / 9.0, 1e-15);
}

#[test]
fn textbook_example_needs_fourteen_agents_for_80_in_20() {
    // 100 calls per half hour with a 3-minute handle time is 10 Erlangs.
    let traffic = 100.0 * 180.0 / 1800.0;
    assert_eq!(agents_for_service_level(traffic, 180.0, 20.0, 0.8), 14);
    close(
        erlang_c_service_level(13, traffic, 180.0, 20.0),
        0.7956,
        5e-5,
    );
    close(
        erlang_c_service_level(14, traffic, 180.0, 20.0),
        0.8884,
        5e-5,
    );
    close(erlang_c_asa_secs(14, traffic, 180.0), 7.836, 5e-4);
    close(erlang_c_occupancy(14, traffic), 10.0 / 14.0, 1e-15);
}

#[test]
fn an_unstable_queue_never_settles() {
    assert_eq!(erlang_c_wait_probability(10, 10.0), 1.0);
    assert_eq!(erlang_c_service_level(9, 10.0, 180.0, 20.0), 0.0);
    assert_eq!(erlang_c_asa_secs(10, 10.0, 180.0), f64::INFINITY);
    assert_eq!(erlang_c_wait_probability(0, 0.5), 1.0);
}

#[test]
fn no_traffic_needs_no_agents_and_nobody_waits() {
    assert_eq!(agents_for_service_level(0.0, 180.0, 20.0, 0.8), 0);
    assert_eq!(erlang_c_wait_probability(3, 0.0), 0.0);
    assert_eq!(erlang_c_service_level(3, 0.0, 180.0, 20.0), 1.0);
    assert_eq!(erlang_c_asa_secs(3, 0.0, 180.0), 0.0);
}

#[test]
fn stays_accurate_at_ten_thousand_erlangs() {
    // Halfin-Whitt: with n = A + beta*sqrt(A) agents, P(wait) tends to
    // 1 / (1 + beta*Phi(beta)/phi(beta)); for beta = 1 that is 0.2234.
    let (phi_cdf, phi_pdf) = (0.841_344_746, 0.241_970_725);
    let limit = 1.0 / (1.0 + phi_cdf / phi_pdf);
    let c = erlang_c_wait_probability(10_100, 10_000.0);
    close(c, limit, 0.01);

    let n = agents_for_service_level(10_000.0, 180.0, 20.0, 0.8);
    assert!(n > 10_000 && n < 10_200, "{n} agents");
    assert!(erlang_c_service_level(n, 10_000.0, 180.0, 20.0) >= 0.8);
    assert!(erlang_c_service_level(n - 1, 10_000.0, 180.0, 20.0) < 0.8);
    assert!(erlang_c_asa_secs(n, 10_000.0, 180.0).is_finite());
}

proptest! {
    #[test]
    fn more_agents_never_make_service_worse(traffic in 0.01f64..3_000.0, extra in 1u32..60) {
        let n = traffic.ceil() as u32 + extra;
        let (c0, c1) = (erlang_c_wait_probability(n, traffic), erlang_c_wait_probability(n + 1, traffic));
        prop_assert!((0.0..=1.0).contains(&c0));
        prop_assert!(c1 <= c0 + 1e-12);
        let sl0 = erlang_c_service_level(n, traffic, 240.0, 20.0);
        let sl1 = erlang_c_service_level(n + 1, traffic, 240.0, 20.0);
        prop_assert!(sl1 + 1e-12 >= sl0);
        prop_assert!(erlang_c_asa_secs(n + 1, traffic, 240.0) <= erlang_c_asa_secs(n, traffic, 240.0) + 1e-9);
    }

    #[test]
    fn agents_for_service_level_is_the_smallest_that_meets_it(
        traffic in 0.05f64..2_000.0, target in 0.5f64..0.99, answer in 5.0f64..60.0,
    ) {
        let n = agents_for_service_level(traffic, 200.0, answer, target);
        prop_assert!(erlang_c_service_level(n, traffic, 200.0, answer) >= target);
        prop_assert!(erlang_c_service_level(n - 1, traffic, 200.0, answer) < target);
    }
}
