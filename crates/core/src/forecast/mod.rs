//! Forecasting calls offered (or handle time) per interval from history: seasonal naive
//! (the same interval one week earlier) and Holt-Winters with multiplicative weekly
//! seasonality.
//! [`evaluate`] holds out the last week, scores each method on it with MAPE so a supervisor
//! sees how far to trust it, then forecasts the coming week from the whole history.
//! Turning the forecast into agents is [`crate::staffing`]'s job.

mod holt_winters;

use cc_types::workforce::{ForecastAccuracy, ForecastMethod};

pub use holt_winters::{HoltWinters, HoltWintersParams};

/// Why a forecast cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForecastError {
    /// A season must have at least two intervals.
    #[error("season length {0} is too short")]
    SeasonTooShort(usize),
    /// Not enough history for the method.
    #[error("{method:?} needs {needed} intervals of history, got {got}")]
    NotEnoughHistory {
        /// The method asked for.
        method: ForecastMethod,
        /// Intervals needed.
        needed: usize,
        /// Intervals given.
        got: usize,
    },
    /// History contains a negative or non-finite value.
    #[error("history value {index} is not a finite count")]
    BadValue {
        /// Position of the bad value.
        index: usize,
    },
}

/// Intervals needed by a method: seasons to fit on, without a held-out week.
fn needed(method: ForecastMethod, season: usize) -> usize {
    match method {
        ForecastMethod::SeasonalNaive => season,
        ForecastMethod::HoltWinters => 2 * season,
    }
}

fn check(history: &[f64], season: usize, method: ForecastMethod) -> Result<(), ForecastError> {
    if season < 2 {
        return Err(ForecastError::SeasonTooShort(season));
    }
    if let Some(index) = history.iter().position(|v| !v.is_finite() || *v < 0.0) {
        return Err(ForecastError::BadValue { index });
    }
    let needed = needed(method, season);
    if history.len() < needed {
        return Err(ForecastError::NotEnoughHistory {
            method,
            needed,
            got: history.len(),
        });
    }
    Ok(())
}

/// The next `horizon` intervals, each equal to the same interval one season earlier.
pub fn seasonal_naive(
    history: &[f64],
    season: usize,
    horizon: usize,
) -> Result<Vec<f64>, ForecastError> {
    check(history, season, ForecastMethod::SeasonalNaive)?;
    let last_season = &history[history.len() - season..];
    Ok((0..horizon).map(|h| last_season[h % season]).collect())
}

/// Forecast the next `horizon` intervals with `method`.
pub fn forecast(
    history: &[f64],
    season: usize,
    horizon: usize,
    method: ForecastMethod,
) -> Result<Vec<f64>, ForecastError> {
    match method {
        ForecastMethod::SeasonalNaive => seasonal_naive(history, season, horizon),
        ForecastMethod::HoltWinters => {
            check(history, season, method)?;
            Ok(HoltWinters::fit(history, season)?.forecast(horizon))
        }
    }
}

/// Mean absolute percentage error over the intervals whose actual value is not zero.
pub fn mape(actual: &[f64], predicted: &[f64]) -> (Option<f64>, u32) {
    let (sum, count) = actual
        .iter()
        .zip(predicted)
        .filter(|(a, _)| **a != 0.0)
        .fold((0.0, 0u32), |(sum, n), (a, p)| {
            (sum + ((a - p) / a).abs(), n + 1)
        });
    ((count > 0).then(|| sum / f64::from(count)), count)
}

/// A method's forecast of the coming season and its error on the held-out last season.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastReport {
    /// The next season, forecast from the whole history.
    pub next_season: Vec<f64>,
    /// How well the method, fitted without the last season, predicted it.
    pub accuracy: ForecastAccuracy,
}

/// Scores `method` on the last season of `history` and forecasts the season after it.
pub fn evaluate(
    history: &[f64],
    season: usize,
    method: ForecastMethod,
) -> Result<ForecastReport, ForecastError> {
    check(history, season, method)?;
    let got = history.len();
    let needed_with_holdout = needed(method, season) + season;
    if got < needed_with_holdout {
        return Err(ForecastError::NotEnoughHistory {
            method,
            needed: needed_with_holdout,
            got,
        });
    }
    let (train, held_out) = history.split_at(got - season);
    let predicted = forecast(train, season, season, method)?;
    let (mape, intervals_scored) = mape(held_out, &predicted);
    Ok(ForecastReport {
        next_season: forecast(history, season, season, method)?,
        accuracy: ForecastAccuracy {
            method,
            mape,
            intervals_scored,
        },
    })
}

#[cfg(test)]
#[path = "forecast_tests.rs"]
mod tests;
