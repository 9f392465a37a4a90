//! Breaker transitions on injected time, and the exported metric.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use metrics::{
    Counter, CounterFn, Gauge, GaugeFn, Histogram, Key, KeyName, Metadata, Recorder, SharedString,
    Unit,
};

use super::*;

fn config() -> BreakerConfig {
    BreakerConfig {
        consecutive_failures: 3,
        failure_rate: 0.5,
        min_calls: 10,
        window: Duration::from_secs(10),
        open_for: Duration::from_secs(5),
        half_open_probes: 2,
    }
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[test]
fn consecutive_failures_trip_and_a_success_resets_the_streak() {
    let t0 = Instant::now();
    let mut b = CircuitBreaker::new("openai", config());
    b.record_failure(t0);
    b.record_failure(t0);
    b.record_success(t0);
    b.record_failure(t0);
    b.record_failure(t0);
    assert_eq!(b.state(t0), BreakerState::Closed);
    b.record_failure(t0);
    assert_eq!(b.state(t0), BreakerState::Open);
    let refused = b.try_acquire(t0 + secs(2)).unwrap_err();
    assert_eq!(refused.retry_after, secs(3));
}

#[test]
fn failure_rate_trips_only_with_enough_calls_in_the_window() {
    let t0 = Instant::now();
    let mut b = CircuitBreaker::new(
        "deepgram",
        BreakerConfig {
            consecutive_failures: 0,
            ..config()
        },
    );
    // Alternating outcomes starting with a success: 4 of 9 failed.
    for i in 0..9 {
        if i % 2 == 0 {
            b.record_success(t0)
        } else {
            b.record_failure(t0)
        }
    }
    assert_eq!(
        b.state(t0),
        BreakerState::Closed,
        "9 calls are below min_calls"
    );
    b.record_success(t0);
    assert_eq!(b.state(t0), BreakerState::Closed, "4/10 failed");
    b.record_failure(t0);
    assert_eq!(b.state(t0), BreakerState::Closed, "5/11 failed");
    b.record_failure(t0);
    assert_eq!(b.state(t0), BreakerState::Open, "6/12 failed");
}

#[test]
fn old_outcomes_leave_the_window() {
    let t0 = Instant::now();
    let mut b = CircuitBreaker::new(
        "gemini",
        BreakerConfig {
            consecutive_failures: 0,
            ..config()
        },
    );
    for _ in 0..9 {
        b.record_failure(t0);
    }
    // Eleven seconds later the nine failures no longer count.
    for _ in 0..10 {
        b.record_success(t0 + secs(11));
    }
    b.record_failure(t0 + secs(11));
    assert_eq!(b.state(t0 + secs(11)), BreakerState::Closed);
}

#[test]
fn half_open_probes_close_the_circuit_or_reopen_it() {
    let t0 = Instant::now();
    let mut b = CircuitBreaker::new("telnyx", config());
    for _ in 0..3 {
        b.record_failure(t0);
    }
    assert!(b.try_acquire(t0 + secs(4)).is_err());
    // Cool-down over: two probes allowed, a third refused.
    let t1 = t0 + secs(5);
    assert_eq!(b.state(t1), BreakerState::HalfOpen);
    b.try_acquire(t1).unwrap();
    b.try_acquire(t1).unwrap();
    assert_eq!(b.try_acquire(t1).unwrap_err().retry_after, Duration::ZERO);
    // One probe fails: open again, with a fresh cool-down.
    b.record_failure(t1);
    assert_eq!(b.state(t1 + secs(4)), BreakerState::Open);
    let t2 = t1 + secs(5);
    b.try_acquire(t2).unwrap();
    b.record_success(t2);
    assert_eq!(b.state(t2), BreakerState::HalfOpen);
    b.try_acquire(t2).unwrap();
    b.record_success(t2);
    assert_eq!(b.state(t2), BreakerState::Closed);
    b.try_acquire(t2).unwrap();
}

#[test]
fn late_results_while_open_are_ignored() {
    let t0 = Instant::now();
    let mut b = CircuitBreaker::new("twilio", config());
    for _ in 0..3 {
        b.record_failure(t0);
    }
    b.record_success(t0);
    b.record_success(t0);
    assert_eq!(b.state(t0), BreakerState::Open);
}

#[derive(Default)]
struct Capture {
    gauges: Mutex<HashMap<String, Arc<GaugeCell>>>,
}

#[derive(Default)]
struct GaugeCell(Mutex<f64>);

impl GaugeFn for GaugeCell {
    fn increment(&self, v: f64) {
        *self.0.lock().unwrap() += v;
    }
    fn decrement(&self, v: f64) {
        *self.0.lock().unwrap() -= v;
    }
    fn set(&self, v: f64) {
        *self.0.lock().unwrap() = v;
    }
}

struct NoCount;
impl CounterFn for NoCount {
    fn increment(&self, _: u64) {}
    fn absolute(&self, _: u64) {}
}

impl Capture {
    fn gauge(&self, provider: &str) -> Option<f64> {
        let key = format!("{STATE_METRIC}{{provider={provider}}}");
        self.gauges
            .lock()
            .unwrap()
            .get(&key)
            .map(|c| *c.0.lock().unwrap())
    }
}

impl Recorder for Capture {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn register_counter(&self, _: &Key, _: &Metadata<'_>) -> Counter {
        Counter::from_arc(Arc::new(NoCount))
    }
    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
        let labels: Vec<String> = key
            .labels()
            .map(|l| format!("{}={}", l.key(), l.value()))
            .collect();
        let name = format!("{}{{{}}}", key.name(), labels.join(","));
        let cell = self.gauges.lock().unwrap().entry(name).or_default().clone();
        Gauge::from_arc(cell)
    }
    fn register_histogram(&self, _: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::noop()
    }
}

#[test]
fn the_state_gauge_follows_every_transition() {
    let capture = Capture::default();
    metrics::with_local_recorder(&capture, || {
        let t0 = Instant::now();
        let mut b = CircuitBreaker::new("openai", config());
        assert_eq!(capture.gauge("openai"), Some(0.0));
        for _ in 0..3 {
            b.record_failure(t0);
        }
        assert_eq!(capture.gauge("openai"), Some(2.0));
        b.try_acquire(t0 + secs(5)).unwrap();
        assert_eq!(capture.gauge("openai"), Some(1.0));
        b.record_success(t0 + secs(5));
        b.try_acquire(t0 + secs(5)).unwrap();
        b.record_success(t0 + secs(5));
        assert_eq!(capture.gauge("openai"), Some(0.0));
    });
}
