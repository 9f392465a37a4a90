//! A circuit breaker per provider: stop sending calls to a provider that is failing, probe it
//! after a cool-down, and resume once probes succeed.
//!
//! The breaker trips (closed → open) on either trigger: `consecutive_failures` failures in a
//! row, or a failure rate of at least `failure_rate` over the calls of the last `window`, once
//! that window holds `min_calls` calls. After `open_for` it lets up to `half_open_probes` trial
//! calls through (half-open); that many successes close it, any failure opens it again. Results
//! that arrive while open (calls started before the trip) are ignored. Every transition sets
//! the gauge `cc_media_circuit_breaker_state{provider}` (0 closed, 1 half-open, 2 open) and
//! counts `cc_media_circuit_breaker_transitions_total{provider, to}`. The breaker is a plain
//! value; share it between tasks behind a mutex.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use thiserror::Error;

/// Gauge carrying the breaker state per provider.
pub const STATE_METRIC: &str = "cc_media_circuit_breaker_state";
/// Counter of transitions per provider and target state.
pub const TRANSITIONS_METRIC: &str = "cc_media_circuit_breaker_transitions_total";

/// Breaker tuning.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakerConfig {
    /// Trip after this many failures in a row (0 disables the trigger).
    pub consecutive_failures: u32,
    /// Trip when this fraction of recent calls failed (above 1.0 disables the trigger).
    pub failure_rate: f64,
    /// The rate trigger needs at least this many calls in the window.
    pub min_calls: u32,
    /// How far back the failure rate looks.
    pub window: Duration,
    /// How long to stay open before probing.
    pub open_for: Duration,
    /// Trial calls allowed while half-open, and successes needed to close.
    pub half_open_probes: u32,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        Self {
            consecutive_failures: 5,
            failure_rate: 0.5,
            min_calls: 20,
            window: Duration::from_secs(30),
            open_for: Duration::from_secs(15),
            half_open_probes: 2,
        }
    }
}

/// Where the breaker stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// Calls flow.
    Closed,
    /// A few trial calls flow.
    HalfOpen,
    /// Calls are refused.
    Open,
}

impl BreakerState {
    /// The gauge value exported for this state.
    pub fn metric_value(self) -> f64 {
        match self {
            Self::Closed => 0.0,
            Self::HalfOpen => 1.0,
            Self::Open => 2.0,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::HalfOpen => "half_open",
            Self::Open => "open",
        }
    }
}

/// The breaker refused a call.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("circuit for {provider} is open; retry in {retry_after:?}")]
pub struct BreakerOpen {
    /// The provider.
    pub provider: String,
    /// Time until the breaker will probe again (zero when waiting on probes in flight).
    pub retry_after: Duration,
}

/// A circuit breaker for one provider.
#[derive(Debug, Clone)]
pub struct CircuitBreaker {
    provider: String,
    config: BreakerConfig,
    state: BreakerState,
    opened_at: Option<Instant>,
    consecutive: u32,
    /// Outcomes in the window: (time, failed).
    recent: VecDeque<(Instant, bool)>,
    probes_in_flight: u32,
    probe_successes: u32,
}

impl CircuitBreaker {
    /// A closed breaker for `provider`; its gauge is set to closed at once.
    pub fn new(provider: impl Into<String>, config: BreakerConfig) -> Self {
        let breaker = Self {
            provider: provider.into(),
            config,
            state: BreakerState::Closed,
            opened_at: None,
            consecutive: 0,
            recent: VecDeque::new(),
            probes_in_flight: 0,
            probe_successes: 0,
        };
        breaker.export();
        breaker
    }

    /// Current state, moving open → half-open if the cool-down has passed by `now`.
    pub fn state(&mut self, now: Instant) -> BreakerState {
        if self.state == BreakerState::Open
            && self
                .opened_at
                .is_some_and(|t| now.saturating_duration_since(t) >= self.config.open_for)
        {
            self.transition(BreakerState::HalfOpen, now);
        }
        self.state
    }

    /// Asks to make a call at `now`; on `Ok` the caller must report the outcome.
    pub fn try_acquire(&mut self, now: Instant) -> Result<(), BreakerOpen> {
        match self.state(now) {
            BreakerState::Closed => Ok(()),
            BreakerState::HalfOpen
                if self.probes_in_flight < self.config.half_open_probes.max(1) =>
            {
                self.probes_in_flight += 1;
                Ok(())
            }
            BreakerState::HalfOpen => Err(self.refusal(Duration::ZERO)),
            BreakerState::Open => {
                let waited = self
                    .opened_at
                    .map(|t| now.saturating_duration_since(t))
                    .unwrap_or_default();
                Err(self.refusal(self.config.open_for.saturating_sub(waited)))
            }
        }
    }

    /// Reports a successful call.
    pub fn record_success(&mut self, now: Instant) {
        match self.state {
            BreakerState::Closed => {
                self.consecutive = 0;
                self.remember(now, false);
            }
            BreakerState::HalfOpen => {
                self.probes_in_flight = self.probes_in_flight.saturating_sub(1);
                self.probe_successes += 1;
                if self.probe_successes >= self.config.half_open_probes.max(1) {
                    self.transition(BreakerState::Closed, now);
                }
            }
            BreakerState::Open => {}
        }
    }

    /// Reports a failed call.
    pub fn record_failure(&mut self, now: Instant) {
        match self.state {
            BreakerState::Closed => {
                self.consecutive += 1;
                self.remember(now, true);
                if self.should_trip() {
                    self.transition(BreakerState::Open, now);
                }
            }
            BreakerState::HalfOpen => self.transition(BreakerState::Open, now),
            BreakerState::Open => {}
        }
    }

    fn should_trip(&self) -> bool {
        let by_streak = self.config.consecutive_failures > 0
            && self.consecutive >= self.config.consecutive_failures;
        let calls = self.recent.len();
        let failures = self.recent.iter().filter(|(_, failed)| *failed).count();
        let by_rate = calls > 0
            && calls as u64 >= u64::from(self.config.min_calls)
            && failures as f64 / calls as f64 >= self.config.failure_rate;
        by_streak || by_rate
    }

    fn remember(&mut self, now: Instant, failed: bool) {
        self.recent.push_back((now, failed));
        while let Some(&(t, _)) = self.recent.front() {
            if now.saturating_duration_since(t) <= self.config.window {
                break;
            }
            self.recent.pop_front();
        }
    }

    fn refusal(&self, retry_after: Duration) -> BreakerOpen {
        BreakerOpen {
            provider: self.provider.clone(),
            retry_after,
        }
    }

    fn transition(&mut self, to: BreakerState, now: Instant) {
        self.state = to;
        self.probes_in_flight = 0;
        self.probe_successes = 0;
        match to {
            BreakerState::Open => self.opened_at = Some(now),
            BreakerState::Closed => {
                self.opened_at = None;
                self.consecutive = 0;
                self.recent.clear();
            }
            BreakerState::HalfOpen => {}
        }
        tracing::info!(provider = %self.provider, state = to.label(), "circuit breaker transition");
        metrics::counter!(TRANSITIONS_METRIC, "provider" => self.provider.clone(), "to" => to.label()).increment(1);
        self.export();
    }

    fn export(&self) {
        metrics::gauge!(STATE_METRIC, "provider" => self.provider.clone())
            .set(self.state.metric_value());
    }
}

/// A breaker shared by every call using one provider.
pub type SharedBreaker = std::sync::Arc<std::sync::Mutex<CircuitBreaker>>;

/// Asks a shared breaker for a call now (`false` when open or poisoned).
pub fn acquire_shared(breaker: &SharedBreaker) -> bool {
    breaker
        .lock()
        .map(|mut b| b.try_acquire(Instant::now()).is_ok())
        .unwrap_or(false)
}

/// Records an outcome on a shared breaker now.
pub fn record_shared(breaker: &SharedBreaker, ok: bool) {
    if let Ok(mut b) = breaker.lock() {
        if ok {
            b.record_success(Instant::now());
        } else {
            b.record_failure(Instant::now());
        }
    }
}

#[cfg(test)]
#[path = "breaker_tests.rs"]
mod tests;
