//! Retries with exponential backoff and jitter, for provider requests that are safe to repeat.
//!
//! Only idempotent requests may be retried: reads, hang-ups, and Telnyx commands carrying a
//! `command_id`. Creating a call is not idempotent and must not go through here. The delay
//! before retry *n* is drawn uniformly from `[ceiling/2, ceiling]` ("equal jitter"), where the
//! ceiling grows by `multiplier` per attempt up to `max_delay`; the jitter spreads out the
//! retries of many calls that failed together. A classifier decides per error whether to
//! retry, retry after a server-given delay (HTTP 429 `Retry-After`), or give up. Sleeping is a
//! function the caller passes in (`tokio::time::sleep` in production).

use std::future::Future;
use std::time::Duration;

use rand::Rng;

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Transient: retry after the policy's backoff.
    Retry,
    /// The server said when to come back (capped at the policy's `max_delay`).
    RetryAfter(Duration),
    /// Permanent: return the error now.
    Fail,
}

/// Backoff tuning.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Total attempts including the first (at least 1).
    pub max_attempts: u32,
    /// Ceiling of the first backoff.
    pub initial_delay: Duration,
    /// Largest backoff.
    pub max_delay: Duration,
    /// Growth of the ceiling per attempt.
    pub multiplier: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            multiplier: 2.0,
        }
    }
}

impl RetryPolicy {
    /// Upper bound of the delay after failed attempt `attempt` (1-based).
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(63) as i32;
        let secs = self.initial_delay.as_secs_f64() * self.multiplier.max(1.0).powi(exponent);
        Duration::try_from_secs_f64(secs)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// A jittered delay after failed attempt `attempt`, in `[ceiling/2, ceiling]`.
    pub fn delay(&self, attempt: u32, rng: &mut impl Rng) -> Duration {
        let ceiling = self.ceiling(attempt);
        let half = ceiling / 2;
        let spread = (ceiling - half).as_nanos() as u64;
        half + Duration::from_nanos(if spread == 0 {
            0
        } else {
            rng.gen_range(0..=spread)
        })
    }
}

/// Runs `op` until it succeeds, the classifier says [`Verdict::Fail`], or attempts run out;
/// returns the last error in the latter two cases.
///
/// `op` receives the 1-based attempt number. Use only for idempotent requests.
pub async fn retry_idempotent<T, E, Op, Fut, Sleep, SleepFut>(
    policy: &RetryPolicy,
    rng: &mut impl Rng,
    mut sleep: Sleep,
    classify: impl Fn(&E) -> Verdict,
    mut op: Op,
) -> Result<T, E>
where
    Op: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, E>>,
    Sleep: FnMut(Duration) -> SleepFut,
    SleepFut: Future<Output = ()>,
{
    let max_attempts = policy.max_attempts.max(1);
    let mut attempt = 1;
    loop {
        let error = match op(attempt).await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let wait = match classify(&error) {
            Verdict::Fail => return Err(error),
            _ if attempt >= max_attempts => return Err(error),
            Verdict::Retry => policy.delay(attempt, rng),
            Verdict::RetryAfter(after) => after.min(policy.max_delay),
        };
        tracing::debug!(attempt, ?wait, "retrying idempotent provider request");
        sleep(wait).await;
        attempt += 1;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::cell::RefCell;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    /// Drives a future whose awaits are all immediately ready (no real IO or timers here).
    fn run<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
                return out;
            }
        }
    }

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(500),
            multiplier: 2.0,
        }
    }

    #[test]
    fn ceilings_grow_exponentially_up_to_the_cap() {
        let p = policy();
        let ceilings: Vec<u128> = (1..=5).map(|a| p.ceiling(a).as_millis()).collect();
        assert_eq!(ceilings, vec![100, 200, 400, 500, 500]);
        assert_eq!(
            RetryPolicy {
                multiplier: 1e300,
                ..policy()
            }
            .ceiling(40),
            Duration::from_millis(500)
        );
    }

    #[test]
    fn jittered_delays_stay_in_the_upper_half_and_vary() {
        let p = policy();
        let mut rng = StdRng::seed_from_u64(7);
        let delays: Vec<Duration> = (0..200).map(|_| p.delay(3, &mut rng)).collect();
        assert!(
            delays
                .iter()
                .all(|d| *d >= Duration::from_millis(200) && *d <= Duration::from_millis(400))
        );
        let distinct: std::collections::HashSet<_> = delays.iter().collect();
        assert!(
            distinct.len() > 150,
            "jitter should spread retries, got {} distinct",
            distinct.len()
        );
    }

    #[test]
    fn transient_failures_are_retried_until_success() {
        let slept = RefCell::new(Vec::new());
        let mut rng = StdRng::seed_from_u64(1);
        let result: Result<&str, &str> = run(retry_idempotent(
            &policy(),
            &mut rng,
            |d| {
                slept.borrow_mut().push(d);
                std::future::ready(())
            },
            |_| Verdict::Retry,
            |attempt| {
                std::future::ready(if attempt < 3 {
                    Err("503")
                } else {
                    Ok("answered")
                })
            },
        ));
        assert_eq!(result, Ok("answered"));
        let slept = slept.into_inner();
        assert_eq!(slept.len(), 2);
        assert!(slept[0] >= Duration::from_millis(50) && slept[0] <= Duration::from_millis(100));
        assert!(slept[1] >= Duration::from_millis(100) && slept[1] <= Duration::from_millis(200));
    }

    #[test]
    fn attempts_run_out_and_the_last_error_is_returned() {
        let attempts = RefCell::new(0);
        let mut rng = StdRng::seed_from_u64(1);
        let result: Result<(), u32> = run(retry_idempotent(
            &policy(),
            &mut rng,
            |_| std::future::ready(()),
            |_| Verdict::Retry,
            |attempt| {
                *attempts.borrow_mut() += 1;
                std::future::ready(Err(attempt))
            },
        ));
        assert_eq!(result, Err(5));
        assert_eq!(attempts.into_inner(), 5);
    }

    #[test]
    fn permanent_errors_stop_at_once_and_retry_after_is_honoured() {
        let mut rng = StdRng::seed_from_u64(1);
        let result: Result<(), &str> = run(retry_idempotent(
            &policy(),
            &mut rng,
            |_| std::future::ready(()),
            |_| Verdict::Fail,
            |_| std::future::ready(Err("401")),
        ));
        assert_eq!(result, Err("401"));

        let slept = RefCell::new(Vec::new());
        let result: Result<u8, &str> = run(retry_idempotent(
            &policy(),
            &mut rng,
            |d| {
                slept.borrow_mut().push(d);
                std::future::ready(())
            },
            |e| {
                if *e == "429" {
                    Verdict::RetryAfter(Duration::from_secs(30))
                } else {
                    Verdict::Retry
                }
            },
            |attempt| std::future::ready(if attempt == 1 { Err("429") } else { Ok(1) }),
        ));
        assert_eq!(result, Ok(1));
        // A server asking for 30 s is capped at the policy's maximum.
        assert_eq!(slept.into_inner(), vec![Duration::from_millis(500)]);
    }
}
