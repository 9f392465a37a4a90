//! Prometheus metrics of the provider clients, recorded through the `metrics` facade, so the
//! host process's exporter (cc-api's `/metrics`) publishes them:
//!
//! - `cc_media_provider_requests_total{provider, operation, outcome}` and
//!   `cc_media_provider_request_seconds{provider, operation}`: every REST attempt to a
//!   telephony provider, with `outcome` one of `ok`, `client_error` (4xx), `throttled` (429),
//!   `server_error` (5xx), `transport`, `decode`;
//! - `cc_media_provider_retries_total{provider, operation}`: repeated idempotent attempts;
//! - `cc_media_failovers_total{from, to}`: a speech-to-speech session moved to the next
//!   provider mid-call;
//! - `cc_media_provider_reconnects_total{provider}`: a dropped transcription stream reopened;
//! - the circuit breaker's own state gauge and transitions (see
//!   [`breaker`](crate::resilience::breaker)).

use std::future::Future;
use std::time::{Duration, Instant};

/// REST attempts by outcome.
pub const REQUESTS_METRIC: &str = "cc_media_provider_requests_total";
/// REST attempt duration (seconds).
pub const REQUEST_SECONDS_METRIC: &str = "cc_media_provider_request_seconds";
/// Retries of idempotent requests.
pub const RETRIES_METRIC: &str = "cc_media_provider_retries_total";
/// Mid-call provider failovers.
pub const FAILOVERS_METRIC: &str = "cc_media_failovers_total";
/// Reopened transcription streams.
pub const RECONNECTS_METRIC: &str = "cc_media_provider_reconnects_total";

/// The `outcome` label of an HTTP status (a response that arrived).
pub fn status_outcome(status: u16) -> &'static str {
    match status {
        200..=399 => "ok",
        429 => "throttled",
        500.. => "server_error",
        _ => "client_error",
    }
}

/// Runs one REST attempt and records it; `outcome` names an error's `outcome` label.
pub async fn timed<T, E>(
    provider: &'static str,
    operation: &'static str,
    attempt: impl Future<Output = Result<T, E>>,
    outcome: impl Fn(&E) -> &'static str,
) -> Result<T, E> {
    let started = Instant::now();
    let result = attempt.await;
    let label = match &result {
        Ok(_) => "ok",
        Err(e) => outcome(e),
    };
    request(provider, operation, label, started.elapsed());
    result
}

/// Records one REST attempt.
pub fn request(
    provider: &'static str,
    operation: &'static str,
    outcome: &'static str,
    took: Duration,
) {
    metrics::counter!(REQUESTS_METRIC, "provider" => provider, "operation" => operation, "outcome" => outcome)
        .increment(1);
    metrics::histogram!(REQUEST_SECONDS_METRIC, "provider" => provider, "operation" => operation)
        .record(took.as_secs_f64());
    tracing::debug!(
        provider,
        operation,
        outcome,
        took_ms = took.as_millis() as u64,
        "provider request"
    );
}

/// Records that attempt `attempt` (1-based) of an idempotent request starts; the second and
/// later attempts are retries.
pub fn attempt(provider: &'static str, operation: &'static str, attempt: u32) {
    if attempt > 1 {
        metrics::counter!(RETRIES_METRIC, "provider" => provider, "operation" => operation)
            .increment(1);
    }
}

/// Records a reopened stream.
pub fn reconnect(provider: &str) {
    metrics::counter!(RECONNECTS_METRIC, "provider" => provider.to_owned()).increment(1);
}

/// Records a mid-call failover.
pub fn failover(from: &str, to: &str) {
    metrics::counter!(FAILOVERS_METRIC, "from" => from.to_owned(), "to" => to.to_owned())
        .increment(1);
}

#[cfg(test)]
pub mod capture {
    //! A recorder for tests: counts every counter by its name and sorted labels.
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeMap;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};

    use metrics::{
        Counter, CounterFn, Gauge, Histogram, Key, KeyName, Metadata, Recorder, SharedString, Unit,
    };

    /// Counters seen, keyed `name{k=v,...}` with labels in key order.
    #[derive(Default, Clone)]
    pub struct Counters(Arc<Mutex<BTreeMap<String, Arc<Cell>>>>);

    #[derive(Default)]
    pub struct Cell(AtomicU64);

    impl CounterFn for Cell {
        fn increment(&self, value: u64) {
            self.0.fetch_add(value, Ordering::Relaxed);
        }
        fn absolute(&self, value: u64) {
            self.0.store(value, Ordering::Relaxed);
        }
    }

    impl Counters {
        /// The value of counter `name` with exactly these labels (0 when never touched).
        pub fn get(&self, name: &str, labels: &[(&str, &str)]) -> u64 {
            let mut labels: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            labels.sort();
            let key = format!("{name}{{{}}}", labels.join(","));
            self.0
                .lock()
                .unwrap()
                .get(&key)
                .map_or(0, |c| c.0.load(Ordering::Relaxed))
        }
    }

    impl Recorder for Counters {
        fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
        fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
        fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
        fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
            let mut labels: Vec<String> = key
                .labels()
                .map(|l| format!("{}={}", l.key(), l.value()))
                .collect();
            labels.sort();
            let name = format!("{}{{{}}}", key.name(), labels.join(","));
            let cell = self.0.lock().unwrap().entry(name).or_default().clone();
            Counter::from_arc(cell)
        }
        fn register_gauge(&self, _: &Key, _: &Metadata<'_>) -> Gauge {
            Gauge::noop()
        }
        fn register_histogram(&self, _: &Key, _: &Metadata<'_>) -> Histogram {
            Histogram::noop()
        }
    }
}
