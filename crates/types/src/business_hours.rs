//! Business-hours calendars as an organization edits them: a weekly schedule in a named
//! time zone, holidays and one-off exceptions. Evaluation lives in `cc-core::hours`.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Day of the week (ISO order, Monday first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
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

/// Opening hours on one weekday. When `close` is not after `open` the range runs overnight
/// into the next day (22:00–06:00 opens Monday 22:00 and closes Tuesday 06:00).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeeklyRange {
    /// The day the range opens.
    pub day: Weekday,
    /// Local opening time, `HH:MM:SS`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:00:00"))]
    pub open: NaiveTime,
    /// Local closing time, `HH:MM:SS`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "17:00:00"))]
    pub close: NaiveTime,
}

/// A local date on which the organization is closed all day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Holiday {
    /// The local date.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: NaiveDate,
    /// Shown to supervisors, for example "New Year's Day".
    pub name: String,
}

/// Hours for one local date that replace the weekly schedule (an empty list means closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursException {
    /// The local date.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: NaiveDate,
    /// Same-day ranges, each `[open, close)`.
    pub ranges: Vec<TimeRange>,
}

/// A same-day range of local time, `[open, close)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeRange {
    /// Opening time.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:00:00"))]
    pub open: NaiveTime,
    /// Closing time.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "12:00:00"))]
    pub close: NaiveTime,
}

/// A named business-hours calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessHours {
    /// The calendar's id.
    pub id: Uuid,
    /// Shown to supervisors.
    pub name: String,
    /// IANA time zone name, for example `Europe/Prague`.
    pub time_zone: String,
    /// The regular week.
    pub weekly: Vec<WeeklyRange>,
    /// Closed all day.
    pub holidays: Vec<Holiday>,
    /// One-off replacements of a day's hours.
    pub exceptions: Vec<HoursException>,
}

/// What a calendar says about an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HoursStatus {
    /// Open.
    Open,
    /// Closed (outside the schedule or by an exception).
    Closed,
    /// Closed for a holiday.
    Holiday,
}
