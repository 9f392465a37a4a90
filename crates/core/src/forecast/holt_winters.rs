//! Holt-Winters with multiplicative weekly seasonality (a level and trend of the weekly
//! rate, times a factor per interval of the week: call volumes grow in proportion, so a
//! busy Monday morning grows more than a quiet night), with the
//! smoothing constants chosen by a grid search. Staffing needs a week ahead, not the next
//! interval, so with three seasons or more the grid is scored on forecasting the last
//! season from the ones before it; with two, on one-step-ahead error.

use super::ForecastError;

/// Smoothing constants in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoltWintersParams {
    /// Level smoothing.
    pub alpha: f64,
    /// Trend smoothing.
    pub beta: f64,
    /// Seasonal smoothing.
    pub gamma: f64,
}

/// A fitted model: the state after the last observation.
#[derive(Debug, Clone, PartialEq)]
pub struct HoltWinters {
    /// The constants chosen.
    pub params: HoltWintersParams,
    level: f64,
    trend: f64,
    /// Seasonal indices; `seasonal[i]` belongs to the interval `i` steps after the end.
    seasonal: Vec<f64>,
}

const ALPHAS: [f64; 6] = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5];
// The trend is per interval and a week ahead multiplies it by hundreds: keep it slow.
const BETAS: [f64; 4] = [0.0, 0.001, 0.003, 0.01];
const GAMMAS: [f64; 5] = [0.05, 0.1, 0.2, 0.3, 0.5];

fn grid() -> impl Iterator<Item = HoltWintersParams> {
    ALPHAS.into_iter().flat_map(|alpha| {
        BETAS.into_iter().flat_map(move |beta| {
            GAMMAS
                .into_iter()
                .map(move |gamma| HoltWintersParams { alpha, beta, gamma })
        })
    })
}

/// Below this a level or factor counts as zero.
const FLOOR: f64 = 1e-9;

/// `x / level`, or a neutral factor when the level is zero.
fn ratio(x: f64, level: f64) -> f64 {
    if level > FLOOR { x / level } else { 1.0 }
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

/// Runs the recursions over `history`; returns the model and its one-step squared error.
fn run(history: &[f64], season: usize, params: HoltWintersParams) -> (HoltWinters, f64) {
    let (first, second) = (&history[..season], &history[season..2 * season]);
    let mut level = mean(first);
    let mut trend = (mean(second) - mean(first)) / season as f64;
    let mut seasonal: Vec<f64> = first.iter().map(|x| ratio(*x, level)).collect();
    let mut sse = 0.0;
    let HoltWintersParams { alpha, beta, gamma } = params;
    for (t, x) in history.iter().enumerate().skip(season) {
        let s = seasonal[t % season];
        let predicted = (level + trend) * s;
        sse += (x - predicted).powi(2);
        // An interval that never sees calls carries no information about the level.
        let new_level = if s > FLOOR {
            alpha * (x / s) + (1.0 - alpha) * (level + trend)
        } else {
            level + trend
        };
        trend = beta * (new_level - level) + (1.0 - beta) * trend;
        if new_level > FLOOR {
            seasonal[t % season] = gamma * (x / new_level) + (1.0 - gamma) * s;
        }
        level = new_level;
    }
    // Rotate so index 0 is the interval right after the history.
    seasonal.rotate_left(history.len() % season);
    (
        HoltWinters {
            params,
            level,
            trend,
            seasonal,
        },
        sse,
    )
}

impl HoltWinters {
    /// Fits the model on at least two seasons of history.
    pub fn fit(history: &[f64], season: usize) -> Result<Self, ForecastError> {
        if history.len() < 2 * season || season < 2 {
            return Err(ForecastError::NotEnoughHistory {
                method: cc_types::workforce::ForecastMethod::HoltWinters,
                needed: 2 * season.max(2),
                got: history.len(),
            });
        }
        let validate = history.len() >= 3 * season;
        let (fit_part, check_part) = history.split_at(history.len() - season);
        let mut best: Option<(HoltWintersParams, f64)> = None;
        for params in grid() {
            let score = if validate {
                let predicted = run(fit_part, season, params).0.forecast(season);
                check_part
                    .iter()
                    .zip(&predicted)
                    .map(|(a, p)| (a - p).powi(2))
                    .sum()
            } else {
                run(history, season, params).1
            };
            if best.is_none_or(|(_, s)| score < s) {
                best = Some((params, score));
            }
        }
        let (params, _) = best.ok_or(ForecastError::SeasonTooShort(season))?;
        Ok(run(history, season, params).0)
    }

    /// The next `horizon` intervals, never below zero.
    pub fn forecast(&self, horizon: usize) -> Vec<f64> {
        let season = self.seasonal.len();
        (0..horizon)
            .map(|h| {
                let level = self.level + (h + 1) as f64 * self.trend;
                let value = level * self.seasonal[h % season];
                value.max(0.0)
            })
            .collect()
    }
}
