//! Outbound dialer settings that the API stores per campaign and the SPA edits: the dialing
//! mode, the abandon rule, retry policy per call outcome and the local calling windows.
//! The engines that act on them live in `cc-core` (`dialer`, `windows`, `dnc`).

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use validator::Validate;

/// How a campaign decides how many calls to place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum DialerMode {
    /// The agent sees the contact first and dials; after `timeout_secs` the
    /// dialer applies `on_timeout`.
    Preview {
        /// Seconds the agent has to decide.
        timeout_secs: u32,
        /// What happens when the agent lets the preview time out.
        on_timeout: PreviewTimeout,
    },
    /// One call per available agent: no call is ever abandoned.
    Progressive,
    /// A fixed number of lines per available agent, still bounded by the abandon cap.
    Power {
        /// Calls placed per available agent (for example 1.5).
        lines_per_agent: f64,
    },
    /// Paced from observed answer rates and handle times under the abandon cap.
    Predictive,
    /// Calls are answered by AI agents; capacity is the number of concurrent sessions.
    AiAgent {
        /// Concurrent AI sessions the organization allows for this campaign.
        max_sessions: u32,
    },
}

/// What a preview does when the agent neither dials nor skips in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PreviewTimeout {
    /// Place the call automatically.
    Dial,
    /// Put the contact back and show the next one.
    Skip,
}

/// The regulator's abandon rule for a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AbandonPolicy {
    /// Highest allowed ratio of abandoned to live-answered calls (0.03 = 3%).
    #[validate(range(min = 0.0, max = 0.5))]
    pub cap: f64,
    /// Seconds after the greeting within which a live answer must reach an agent.
    #[validate(range(min = 0.0, max = 10.0))]
    pub connect_within_secs: f64,
    /// Length of the measuring period in seconds (30 days in the US rule, 24 hours for Ofcom).
    #[validate(range(min = 3600))]
    pub period_secs: u64,
}

impl Default for AbandonPolicy {
    /// 3% over 30 days with the 2-second connection rule (US Telemarketing Sales Rule).
    fn default() -> Self {
        Self {
            cap: 0.03,
            connect_within_secs: 2.0,
            period_secs: 30 * 24 * 3600,
        }
    }
}

/// The result of one call attempt, as far as retries are concerned.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// The line was busy.
    Busy,
    /// Nobody answered before the ring maximum.
    NoAnswer,
    /// An answering machine or voicemail answered.
    Machine,
    /// The carrier rejected or failed the call.
    Failed,
    /// A person was reached and the agent set this disposition code.
    Disposition(String),
}

/// Retry behaviour for one outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetryRule {
    /// The outcome this rule applies to.
    pub outcome: CallOutcome,
    /// Delay before the 1st, 2nd, ... retry in seconds; the last delay repeats.
    /// Empty means the outcome is final.
    pub delays_secs: Vec<u32>,
    /// Times this outcome may happen to a contact; when it happens that many times the
    /// contact is closed.
    #[validate(range(min = 1, max = 100))]
    pub max_attempts: u32,
}

/// Retry rules of a campaign; outcomes without a rule are final.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetryPolicy {
    /// One rule per outcome; the first matching rule wins.
    #[validate(nested)]
    pub rules: Vec<RetryRule>,
    /// Hard limit on attempts per contact, whatever the outcomes.
    #[validate(range(min = 1, max = 100))]
    pub max_attempts_total: u32,
}

/// A day of the week, Monday first (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayOfWeek {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl DayOfWeek {
    /// All days, Monday first.
    pub const ALL: [DayOfWeek; 7] = [
        DayOfWeek::Monday,
        DayOfWeek::Tuesday,
        DayOfWeek::Wednesday,
        DayOfWeek::Thursday,
        DayOfWeek::Friday,
        DayOfWeek::Saturday,
        DayOfWeek::Sunday,
    ];
}

/// One local-time window on one weekday, `start` inclusive, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallingWindow {
    /// The weekday in the contact's local time.
    pub day: DayOfWeek,
    /// Local time the window opens.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:00:00"))]
    pub start: NaiveTime,
    /// Local time the window closes.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "20:00:00"))]
    pub end: NaiveTime,
}

/// When a campaign may call, in the contact's local time.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallingSchedule {
    /// Allowed windows; a day without a window is closed.
    pub windows: Vec<CallingWindow>,
    /// Local dates on which no call is placed (holidays).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub excluded_dates: Vec<NaiveDate>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn modes_serialize_with_a_mode_tag() {
        let power = DialerMode::Power {
            lines_per_agent: 1.5,
        };
        let json = serde_json::to_value(&power).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"mode": "power", "lines_per_agent": 1.5})
        );
        let back: DialerMode = serde_json::from_str(r#"{"mode":"progressive"}"#).unwrap();
        assert_eq!(back, DialerMode::Progressive);
        let outcome = serde_json::to_value(CallOutcome::Disposition("sale".into())).unwrap();
        assert_eq!(outcome, serde_json::json!({"disposition": "sale"}));
    }

    #[test]
    fn abandon_policy_defaults_to_the_us_rule_and_rejects_silly_caps() {
        let policy = AbandonPolicy::default();
        assert!(policy.validate().is_ok());
        assert_eq!((policy.cap, policy.connect_within_secs), (0.03, 2.0));
        let silly = AbandonPolicy { cap: 0.9, ..policy };
        assert!(silly.validate().is_err());
        let rule = RetryRule {
            outcome: CallOutcome::Busy,
            delays_secs: vec![60],
            max_attempts: 0,
        };
        let policy = RetryPolicy {
            rules: vec![rule],
            max_attempts_total: 5,
        };
        assert!(policy.validate().is_err(), "nested rule with no attempts");
    }
}
