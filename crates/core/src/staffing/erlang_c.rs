//! Erlang B and Erlang C (M/M/n) by the stable Erlang B recurrence
//! `B(0) = 1, B(n) = A·B(n-1) / (n + A·B(n-1))`, which stays in [0, 1] for any load.

/// Erlang B blocking probability of `agents` servers offered `traffic_erlangs`.
///
/// ```
/// // Two servers, one Erlang: B = (1/2) / (1 + 1 + 1/2) = 0.2
/// assert!((cc_core::staffing::erlang_b(2, 1.0) - 0.2).abs() < 1e-12);
/// ```
pub fn erlang_b(agents: u32, traffic_erlangs: f64) -> f64 {
    if traffic_erlangs <= 0.0 {
        return if agents == 0 { 1.0 } else { 0.0 };
    }
    let mut b = 1.0;
    for n in 1..=agents {
        let ab = traffic_erlangs * b;
        b = ab / (f64::from(n) + ab);
    }
    b
}

/// Erlang C from an Erlang B value; only meaningful when `agents > traffic`.
fn erlang_c_from_b(agents: u32, traffic_erlangs: f64, b: f64) -> f64 {
    let rho = traffic_erlangs / f64::from(agents);
    let c = b / (1.0 - rho * (1.0 - b));
    c.clamp(0.0, 1.0)
}

/// True when the queue never settles (or there is nothing to serve with).
fn unstable(agents: u32, traffic_erlangs: f64) -> bool {
    agents == 0 || f64::from(agents) <= traffic_erlangs
}

/// Probability that a caller waits at all (Erlang C). 1.0 when `agents <= traffic_erlangs`.
///
/// ```
/// // A = 2 Erlangs on 3 agents: C = 4/9
/// let c = cc_core::staffing::erlang_c_wait_probability(3, 2.0);
/// assert!((c - 4.0 / 9.0).abs() < 1e-12);
/// ```
pub fn erlang_c_wait_probability(agents: u32, traffic_erlangs: f64) -> f64 {
    if traffic_erlangs <= 0.0 {
        return 0.0;
    }
    if unstable(agents, traffic_erlangs) {
        return 1.0;
    }
    erlang_c_from_b(agents, traffic_erlangs, erlang_b(agents, traffic_erlangs))
}

/// Service level from an Erlang C value: `1 - C·exp(-(n - A)·T / AHT)`.
fn service_level_from_c(c: f64, agents: u32, traffic: f64, aht: f64, target: f64) -> f64 {
    let exponent = -(f64::from(agents) - traffic) * target.max(0.0) / aht;
    (1.0 - c * exponent.exp()).clamp(0.0, 1.0)
}

/// Fraction of calls answered within `target_secs`. 0.0 when `agents <= traffic_erlangs`.
pub fn erlang_c_service_level(
    agents: u32,
    traffic_erlangs: f64,
    aht_secs: f64,
    target_secs: f64,
) -> f64 {
    if traffic_erlangs <= 0.0 {
        return 1.0;
    }
    if unstable(agents, traffic_erlangs) || aht_secs <= 0.0 {
        return 0.0;
    }
    let c = erlang_c_wait_probability(agents, traffic_erlangs);
    service_level_from_c(c, agents, traffic_erlangs, aht_secs, target_secs)
}

/// Average speed of answer in seconds: `C·AHT / (n - A)`. Infinite when unstable.
pub fn erlang_c_asa_secs(agents: u32, traffic_erlangs: f64, aht_secs: f64) -> f64 {
    if traffic_erlangs <= 0.0 {
        return 0.0;
    }
    if unstable(agents, traffic_erlangs) {
        return f64::INFINITY;
    }
    let c = erlang_c_wait_probability(agents, traffic_erlangs);
    c * aht_secs / (f64::from(agents) - traffic_erlangs)
}

/// Agent occupancy `A / n`, capped at 1.0 (agents cannot be busier than always).
pub fn erlang_c_occupancy(agents: u32, traffic_erlangs: f64) -> f64 {
    if agents == 0 {
        return 1.0;
    }
    (traffic_erlangs.max(0.0) / f64::from(agents)).min(1.0)
}

/// Smallest number of agents whose Erlang C service level reaches `service_level` within
/// `target_secs`. One pass of the Erlang B recurrence: O(answer), about 10,100 steps at
/// 10,000 Erlangs.
///
/// ```
/// use cc_core::staffing::{agents_for_service_level, erlang_c_service_level};
/// let n = agents_for_service_level(10.0, 180.0, 20.0, 0.8);
/// assert!(erlang_c_service_level(n, 10.0, 180.0, 20.0) >= 0.8);
/// assert!(erlang_c_service_level(n - 1, 10.0, 180.0, 20.0) < 0.8);
/// ```
pub fn agents_for_service_level(
    traffic_erlangs: f64,
    aht_secs: f64,
    target_secs: f64,
    service_level: f64,
) -> u32 {
    if traffic_erlangs <= 0.0 || !traffic_erlangs.is_finite() || service_level <= 0.0 {
        return 0;
    }
    if aht_secs <= 0.0 || !aht_secs.is_finite() {
        // Calls that take no time need nobody; a nonsensical handle time gets no answer.
        return 0;
    }
    let goal = service_level.min(1.0);
    let mut b = 1.0;
    let mut n: u32 = 0;
    loop {
        n = n.saturating_add(1);
        let ab = traffic_erlangs * b;
        b = ab / (f64::from(n) + ab);
        if n == u32::MAX {
            return n;
        }
        if unstable(n, traffic_erlangs) {
            continue;
        }
        let c = erlang_c_from_b(n, traffic_erlangs, b);
        // A goal of 1.0 is reached once the waiting probability underflows.
        if service_level_from_c(c, n, traffic_erlangs, aht_secs, target_secs) >= goal {
            return n;
        }
    }
}

#[cfg(test)]
#[path = "erlang_c_tests.rs"]
mod tests;
