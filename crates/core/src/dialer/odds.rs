//! Small exact probability helpers for the pacer: the distribution of a sum of independent
//! yes/no events with different chances (Poisson binomial) and the expected shortfall of
//! agents against answers.

/// Distribution of the number of successes among independent trials with chances `probs`;
/// index k holds P(k successes). O(n²) for n trials, exact.
pub(crate) fn poisson_binomial(probs: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut dist = vec![1.0];
    for p in probs {
        add_trial(&mut dist, p);
    }
    dist
}

/// Below this a tail probability is dropped: hundreds of calls ringing with a small answer
/// chance then cost a support of tens of entries, not hundreds.
const NEGLIGIBLE: f64 = 1e-18;

/// Adds one more trial with chance `p` to a distribution in place.
pub(crate) fn add_trial(dist: &mut Vec<f64>, p: f64) {
    let p = p.clamp(0.0, 1.0);
    if p == 0.0 {
        return;
    }
    dist.push(0.0);
    for k in (1..dist.len()).rev() {
        dist[k] = dist[k] * (1.0 - p) + dist[k - 1] * p;
    }
    dist[0] *= 1.0 - p;
    while dist.len() > 1 && dist.last().is_some_and(|tail| *tail < NEGLIGIBLE) {
        dist.pop();
    }
}

/// Mean of a distribution over 0, 1, 2, ...
pub(crate) fn mean(dist: &[f64]) -> f64 {
    dist.iter().enumerate().map(|(k, p)| k as f64 * p).sum()
}

/// `g[n] = E[(n - M)+]` for n in `0..=max_n`, where `M = offset + X` and `x_dist` is X's
/// distribution: the expected number of `n` answers that find no agent.
pub(crate) fn shortfall_table(x_dist: &[f64], offset: usize, max_n: usize) -> Vec<f64> {
    let mut table = Vec::with_capacity(max_n + 1);
    let (mut g, mut cdf) = (0.0, 0.0);
    for n in 0..=max_n {
        table.push(g);
        // P(M <= n) grows by P(X = n - offset) once n reaches the offset.
        if let Some(k) = n.checked_sub(offset) {
            cdf += x_dist.get(k).copied().unwrap_or(0.0);
        }
        g += cdf;
    }
    table
}

/// `E[g(N)]` for answers N distributed as `n_dist` shifted by `n_offset`.
pub(crate) fn expected_shortfall(n_dist: &[f64], n_offset: usize, table: &[f64]) -> f64 {
    let last = table.len().saturating_sub(1);
    n_dist
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let n = k + n_offset;
            // Beyond the table every extra answer is one more shortfall.
            let g = match table.get(n) {
                Some(g) => *g,
                None => table.get(last).copied().unwrap_or(0.0) + (n - last) as f64,
            };
            p * g
        })
        .sum()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn poisson_binomial_of_fair_coins_is_binomial() {
        let d = poisson_binomial([0.5, 0.5, 0.5]);
        let expected = [0.125, 0.375, 0.375, 0.125];
        for (got, want) in d.iter().zip(expected) {
            assert!((got - want).abs() < 1e-15);
        }
        assert!((mean(&d) - 1.5).abs() < 1e-15);
    }

    #[test]
    fn many_unlikely_trials_keep_a_short_support_and_the_right_mean() {
        let d = poisson_binomial(std::iter::repeat_n(0.05, 800));
        assert!(d.len() < 150, "{}", d.len());
        assert!((mean(&d) - 40.0).abs() < 1e-9);
        assert!((d.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn shortfall_counts_answers_beyond_agents() {
        // Exactly 2 agents; 3 certain answers leave one without an agent.
        let table = shortfall_table(&[1.0], 2, 5);
        assert_eq!(table, vec![0.0, 0.0, 0.0, 1.0, 2.0, 3.0]);
        let answers = poisson_binomial([1.0, 1.0, 1.0]);
        assert!((expected_shortfall(&answers, 0, &table) - 1.0).abs() < 1e-15);
        // One agent certain, one maybe: 2 sure answers miss 0.5 agent on average.
        let table = shortfall_table(&[0.5, 0.5], 1, 4);
        assert!((expected_shortfall(&[1.0], 2, &table) - 0.5).abs() < 1e-15);
        assert!((expected_shortfall(&[1.0], 9, &table) - 7.5).abs() < 1e-15);
    }
}
