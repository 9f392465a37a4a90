//! KPI definitions, in one place. Every formula here is stated in `docs/kpis.md`, which
//! analytics and the supervisor cockpit link to; ids are [`cc_types::kpi::KpiId`]. Each
//! function returns `None` when its denominator is zero (no data is not 0% or 100%).
//! The outbound abandon rate of the regulators is [`crate::dialer::AbandonLedger::rate`].

mod adherence;

pub use adherence::{Segment, schedule_adherence};

/// One inbound call offered to a queue, as far as KPIs are concerned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OfferedCall {
    /// An agent answered after `wait_secs` in queue.
    Answered {
        /// Seconds in queue before an agent answered.
        wait_secs: f64,
        /// Talk time.
        talk_secs: f64,
        /// Time on hold during the call.
        hold_secs: f64,
        /// After-call work.
        wrap_secs: f64,
    },
    /// The caller hung up after `wait_secs` in queue.
    Abandoned {
        /// Seconds in queue before hanging up.
        wait_secs: f64,
    },
}

/// Settings shared by the KPIs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KpiSettings {
    /// Target answer time of the service level, in seconds (the 20 of "80/20").
    pub service_level_secs: f64,
    /// Abandons before this many seconds are short abandons, left out of service level
    /// and abandon rate (wrong numbers, callers who hang up on the greeting). 0 keeps all.
    pub short_abandon_secs: f64,
}

impl Default for KpiSettings {
    fn default() -> Self {
        Self {
            service_level_secs: 20.0,
            short_abandon_secs: 5.0,
        }
    }
}

fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| numerator / denominator)
}

struct Counts {
    answered: f64,
    answered_in_time: f64,
    abandoned: f64,
}

fn counts(calls: &[OfferedCall], settings: &KpiSettings) -> Counts {
    let mut c = Counts {
        answered: 0.0,
        answered_in_time: 0.0,
        abandoned: 0.0,
    };
    for call in calls {
        match *call {
            OfferedCall::Answered { wait_secs, .. } => {
                c.answered += 1.0;
                if wait_secs <= settings.service_level_secs {
                    c.answered_in_time += 1.0;
                }
            }
            OfferedCall::Abandoned { wait_secs } if wait_secs >= settings.short_abandon_secs => {
                c.abandoned += 1.0;
            }
            OfferedCall::Abandoned { .. } => {}
        }
    }
    c
}

/// Service level: calls answered within the target over answered plus abandoned calls,
/// short abandons left out.
pub fn service_level(calls: &[OfferedCall], settings: &KpiSettings) -> Option<f64> {
    let c = counts(calls, settings);
    ratio(c.answered_in_time, c.answered + c.abandoned)
}

/// Abandon rate: abandoned over offered calls, short abandons left out of both.
pub fn abandon_rate(calls: &[OfferedCall], settings: &KpiSettings) -> Option<f64> {
    let c = counts(calls, settings);
    ratio(c.abandoned, c.answered + c.abandoned)
}

/// Average speed of answer: mean queue wait of answered calls.
pub fn average_speed_of_answer(calls: &[OfferedCall]) -> Option<f64> {
    let (sum, n) = calls.iter().fold((0.0, 0.0), |(sum, n), call| match call {
        OfferedCall::Answered { wait_secs, .. } => (sum + wait_secs, n + 1.0),
        OfferedCall::Abandoned { .. } => (sum, n),
    });
    ratio(sum, n)
}

/// Average handle time: mean of talk + hold + wrap-up over answered calls.
pub fn average_handle_time(calls: &[OfferedCall]) -> Option<f64> {
    let (sum, n) = calls.iter().fold((0.0, 0.0), |(sum, n), call| match call {
        OfferedCall::Answered {
            talk_secs,
            hold_secs,
            wrap_secs,
            ..
        } => (sum + talk_secs + hold_secs + wrap_secs, n + 1.0),
        OfferedCall::Abandoned { .. } => (sum, n),
    });
    ratio(sum, n)
}

/// How an agent's logged-in time was spent over a period, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AgentTime {
    /// Talking, on hold and in wrap-up.
    pub handling_secs: f64,
    /// Ready and waiting for a call.
    pub available_secs: f64,
    /// Logged in but not ready (breaks, training, other work).
    pub not_ready_secs: f64,
}

/// Occupancy: handling time over handling plus available time.
pub fn occupancy(time: &AgentTime) -> Option<f64> {
    ratio(time.handling_secs, time.handling_secs + time.available_secs)
}

/// Utilization: handling time over all logged-in time.
pub fn utilization(time: &AgentTime) -> Option<f64> {
    let logged_in = time.handling_secs + time.available_secs + time.not_ready_secs;
    ratio(time.handling_secs, logged_in)
}

#[cfg(test)]
#[path = "kpi_tests.rs"]
mod tests;
