//! What a campaign observes about its own calls, over a rolling window: the live-answer and
//! machine rates, ring times, talk and wrap-up durations. The pacer reads only these, never
//! the hidden truth of a call that has not ended.

use std::collections::VecDeque;

/// A rolling empirical distribution of durations in seconds, binned by `bin_secs`, with
/// O(log bins) cumulative queries (a Fenwick tree) and O(1) memory per sample.
#[derive(Debug, Clone)]
pub struct RollingDistribution {
    bin_secs: f64,
    tree: Vec<u32>,
    samples: VecDeque<(usize, f64)>,
    capacity: usize,
    sum: f64,
}

impl RollingDistribution {
    /// Keeps the last `capacity` samples; values past `max_secs` share the last bin.
    pub fn new(capacity: usize, bin_secs: f64, max_secs: f64) -> Self {
        let bins = (max_secs / bin_secs).ceil().max(1.0) as usize + 1;
        Self {
            bin_secs,
            tree: vec![0; bins + 1],
            samples: VecDeque::with_capacity(capacity),
            capacity: capacity.max(1),
            sum: 0.0,
        }
    }

    fn bin(&self, secs: f64) -> usize {
        let last = self.tree.len() - 2;
        ((secs.max(0.0) / self.bin_secs) as usize).min(last)
    }

    fn add(&mut self, bin: usize, delta: i64) {
        let mut i = bin + 1;
        while i < self.tree.len() {
            self.tree[i] = (i64::from(self.tree[i]) + delta).max(0) as u32;
            i += i & i.wrapping_neg();
        }
    }

    /// Records one observed duration, forgetting the oldest past capacity.
    pub fn record(&mut self, secs: f64) {
        if !secs.is_finite() {
            return;
        }
        if self.samples.len() == self.capacity
            && let Some((old_bin, old)) = self.samples.pop_front()
        {
            self.add(old_bin, -1);
            self.sum -= old;
        }
        let bin = self.bin(secs);
        self.add(bin, 1);
        self.samples.push_back((bin, secs));
        self.sum += secs;
    }

    /// Number of samples held.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// True before the first sample.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// Mean of the samples held, if any.
    pub fn mean(&self) -> Option<f64> {
        (!self.is_empty()).then(|| self.sum / self.samples.len() as f64)
    }

    /// Empirical P(X ≤ secs) at bin resolution; 0.0 when empty.
    pub fn cdf(&self, secs: f64) -> f64 {
        if self.is_empty() || secs < 0.0 {
            return 0.0;
        }
        let mut i = self.bin(secs) + 1;
        let mut count = 0u64;
        while i > 0 {
            count += u64::from(self.tree[i]);
            i -= i & i.wrapping_neg();
        }
        count as f64 / self.samples.len() as f64
    }

    /// P(X ≤ elapsed + within | X > elapsed): the chance that something already running
    /// for `elapsed` seconds ends within the next `within` seconds. 0.0 when the history
    /// has no case that ran this long (no evidence it will end soon).
    pub fn ends_within(&self, elapsed: f64, within: f64) -> f64 {
        if within < 0.0 {
            return 0.0;
        }
        let survived = 1.0 - self.cdf(elapsed);
        if survived <= 0.0 {
            return 0.0;
        }
        ((self.cdf(elapsed + within) - self.cdf(elapsed)) / survived).clamp(0.0, 1.0)
    }
}

/// How a placed call ended its ringing phase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DialResult {
    /// A person answered after `ring_secs`.
    Live {
        /// Seconds from dial to answer.
        ring_secs: f64,
    },
    /// An answering machine answered (detected; not an abandon when released).
    Machine {
        /// Seconds from dial to answer.
        ring_secs: f64,
    },
    /// Released unanswered at the ring maximum.
    NoAnswer {
        /// Seconds rung.
        ring_secs: f64,
    },
    /// Busy or failed: ended without ringing out.
    Failed {
        /// Seconds until the network said so.
        ring_secs: f64,
    },
}

/// Rolling observations of one campaign.
#[derive(Debug, Clone)]
pub struct CampaignObserver {
    outcomes: VecDeque<DialResult>,
    outcome_capacity: usize,
    live: usize,
    machine: usize,
    live_ring: RollingDistribution,
    other_ring: RollingDistribution,
    talk: RollingDistribution,
    wrap: RollingDistribution,
}

impl Default for CampaignObserver {
    fn default() -> Self {
        Self::new(1_000)
    }
}

impl CampaignObserver {
    /// Remembers the last `window` dial outcomes and durations.
    pub fn new(window: usize) -> Self {
        let window = window.max(1);
        Self {
            outcomes: VecDeque::with_capacity(window),
            outcome_capacity: window,
            live: 0,
            machine: 0,
            live_ring: RollingDistribution::new(window, 0.5, 120.0),
            other_ring: RollingDistribution::new(window, 0.5, 120.0),
            talk: RollingDistribution::new(window, 1.0, 3_600.0),
            wrap: RollingDistribution::new(window, 1.0, 1_800.0),
        }
    }

    fn count(&mut self, result: DialResult, delta: isize) {
        let slot = match result {
            DialResult::Live { .. } => &mut self.live,
            DialResult::Machine { .. } => &mut self.machine,
            _ => return,
        };
        *slot = slot.saturating_add_signed(delta);
    }

    /// Records how a dial ended ringing.
    pub fn record_dial(&mut self, result: DialResult) {
        if self.outcomes.len() == self.outcome_capacity
            && let Some(old) = self.outcomes.pop_front()
        {
            self.count(old, -1);
        }
        self.count(result, 1);
        self.outcomes.push_back(result);
        match result {
            DialResult::Live { ring_secs } => self.live_ring.record(ring_secs),
            DialResult::Machine { ring_secs }
            | DialResult::NoAnswer { ring_secs }
            | DialResult::Failed { ring_secs } => self.other_ring.record(ring_secs),
        }
    }

    /// Records a finished conversation's talk time.
    pub fn record_talk(&mut self, secs: f64) {
        self.talk.record(secs);
    }

    /// Records a finished wrap-up.
    pub fn record_wrap(&mut self, secs: f64) {
        self.wrap.record(secs);
    }

    /// Dial outcomes held.
    pub fn dials_observed(&self) -> usize {
        self.outcomes.len()
    }

    /// Live answers among the outcomes held.
    pub fn live_answers_observed(&self) -> usize {
        self.live
    }

    /// Share of dials answered by a person, if any dial has ended.
    pub fn live_answer_rate(&self) -> Option<f64> {
        (!self.outcomes.is_empty()).then(|| self.live as f64 / self.outcomes.len() as f64)
    }

    /// Share of dials answered by a machine, if any dial has ended.
    pub fn machine_rate(&self) -> Option<f64> {
        (!self.outcomes.is_empty()).then(|| self.machine as f64 / self.outcomes.len() as f64)
    }

    /// Ring times of live answers.
    pub fn live_ring(&self) -> &RollingDistribution {
        &self.live_ring
    }

    /// Ring times of every other outcome.
    pub fn other_ring(&self) -> &RollingDistribution {
        &self.other_ring
    }

    /// Talk times of finished conversations.
    pub fn talk(&self) -> &RollingDistribution {
        &self.talk
    }

    /// Wrap-up times.
    pub fn wrap(&self) -> &RollingDistribution {
        &self.wrap
    }
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
