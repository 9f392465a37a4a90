//! Workforce-management DTOs: service-level targets, forecast and staffing intervals and
//! forecast accuracy. The math lives in `cc-core` (`staffing`, `forecast`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

/// Length of a planning interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IntervalLength {
    /// 15 minutes.
    Minutes15,
    /// 30 minutes.
    Minutes30,
    /// An hour.
    Hour,
}

impl IntervalLength {
    /// Length in seconds.
    pub fn secs(self) -> u32 {
        match self {
            IntervalLength::Minutes15 => 900,
            IntervalLength::Minutes30 => 1800,
            IntervalLength::Hour => 3600,
        }
    }
}

/// "`service_level` of calls answered within `answer_within_secs`", e.g. 80/20.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceLevelTarget {
    /// Fraction of calls to answer in time, in (0, 1].
    #[validate(range(exclusive_min = 0.0, max = 1.0))]
    pub service_level: f64,
    /// Target answer time in seconds.
    #[validate(range(min = 0.0, max = 3600.0))]
    pub answer_within_secs: f64,
}

/// Expected workload of one interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastInterval {
    /// Start of the interval.
    pub start: DateTime<Utc>,
    /// Calls expected to be offered during the interval.
    #[validate(range(min = 0.0))]
    pub calls_offered: f64,
    /// Expected average handle time (talk + hold + wrap-up) in seconds.
    #[validate(range(min = 0.0, max = 86400.0))]
    pub aht_secs: f64,
}

/// Requirement against schedule for one interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffingInterval {
    /// Start of the interval.
    pub start: DateTime<Utc>,
    /// Offered load in Erlangs.
    pub traffic_erlangs: f64,
    /// Agents that must be on the phones to meet the target.
    pub required_agents: u32,
    /// Agents scheduled on the phones (shift minutes minus breaks, averaged over the interval).
    pub scheduled_agents: f64,
    /// `scheduled_agents - required_agents`: negative means understaffed.
    pub gap: f64,
}

/// A forecasting method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ForecastMethod {
    /// Same interval one week earlier.
    SeasonalNaive,
    /// Holt-Winters (level, trend, multiplicative weekly seasonality).
    HoltWinters,
}

/// How well a method predicted a held-out week.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastAccuracy {
    /// The method scored.
    pub method: ForecastMethod,
    /// Mean absolute percentage error over the held-out week, as a fraction (0.12 = 12%);
    /// `None` when every held-out value was zero.
    pub mape: Option<f64>,
    /// Held-out intervals with a non-zero actual value, the ones MAPE averages over.
    pub intervals_scored: u32,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn targets_outside_zero_to_one_are_rejected() {
        let ok = ServiceLevelTarget {
            service_level: 0.8,
            answer_within_secs: 20.0,
        };
        assert!(ok.validate().is_ok());
        assert!(
            ServiceLevelTarget {
                service_level: 0.0,
                ..ok
            }
            .validate()
            .is_err()
        );
        assert!(
            ServiceLevelTarget {
                service_level: 1.2,
                ..ok
            }
            .validate()
            .is_err()
        );
        assert_eq!(IntervalLength::Minutes15.secs(), 900);
        let json = serde_json::to_value(ForecastMethod::HoltWinters).unwrap();
        assert_eq!(json, serde_json::json!("holt_winters"));
    }
}
