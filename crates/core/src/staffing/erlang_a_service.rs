//! Erlang A service level: the probability that a caller reaches an agent within the target
//! time. A caller who hangs up first counts as missed, whenever they hang up.
//!
//! An arriving caller sees the stationary state (arrivals see time averages). With `k`
//! callers ahead, the caller moves up one place each time an agent frees (rate `n·μ`) or
//! someone ahead gives up (rate `k·θ`), and gives up themself at rate `θ`. That small chain
//! is solved for the time `T` by uniformization: a Poisson number of steps of a discrete
//! chain, every probability summed as a plain number or a logarithm, never a factorial.

use super::erlang_a::{ln_add, ln_inverse_erlang_b};

/// Probabilities `π_{n+k}` of the states with `k ≥ 0` callers waiting, for `k` up to
/// `limit` and cut where the rest no longer matters.
fn queue_probabilities(agents: u32, traffic: f64, gamma: f64, limit: usize) -> Vec<f64> {
    let n = f64::from(agents);
    let ln_below = ln_inverse_erlang_b(agents, traffic); // states 0..=n, over π_n
    let (mut ln_w, mut ln_waiting) = (0.0_f64, f64::NEG_INFINITY); // Σ_{k≥1} w_k
    let mut ln_weights = vec![0.0]; // k = 0: π_n itself
    for k in 1..=50_000_000_u64 {
        let kf = k as f64;
        ln_w += (traffic / (n + kf * gamma)).ln();
        ln_waiting = ln_add(ln_waiting, ln_w);
        if ln_weights.len() <= limit {
            ln_weights.push(ln_w);
        }
        let falling = traffic < n + kf * gamma;
        if falling && ln_w < ln_add(ln_below, ln_waiting) - 40.0 {
            break;
        }
    }
    let ln_total = ln_add(ln_below, ln_waiting);
    ln_weights.iter().map(|ln| (ln - ln_total).exp()).collect()
}

/// Callers further back than this cannot reach an agent within `target` except with a
/// negligible probability: each place gained takes an agent freeing or someone ahead giving
/// up, and there are not that many of those in the time.
fn reachable_depth(agents: u32, aht: f64, patience: f64, target: f64) -> usize {
    let moves = f64::from(agents) / aht * target;
    let slack = 1.0 - target / patience;
    let depth = moves + 12.0 * moves.sqrt() + 40.0;
    if slack < 0.5 {
        return usize::MAX; // giving up is fast against the target: keep every state
    }
    (depth / slack).ceil() as usize
}

/// Poisson weights of `rate_time`, from the first that matters to the last, as
/// `(first step, weights)`.
fn poisson_weights(rate_time: f64) -> (usize, Vec<f64>) {
    let spread = rate_time.sqrt();
    let first = (rate_time - 12.0 * spread - 20.0).max(0.0).floor() as usize;
    let last = (rate_time + 12.0 * spread + 20.0).ceil() as usize;
    let ln_rate = rate_time.ln();
    let mut ln_p = -rate_time; // ln P(0)
    let mut weights = Vec::with_capacity(last - first + 1);
    for m in 1..=last {
        if m > first {
            weights.push(ln_p.exp());
        }
        ln_p += ln_rate - (m as f64).ln();
    }
    weights.push(ln_p.exp());
    (first, weights)
}

/// Probability that a caller with the given distribution of callers ahead reaches an agent
/// within `target_secs`.
fn reached_within(ahead: &[f64], agents: u32, aht: f64, patience: f64, target: f64) -> f64 {
    let (mu_n, theta) = (f64::from(agents) / aht, 1.0 / patience);
    let top = ahead.len() as f64;
    let uniform_rate = mu_n + top * theta;
    let (first, weights) = poisson_weights(uniform_rate * target);
    let mut queue = ahead.to_vec();
    let mut served = 0.0;
    let mut reached = 0.0;
    for step in 0..first + weights.len() {
        if step >= first {
            reached += weights[step - first] * served;
        }
        served += queue[0] * mu_n / uniform_rate;
        for k in 0..queue.len() {
            let moves = if k == 0 { 0.0 } else { mu_n + k as f64 * theta };
            let leaves = if k == 0 { mu_n + theta } else { moves + theta };
            let stay = queue[k] * (1.0 - leaves / uniform_rate);
            let moved = queue[k] * moves / uniform_rate;
            queue[k] = stay;
            if k > 0 {
                queue[k - 1] += moved;
            }
        }
    }
    reached
}

/// Fraction of callers who reach an agent within `target_secs` (Erlang A, M/M/n+M):
/// those who find a free agent, plus those who wait less than the target without hanging
/// up. With unlimited patience this is Erlang C's service level; with no patience, `1 - B`.
///
/// ```
/// use cc_core::staffing::{erlang_a_service_level, erlang_c_service_level};
/// let a = erlang_a_service_level(12, 10.0, 180.0, 1e12, 20.0);
/// assert!((a - erlang_c_service_level(12, 10.0, 180.0, 20.0)).abs() < 1e-6);
/// ```
pub fn erlang_a_service_level(
    agents: u32,
    traffic_erlangs: f64,
    aht_secs: f64,
    patience_secs: f64,
    target_secs: f64,
) -> f64 {
    if traffic_erlangs <= 0.0 || !traffic_erlangs.is_finite() {
        return 1.0;
    }
    if agents == 0 || aht_secs <= 0.0 || !aht_secs.is_finite() {
        return 0.0;
    }
    let no_wait =
        1.0 - super::erlang_a_wait_probability(agents, traffic_erlangs, aht_secs, patience_secs);
    if !patience_secs.is_finite() || patience_secs >= 1e9 * aht_secs {
        return super::erlang_c_service_level(agents, traffic_erlangs, aht_secs, target_secs);
    }
    if patience_secs <= 0.0 || target_secs <= 0.0 {
        return no_wait.clamp(0.0, 1.0);
    }
    let depth = reachable_depth(agents, aht_secs, patience_secs, target_secs);
    let gamma = aht_secs / patience_secs;
    let ahead = queue_probabilities(agents, traffic_erlangs, gamma, depth);
    let waited = reached_within(&ahead, agents, aht_secs, patience_secs, target_secs);
    (no_wait + waited).clamp(0.0, 1.0)
}

/// Smallest number of agents whose Erlang A service level reaches `service_level` within
/// `target_secs`, or `None` when no number of agents up to `max_agents` does.
///
/// No more than `n / A` of the callers can be served by `n` agents, so the search starts at
/// `service_level · A`; the service level rises with every agent added, so a doubling
/// search followed by a bisection finds the answer in a logarithmic number of evaluations.
pub fn erlang_a_agents_for_service_level(
    traffic_erlangs: f64,
    aht_secs: f64,
    patience_secs: f64,
    target_secs: f64,
    service_level: f64,
    max_agents: u32,
) -> Option<u32> {
    let goal = service_level.min(1.0);
    let meets = |n: u32| {
        erlang_a_service_level(n, traffic_erlangs, aht_secs, patience_secs, target_secs) >= goal
    };
    if meets(0) {
        return Some(0);
    }
    let bound = (goal * traffic_erlangs)
        .ceil()
        .clamp(1.0, f64::from(max_agents)) as u32;
    let mut low = bound - 1; // serves less than the goal: cannot meet it
    let mut step = 1_u32;
    let mut high = bound;
    while !meets(high) {
        if high >= max_agents {
            return None;
        }
        low = high;
        step = step.saturating_mul(2);
        high = high.saturating_add(step).min(max_agents);
    }
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if meets(mid) { high = mid } else { low = mid }
    }
    Some(high)
}

#[cfg(test)]
#[path = "erlang_a_service_tests.rs"]
mod tests;
