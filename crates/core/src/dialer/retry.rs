//! Retry policy: after each attempt, when (if ever) to call the contact again, from the
//! campaign's rule for that outcome. The retry time is then moved into the contact's
//! calling window by [`crate::windows::next_open`] when the contact is selected.

use cc_types::dialer::{CallOutcome, RetryPolicy};
use chrono::{DateTime, TimeDelta, Utc};

/// Why a contact will not be called again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// No rule retries this outcome (for example a sale).
    FinalOutcome,
    /// The outcome happened as often as its rule allows.
    OutcomeLimitReached,
    /// The contact used all attempts the campaign allows.
    AttemptLimitReached,
}

/// What to do with a contact after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Call again no earlier than this.
    RetryAt(DateTime<Utc>),
    /// Do not call again.
    Close(Closed),
}

/// Decides the retry after an attempt that ended with `outcome` at `now`.
/// `attempts_made` counts every attempt so far including this one; `outcome_count` counts
/// the attempts that ended with this same outcome, this one included.
///
/// ```
/// # use cc_core::dialer::retry::{next_attempt, RetryDecision};
/// # use cc_types::dialer::{CallOutcome, RetryPolicy, RetryRule};
/// # use chrono::{TimeZone, Utc, TimeDelta};
/// let policy = RetryPolicy {
///     rules: vec![RetryRule { outcome: CallOutcome::Busy, delays_secs: vec![600], max_attempts: 3 }],
///     max_attempts_total: 6,
/// };
/// let now = Utc.with_ymd_and_hms(2026, 5, 4, 15, 0, 0).unwrap();
/// let next = next_attempt(&policy, &CallOutcome::Busy, 1, 1, now);
/// assert_eq!(next, RetryDecision::RetryAt(now + TimeDelta::minutes(10)));
/// ```
pub fn next_attempt(
    policy: &RetryPolicy,
    outcome: &CallOutcome,
    attempts_made: u32,
    outcome_count: u32,
    now: DateTime<Utc>,
) -> RetryDecision {
    let Some(rule) = policy.rules.iter().find(|r| &r.outcome == outcome) else {
        return RetryDecision::Close(Closed::FinalOutcome);
    };
    let Some(last_delay) = rule.delays_secs.last() else {
        return RetryDecision::Close(Closed::FinalOutcome);
    };
    if outcome_count >= rule.max_attempts {
        return RetryDecision::Close(Closed::OutcomeLimitReached);
    }
    if attempts_made >= policy.max_attempts_total {
        return RetryDecision::Close(Closed::AttemptLimitReached);
    }
    let index = outcome_count.saturating_sub(1) as usize;
    let delay = rule.delays_secs.get(index).unwrap_or(last_delay);
    RetryDecision::RetryAt(now + TimeDelta::seconds(i64::from(*delay)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use cc_types::dialer::RetryRule;
    use chrono::TimeZone;

    fn policy() -> RetryPolicy {
        let rule = |outcome, delays: &[u32], max_attempts| RetryRule {
            outcome,
            delays_secs: delays.to_vec(),
            max_attempts,
        };
        RetryPolicy {
            rules: vec![
                rule(CallOutcome::Busy, &[300], 5),
                rule(CallOutcome::NoAnswer, &[1_800, 7_200, 86_400], 4),
                rule(CallOutcome::Machine, &[14_400], 2),
                rule(CallOutcome::Failed, &[3_600], 2),
                rule(CallOutcome::Disposition("call_later".into()), &[86_400], 3),
                rule(CallOutcome::Disposition("sale".into()), &[], 1),
            ],
            max_attempts_total: 8,
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 4, 15, 0, 0).unwrap()
    }

    #[test]
    fn no_answer_backs_off_along_its_delays_then_closes() {
        let p = policy();
        let schedule: Vec<RetryDecision> = (1..=4)
            .map(|n| next_attempt(&p, &CallOutcome::NoAnswer, n, n, now()))
            .collect();
        assert_eq!(
            schedule,
            vec![
                RetryDecision::RetryAt(now() + TimeDelta::minutes(30)),
                RetryDecision::RetryAt(now() + TimeDelta::hours(2)),
                RetryDecision::RetryAt(now() + TimeDelta::days(1)),
                RetryDecision::Close(Closed::OutcomeLimitReached),
            ]
        );
    }

    #[test]
    fn the_last_delay_repeats() {
        let next = next_attempt(&policy(), &CallOutcome::Busy, 4, 4, now());
        assert_eq!(next, RetryDecision::RetryAt(now() + TimeDelta::minutes(5)));
    }

    #[test]
    fn dispositions_and_unknown_outcomes_follow_their_rules() {
        let p = policy();
        let later = CallOutcome::Disposition("call_later".into());
        assert_eq!(
            next_attempt(&p, &later, 1, 1, now()),
            RetryDecision::RetryAt(now() + TimeDelta::days(1))
        );
        let sale = CallOutcome::Disposition("sale".into());
        assert_eq!(
            next_attempt(&p, &sale, 1, 1, now()),
            RetryDecision::Close(Closed::FinalOutcome)
        );
        let other = CallOutcome::Disposition("wrong_number".into());
        assert_eq!(
            next_attempt(&p, &other, 1, 1, now()),
            RetryDecision::Close(Closed::FinalOutcome)
        );
    }

    #[test]
    fn the_campaign_limit_wins_over_outcome_rules() {
        let next = next_attempt(&policy(), &CallOutcome::Busy, 8, 2, now());
        assert_eq!(next, RetryDecision::Close(Closed::AttemptLimitReached));
        let machine = next_attempt(&policy(), &CallOutcome::Machine, 3, 2, now());
        assert_eq!(machine, RetryDecision::Close(Closed::OutcomeLimitReached));
    }
}
