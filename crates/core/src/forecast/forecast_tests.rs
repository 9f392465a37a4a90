#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::dialer::sim::SeededRng;

/// Half-hour intervals of a week.
const WEEK: usize = 336;

/// Calls per half hour: a daily curve, quieter weekends, optional growth and noise.
fn history(weeks: usize, growth_per_week: f64, noise: f64, seed: u64) -> Vec<f64> {
    let mut rng = SeededRng::new(seed);
    (0..weeks * WEEK)
        .map(|t| {
            let (day, slot) = ((t % WEEK) / 48, t % 48);
            let open = (16..40).contains(&slot);
            let curve = if open {
                40.0 + 30.0 * ((slot as f64 - 16.0) / 24.0 * std::f64::consts::PI).sin()
            } else {
                2.0
            };
            let weekday = if day >= 5 { 0.4 } else { 1.0 };
            let trend = 1.0 + growth_per_week * t as f64 / WEEK as f64;
            let wobble = 1.0 + noise * (rng.unit() - 0.5) * 2.0;
            (curve * weekday * trend * wobble).max(0.0)
        })
        .collect()
}

#[test]
fn a_pattern_that_repeats_exactly_is_forecast_exactly_by_seasonal_naive() {
    let h = history(3, 0.0, 0.0, 1);
    let report = evaluate(&h, WEEK, ForecastMethod::SeasonalNaive).unwrap();
    assert_eq!(report.accuracy.mape, Some(0.0));
    assert_eq!(report.accuracy.intervals_scored, WEEK as u32);
    assert_eq!(report.next_season, h[2 * WEEK..].to_vec());
}

#[test]
fn holt_winters_follows_growth_that_seasonal_naive_misses() {
    let h = history(6, 0.05, 0.02, 2);
    let naive = evaluate(&h, WEEK, ForecastMethod::SeasonalNaive).unwrap();
    let hw = evaluate(&h, WEEK, ForecastMethod::HoltWinters).unwrap();
    let (naive_mape, hw_mape) = (naive.accuracy.mape.unwrap(), hw.accuracy.mape.unwrap());
    assert!(hw_mape < naive_mape, "HW {hw_mape} vs naive {naive_mape}");
    assert!(hw_mape < 0.05, "{hw_mape}");
    assert_eq!(hw.next_season.len(), WEEK);
    assert!(hw.next_season.iter().all(|v| *v >= 0.0));
}

#[test]
fn noisy_history_reports_an_honest_error() {
    let h = history(4, 0.0, 0.3, 3);
    let hw = evaluate(&h, WEEK, ForecastMethod::HoltWinters).unwrap();
    let mape = hw.accuracy.mape.unwrap();
    assert!(mape > 0.03 && mape < 0.3, "{mape}");
}

#[test]
fn short_or_broken_history_is_refused() {
    let h = history(2, 0.0, 0.0, 4);
    let err = evaluate(&h, WEEK, ForecastMethod::HoltWinters).unwrap_err();
    assert_eq!(
        err,
        ForecastError::NotEnoughHistory {
            method: ForecastMethod::HoltWinters,
            needed: 3 * WEEK,
            got: 2 * WEEK
        }
    );
    assert!(evaluate(&h, WEEK, ForecastMethod::SeasonalNaive).is_ok());
    assert_eq!(
        seasonal_naive(&[1.0, f64::NAN], 2, 2),
        Err(ForecastError::BadValue { index: 1 })
    );
    assert_eq!(
        seasonal_naive(&[1.0], 1, 2),
        Err(ForecastError::SeasonTooShort(1))
    );
}

#[test]
fn mape_skips_zero_actuals() {
    assert_eq!(mape(&[0.0, 10.0, 20.0], &[5.0, 11.0, 18.0]), (Some(0.1), 2));
    assert_eq!(mape(&[0.0], &[1.0]), (None, 0));
}
