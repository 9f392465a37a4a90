//! Erlang A (M/M/n+M): callers abandon after an exponentially distributed patience.
//!
//! The stationary distribution is a birth-death chain. Relative to the state "all `n`
//! agents busy, nobody waiting", the states below sum to `1/B(n) - 1` (B = Erlang B) and the
//! states with `k` callers waiting have weight `∏_{i=1..k} A / (n + i·γ)`, with
//! `γ = AHT / patience`. Both parts are carried as logarithms, so neither large nor tiny
//! loads overflow.

/// Natural log of `1/B(n)` by the recurrence `1/B(n) = 1 + (n/A)·1/B(n-1)` in log form.
pub(super) fn ln_inverse_erlang_b(agents: u32, traffic: f64) -> f64 {
    let mut ln_r = 0.0_f64; // 1/B(0) = 1
    for n in 1..=agents {
        let x = (f64::from(n) / traffic).ln() + ln_r;
        ln_r = softplus(x);
    }
    ln_r
}

/// `ln(1 + e^x)` without overflow.
fn softplus(x: f64) -> f64 {
    if x > 35.0 { x } else { x.exp().ln_1p() }
}

/// Adds `e^term` to a sum held as its logarithm.
pub(super) fn ln_add(ln_sum: f64, term: f64) -> f64 {
    if ln_sum == f64::NEG_INFINITY {
        return term;
    }
    let (hi, lo) = if ln_sum > term {
        (ln_sum, term)
    } else {
        (term, ln_sum)
    };
    hi + (lo - hi).exp().ln_1p()
}

/// Log-sums of the waiting states: `(ln Σ w_k, ln Σ k·w_k)` over k ≥ 1.
fn ln_waiting_sums(agents: u32, traffic: f64, gamma: f64) -> (f64, f64) {
    let (mut ln_w, mut ln_sum, mut ln_ksum) = (0.0_f64, f64::NEG_INFINITY, f64::NEG_INFINITY);
    let n = f64::from(agents);
    // Terms rise while A > n + kγ and fall geometrically after; stop once they are
    // negligible against the sum. The bound only guards against absurd inputs.
    for k in 1..=50_000_000_u64 {
        let kf = k as f64;
        ln_w += (traffic / (n + kf * gamma)).ln();
        ln_sum = ln_add(ln_sum, ln_w);
        ln_ksum = ln_add(ln_ksum, ln_w + kf.ln());
        let falling = traffic < n + kf * gamma;
        if falling && ln_w + kf.ln() < ln_ksum - 40.0 {
            break;
        }
    }
    (ln_sum, ln_ksum)
}

/// `(P(wait), P(abandon))`, or `None` when patience is unlimited (Erlang C applies).
fn erlang_a(agents: u32, traffic: f64, aht: f64, patience: f64) -> Option<(f64, f64)> {
    if traffic <= 0.0 || !traffic.is_finite() {
        return Some((0.0, 0.0));
    }
    if !(patience.is_finite()) || aht <= 0.0 {
        return None;
    }
    let ln_below_plus_one = ln_inverse_erlang_b(agents, traffic); // Σ_{j≤n} π_j / π_n
    if patience <= 0.0 {
        // Nobody waits: whoever finds every agent busy hangs up at once (Erlang B).
        let b = (-ln_below_plus_one).exp();
        return Some((b, b));
    }
    let gamma = aht / patience;
    let (ln_u, ln_ku) = ln_waiting_sums(agents, traffic, gamma);
    let ln_total = ln_add(ln_below_plus_one, ln_u);
    let ln_busy = ln_add(0.0, ln_u); // π_n and the waiting states
    let wait = (ln_busy - ln_total).exp();
    let abandon = (gamma / traffic).ln() + ln_ku - ln_total;
    Some((wait.clamp(0.0, 1.0), abandon.exp().clamp(0.0, 1.0)))
}

/// Probability that a caller finds every agent busy and waits (Erlang A). With unlimited
/// patience this is Erlang C; with zero patience, Erlang B.
pub fn erlang_a_wait_probability(
    agents: u32,
    traffic_erlangs: f64,
    aht_secs: f64,
    patience_secs: f64,
) -> f64 {
    match erlang_a(agents, traffic_erlangs, aht_secs, patience_secs) {
        Some((wait, _)) => wait,
        None => super::erlang_c_wait_probability(agents, traffic_erlangs),
    }
}

/// Probability that a caller hangs up before reaching an agent (Erlang A).
pub fn erlang_a_abandon_probability(
    agents: u32,
    traffic_erlangs: f64,
    aht_secs: f64,
    patience_secs: f64,
) -> f64 {
    match erlang_a(agents, traffic_erlangs, aht_secs, patience_secs) {
        Some((_, abandon)) => abandon,
        None => 0.0,
    }
}

#[cfg(test)]
#[path = "erlang_a_tests.rs"]
mod tests;
