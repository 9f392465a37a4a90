#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

#[test]
fn a_rolling_distribution_forgets_the_oldest_samples() {
    let mut d = RollingDistribution::new(3, 1.0, 100.0);
    for x in [10.0, 20.0, 30.0, 40.0] {
        d.record(x);
    }
    assert_eq!(d.len(), 3);
    assert_eq!(d.mean(), Some(30.0));
    assert_eq!(d.cdf(15.0), 0.0, "10 was forgotten");
    assert!((d.cdf(25.0) - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(d.cdf(1_000.0), 1.0);
}

#[test]
fn ends_within_is_conditional_on_what_already_ran() {
    let mut d = RollingDistribution::new(10, 1.0, 100.0);
    for x in [10.0, 20.0, 30.0, 40.0] {
        d.record(x);
    }
    // Already past 15 s: three cases remain, one of them ends by 25 s.
    assert!((d.ends_within(15.0, 10.0) - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(
        d.ends_within(50.0, 10.0),
        0.0,
        "no evidence beyond the history"
    );
}

#[test]
fn the_observer_tracks_rates_over_its_window() {
    let mut o = CampaignObserver::new(4);
    o.record_dial(DialResult::Live { ring_secs: 5.0 });
    o.record_dial(DialResult::Machine { ring_secs: 8.0 });
    o.record_dial(DialResult::NoAnswer { ring_secs: 25.0 });
    o.record_dial(DialResult::NoAnswer { ring_secs: 25.0 });
    assert_eq!(o.live_answer_rate(), Some(0.25));
    assert_eq!(o.machine_rate(), Some(0.25));
    o.record_dial(DialResult::Failed { ring_secs: 1.0 });
    assert_eq!(
        o.live_answer_rate(),
        Some(0.0),
        "the live answer left the window"
    );
    assert_eq!(o.dials_observed(), 4);
}
