//! The regulators' abandon rule: a call answered by a person that does not reach an agent
//! within 2 seconds of the greeting is abandoned (US Telemarketing Sales Rule, UK Ofcom).
//! The rate is abandoned over live-answered calls of one campaign over a period (30 days in
//! the US rule, 24 hours in Ofcom's). Machine answers are neither.

use std::collections::VecDeque;

use cc_types::dialer::AbandonPolicy;

/// True when a live answer greeted at `greeted_at` and connected at `connected_at` (None:
/// never) is an abandoned call under `policy`. Times are seconds on one clock.
pub fn is_abandoned(policy: &AbandonPolicy, greeted_at: f64, connected_at: Option<f64>) -> bool {
    match connected_at {
        Some(at) => at - greeted_at > policy.connect_within_secs,
        None => true,
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    start: f64,
    live: u64,
    abandoned: u64,
}

/// Live answers and abandons of one campaign over the policy's rolling period, in buckets
/// of 1/720 of the period (one hour for 30 days, two minutes for 24 hours).
#[derive(Debug, Clone)]
pub struct AbandonLedger {
    period_secs: f64,
    bucket_secs: f64,
    buckets: VecDeque<Bucket>,
    live: u64,
    abandoned: u64,
}

impl AbandonLedger {
    /// An empty ledger for `policy`'s period.
    pub fn new(policy: &AbandonPolicy) -> Self {
        let period_secs = (policy.period_secs as f64).max(1.0);
        Self {
            period_secs,
            bucket_secs: period_secs / 720.0,
            buckets: VecDeque::new(),
            live: 0,
            abandoned: 0,
        }
    }

    fn bucket_at(&mut self, now: f64) -> &mut Bucket {
        self.expire(now);
        let start = (now / self.bucket_secs).floor() * self.bucket_secs;
        let fresh = self.buckets.back().is_none_or(|b| b.start < start);
        if fresh {
            self.buckets.push_back(Bucket {
                start,
                live: 0,
                abandoned: 0,
            });
        }
        let last = self.buckets.len() - 1;
        &mut self.buckets[last]
    }

    /// Drops buckets that left the period ending at `now`.
    pub fn expire(&mut self, now: f64) {
        while let Some(first) = self.buckets.front().copied() {
            if first.start + self.bucket_secs > now - self.period_secs {
                break;
            }
            self.live -= first.live;
            self.abandoned -= first.abandoned;
            self.buckets.pop_front();
        }
    }

    /// Counts a call answered by a person at `now`.
    pub fn record_live_answer(&mut self, now: f64) {
        self.bucket_at(now).live += 1;
        self.live += 1;
    }

    /// Counts an abandon of a live answer (recorded before) at `now`.
    pub fn record_abandon(&mut self, now: f64) {
        self.bucket_at(now).abandoned += 1;
        self.abandoned += 1;
    }

    /// Live answers in the period.
    pub fn live_answers(&self) -> u64 {
        self.live
    }

    /// Abandoned calls in the period.
    pub fn abandoned(&self) -> u64 {
        self.abandoned
    }

    /// Abandoned over live answers; 0.0 before the first live answer.
    pub fn rate(&self) -> f64 {
        if self.live == 0 {
            0.0
        } else {
            self.abandoned as f64 / self.live as f64
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn two_seconds_after_the_greeting_is_the_line() {
        let policy = AbandonPolicy::default();
        assert!(!is_abandoned(&policy, 100.0, Some(102.0)));
        assert!(is_abandoned(&policy, 100.0, Some(102.1)));
        assert!(is_abandoned(&policy, 100.0, None));
    }

    #[test]
    fn the_rate_only_counts_the_period() {
        let policy = AbandonPolicy {
            period_secs: 24 * 3600,
            ..AbandonPolicy::default()
        };
        let mut ledger = AbandonLedger::new(&policy);
        for _ in 0..10 {
            ledger.record_live_answer(0.0);
        }
        ledger.record_abandon(0.0);
        assert!((ledger.rate() - 0.1).abs() < 1e-12);
        ledger.record_live_answer(20.0 * 3600.0);
        assert_eq!(ledger.live_answers(), 11);
        // A day and a bit later the first hour has left the period.
        ledger.expire(24.0 * 3600.0 + 300.0);
        assert_eq!((ledger.live_answers(), ledger.abandoned()), (1, 0));
        assert_eq!(ledger.rate(), 0.0);
    }
}
