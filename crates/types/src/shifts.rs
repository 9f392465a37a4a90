//! Schedules: shift templates, shifts (instants in UTC, shown in a time zone), and who is
//! scheduled now. A template's times are local wall-clock times; a shift made from it on a
//! date is resolved in the agent's time zone, so a night shift across a daylight-saving
//! change is an hour shorter or longer, as the agent lives it.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::{Validate, ValidationError};

use crate::agents::iana_time_zone;
#[cfg(feature = "openapi")]
use crate::agents::time_zone_schema;
use crate::presence::AgentPresence;

/// Longest shift, in hours.
pub const MAX_SHIFT_HOURS: i64 = 24;
/// Most breaks in one shift or template.
pub const MAX_BREAKS: usize = 8;
/// Longest span one scheduling request covers, in days.
pub const MAX_SCHEDULE_DAYS: i64 = 62;

/// The rule of a local time of day: `HH:MM`, 24-hour.
pub const TIME_OF_DAY_PATTERN: &str = r"^([01][0-9]|2[0-3]):[0-5][0-9]$";

/// The check behind [`TIME_OF_DAY_PATTERN`].
pub fn time_of_day(value: &str) -> Result<(), ValidationError> {
    parse_time_of_day(value)
        .map(|_| ())
        .ok_or_else(|| ValidationError::new("time_of_day"))
}

/// Minutes after midnight of an `HH:MM` time, if well formed.
pub fn parse_time_of_day(value: &str) -> Option<u32> {
    let (h, m) = value.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// The instant a local wall-clock time names in `tz`. A time skipped by a change to
/// summer time (02:30 in Prague on the last Sunday of March) is read with the offset in
/// force before the change, so it lands as far after the gap as it was into it (03:30);
/// a time that happens twice (autumn) is the first of the two.
pub fn local_instant(tz: chrono_tz::Tz, local: NaiveDateTime) -> DateTime<Utc> {
    use chrono::{LocalResult, Offset, TimeDelta, TimeZone};
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            let before = local - TimeDelta::hours(3);
            let offset = match tz.from_local_datetime(&before) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.offset().fix(),
                LocalResult::None => Utc.fix(),
            };
            (local - offset).and_utc()
        }
    }
}

/// A break inside a shift, during which the agent is off the phones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShiftBreak {
    /// Start of the break (inside the shift).
    pub start: DateTime<Utc>,
    /// End of the break (after its start, inside the shift).
    pub end: DateTime<Utc>,
    /// Paid (a short break) or unpaid (lunch).
    #[serde(default)]
    pub paid: bool,
}

/// One agent's scheduled working time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shift {
    /// UUID v7.
    pub id: Uuid,
    /// The organization.
    pub organization_id: Uuid,
    /// The agent profile scheduled.
    pub agent_id: Uuid,
    /// Start, UTC.
    pub start: DateTime<Utc>,
    /// End, UTC (after the start, at most 24 hours later).
    pub end: DateTime<Utc>,
    /// Breaks, in time order.
    pub breaks: Vec<ShiftBreak>,
    /// The template the shift was made from, if any.
    pub template_id: Option<Uuid>,
    /// The time zone the shift was planned in and is shown in (the agent's, else UTC).
    pub time_zone: String,
    /// The local date the shift starts on, in `time_zone`.
    pub local_date: NaiveDate,
    /// Paid minutes: the shift's length minus its unpaid breaks.
    pub paid_minutes: i64,
    /// When the shift was created.
    pub created_at: DateTime<Utc>,
    /// When the shift last changed.
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/shifts`: one shift at given instants.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateShiftRequest {
    /// The agent profile to schedule.
    pub agent_id: Uuid,
    /// Start.
    pub start: DateTime<Utc>,
    /// End: after the start, at most 24 hours later (else 422).
    pub end: DateTime<Utc>,
    /// Breaks inside the shift, not overlapping (at most 8).
    #[serde(default)]
    #[validate(length(max = 8), nested)]
    #[cfg_attr(feature = "openapi", schema(max_items = 8))]
    pub breaks: Vec<ShiftBreak>,
}

/// `PATCH /api/shifts/{id}`: moves or resizes a shift; `breaks` replaces them all.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateShiftRequest {
    /// New start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTime<Utc>>,
    /// New end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<DateTime<Utc>>,
    /// New breaks (at most 8), replacing the old.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(max = 8), nested)]
    #[cfg_attr(feature = "openapi", schema(max_items = 8))]
    pub breaks: Option<Vec<ShiftBreak>>,
}

/// `GET /api/shifts`: the shifts that overlap `[from, to)`, by start.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ShiftListQuery {
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500))]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub limit: Option<u64>,
    /// Rows to skip, at most 1,000,000.
    #[validate(range(max = 1_000_000))]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1_000_000))]
    pub offset: Option<u64>,
    /// Shifts ending after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Shifts starting before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Only this agent's shifts.
    pub agent_id: Option<Uuid>,
    /// Only the shifts of this team's members.
    pub team_id: Option<Uuid>,
}

/// A break of a template: when it starts after the shift's start, and how long it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateBreak {
    /// Minutes from the shift's start (elapsed time, so a daylight-saving change inside
    /// the shift does not move it).
    #[validate(range(max = 1439))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1439))]
    pub after_minutes: u32,
    /// Length in minutes, 1 to 240.
    #[validate(range(min = 1, max = 240))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 240))]
    pub minutes: u32,
    /// Paid or unpaid.
    #[serde(default)]
    pub paid: bool,
}

/// A shift template: local start and end times (an end at or before the start is on the
/// next day) with breaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShiftTemplate {
    /// UUID v7.
    pub id: Uuid,
    /// The organization.
    pub organization_id: Uuid,
    /// Name, unique in the organization whatever its case.
    pub name: String,
    /// Local start, `HH:MM`.
    pub start_time: String,
    /// Local end, `HH:MM`; at or before the start: the next day.
    pub end_time: String,
    /// Breaks.
    pub breaks: Vec<TemplateBreak>,
    /// Length in minutes on a day without a daylight-saving change.
    pub minutes: u32,
    /// When the template was created.
    pub created_at: DateTime<Utc>,
    /// When the template last changed.
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/shift-templates` and `PUT /api/shift-templates/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShiftTemplateRequest {
    /// Name, unique in the organization.
    #[validate(length(min = 1, max = 80), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 80,
            pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$"
        )
    )]
    pub name: String,
    /// Local start, `HH:MM`.
    #[validate(custom(function = time_of_day))]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub start_time: String,
    /// Local end, `HH:MM`; at or before the start: the next day (equal: 24 hours).
    #[validate(custom(function = time_of_day))]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub end_time: String,
    /// Breaks (at most 8), each inside the shift and not overlapping another (else 422).
    #[serde(default)]
    #[validate(length(max = 8), nested)]
    #[cfg_attr(feature = "openapi", schema(max_items = 8))]
    pub breaks: Vec<TemplateBreak>,
}

/// `GET /api/shift-templates`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ShiftTemplateListQuery {
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500))]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub limit: Option<u64>,
    /// Rows to skip, at most 1,000,000.
    #[validate(range(max = 1_000_000))]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1_000_000))]
    pub offset: Option<u64>,
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl From<chrono::Weekday> for Weekday {
    fn from(d: chrono::Weekday) -> Self {
        match d {
            chrono::Weekday::Mon => Weekday::Mon,
            chrono::Weekday::Tue => Weekday::Tue,
            chrono::Weekday::Wed => Weekday::Wed,
            chrono::Weekday::Thu => Weekday::Thu,
            chrono::Weekday::Fri => Weekday::Fri,
            chrono::Weekday::Sat => Weekday::Sat,
            chrono::Weekday::Sun => Weekday::Sun,
        }
    }
}

/// `POST /api/shifts/schedule`: a weekly pattern applied to a span of dates. Every agent
/// gets the template's shift on each listed weekday from `from` to `to` (inclusive), in
/// their own time zone, except on the dates in `except`. All or nothing: one overlap
/// refuses the whole request, naming it.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleRequest {
    /// The template.
    pub template_id: Uuid,
    /// The agents (1 to 200).
    #[validate(length(min = 1, max = 200))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 200))]
    pub agent_ids: Vec<Uuid>,
    /// First date.
    pub from: NaiveDate,
    /// Last date (on or after `from`, at most 62 days later, else 422).
    pub to: NaiveDate,
    /// The weekdays to work (1 to 7).
    #[validate(length(min = 1, max = 7))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 7))]
    pub weekdays: Vec<Weekday>,
    /// Dates left out (holidays), at most 100.
    #[serde(default)]
    #[validate(length(max = 100))]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub except: Vec<NaiveDate>,
    /// The zone for agents without one of their own (`null`: UTC).
    #[serde(default)]
    #[validate(custom(function = iana_time_zone))]
    #[cfg_attr(feature = "openapi", schema(schema_with = time_zone_schema))]
    pub time_zone: Option<String>,
}

/// What `POST /api/shifts/schedule` made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleResult {
    /// The shifts created, by agent and start.
    pub created: Vec<Shift>,
}

/// Where a scheduled agent is against their shift right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// Logged in and not on a break.
    LoggedIn,
    /// On a scheduled break, or not ready.
    OnBreak,
    /// Scheduled, not on a break, and offline.
    Missing,
    /// Scheduled, but on approved time off.
    TimeOff,
}

/// One agent scheduled now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduledAgent {
    /// The agent's name.
    pub display_name: String,
    /// The agent's team.
    pub team_id: Option<Uuid>,
    /// The shift under way.
    pub shift: Shift,
    /// True while one of the shift's breaks is under way.
    pub in_break: bool,
    /// The agent's live state.
    pub presence: AgentPresence,
    /// Logged in, on a break, or missing.
    pub attendance: Attendance,
}

/// `GET /api/shifts/current`: who is scheduled at `at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurrentShifts {
    /// The instant answered for (the server's now).
    pub at: DateTime<Utc>,
    /// The agents scheduled, by name.
    pub items: Vec<ScheduledAgent>,
    /// How many are logged in.
    pub logged_in: u32,
    /// How many are on a break.
    pub on_break: u32,
    /// How many are missing.
    pub missing: u32,
    /// How many are on approved time off.
    pub time_off: u32,
}

/// `GET /api/shifts/current`: optionally one team.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct CurrentShiftsQuery {
    /// Only this team's members.
    pub team_id: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_are_24_hour_hh_mm() {
        assert_eq!(parse_time_of_day("00:00"), Some(0));
        assert_eq!(parse_time_of_day("23:59"), Some(1439));
        assert_eq!(parse_time_of_day("09:30"), Some(570));
        for bad in [
            "24:00", "9:30", "09:60", "0930", "09:3a", "+9:30", "09:30:00", "",
        ] {
            assert_eq!(parse_time_of_day(bad), None, "{bad}");
        }
    }
}
