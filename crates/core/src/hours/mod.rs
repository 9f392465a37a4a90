//! Business hours: whether a calendar (a weekly schedule in a named time zone, with
//! holidays and one-off exceptions) is open, closed or on holiday at an instant. Local time
//! is derived from UTC through chrono-tz, so daylight-saving changes need no special cases:
//! a range is open for exactly the local wall-clock times it names. It does not store
//! calendars or read the clock.

use std::collections::{BTreeMap, BTreeSet};

use cc_types::business_hours::{BusinessHours, HoursStatus, Weekday};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use thiserror::Error;

/// Why a calendar cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HoursError {
    /// The time zone name is not in the IANA database.
    #[error("unknown time zone {0:?}")]
    UnknownTimeZone(String),
    /// A weekly range opens and closes at the same time.
    #[error("range on {day:?} opens and closes at {at}")]
    EmptyRange {
        /// The day.
        day: Weekday,
        /// The time.
        at: NaiveTime,
    },
    /// An exception range does not close after it opens.
    #[error("exception on {0} has a range that does not close after it opens")]
    InvalidException(NaiveDate),
}

/// A calendar ready to answer queries.
///
/// ```
/// use cc_core::hours::Calendar;
/// use cc_types::business_hours::{BusinessHours, HoursStatus, WeeklyRange, Weekday};
/// use chrono::{NaiveTime, TimeZone, Utc};
/// let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
/// let hours = BusinessHours { id: uuid::Uuid::nil(), name: "Night desk".into(),
///     time_zone: "Europe/Prague".into(),
///     weekly: vec![WeeklyRange { day: Weekday::Monday, open: t(22), close: t(6) }],
///     holidays: vec![], exceptions: vec![] };
/// let calendar = Calendar::compile(&hours).unwrap();
/// // Tuesday 2026-01-06 04:00 in Prague is 03:00 UTC: still Monday night's shift.
/// let at = Utc.with_ymd_and_hms(2026, 1, 6, 3, 0, 0).unwrap();
/// assert_eq!(calendar.status_at(at), HoursStatus::Open);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    tz: Tz,
    weekly: [Vec<(NaiveTime, NaiveTime)>; 7],
    holidays: BTreeSet<NaiveDate>,
    exceptions: BTreeMap<NaiveDate, Vec<(NaiveTime, NaiveTime)>>,
}

/// Monday = 0 … Sunday = 6.
pub fn weekday_index(day: Weekday) -> usize {
    match day {
        Weekday::Monday => 0,
        Weekday::Tuesday => 1,
        Weekday::Wednesday => 2,
        Weekday::Thursday => 3,
        Weekday::Friday => 4,
        Weekday::Saturday => 5,
        Weekday::Sunday => 6,
    }
}

impl Calendar {
    /// Checks and prepares a calendar.
    pub fn compile(hours: &BusinessHours) -> Result<Self, HoursError> {
        let mut calendar = Self::weekly(
            &hours.time_zone,
            hours.weekly.iter().map(|r| (r.day, r.open, r.close)),
        )?;
        calendar.holidays = hours.holidays.iter().map(|h| h.date).collect();
        for exception in &hours.exceptions {
            if exception.ranges.iter().any(|r| r.close <= r.open) {
                return Err(HoursError::InvalidException(exception.date));
            }
            let ranges = exception.ranges.iter().map(|r| (r.open, r.close)).collect();
            calendar.exceptions.insert(exception.date, ranges);
        }
        Ok(calendar)
    }

    /// A calendar with only weekly ranges `(day, open, close)`.
    pub fn weekly(
        time_zone: &str,
        ranges: impl IntoIterator<Item = (Weekday, NaiveTime, NaiveTime)>,
    ) -> Result<Self, HoursError> {
        let tz: Tz = time_zone
            .parse()
            .map_err(|_| HoursError::UnknownTimeZone(time_zone.to_owned()))?;
        let mut weekly: [Vec<(NaiveTime, NaiveTime)>; 7] = Default::default();
        for (day, open, close) in ranges {
            if open == close {
                return Err(HoursError::EmptyRange { day, at: open });
            }
            if let Some(slot) = weekly.get_mut(weekday_index(day)) {
                slot.push((open, close));
            }
        }
        Ok(Self {
            tz,
            weekly,
            holidays: BTreeSet::new(),
            exceptions: BTreeMap::new(),
        })
    }

    /// Open, closed or holiday at an instant.
    pub fn status_at(&self, at: DateTime<Utc>) -> HoursStatus {
        let local = at.with_timezone(&self.tz);
        let (date, time) = (local.date_naive(), local.time());
        if self.holidays.contains(&date) {
            return HoursStatus::Holiday;
        }
        let open = match self.exceptions.get(&date) {
            Some(ranges) => ranges.iter().any(|(o, c)| *o <= time && time < *c),
            None => self.weekly_open(date, time),
        };
        if open {
            HoursStatus::Open
        } else {
            HoursStatus::Closed
        }
    }

    fn day_ranges(&self, date: NaiveDate) -> &[(NaiveTime, NaiveTime)] {
        let index = date.weekday().num_days_from_monday() as usize;
        self.weekly.get(index).map_or(&[], Vec::as_slice)
    }

    /// Today's ranges, plus last night's overnight ranges unless yesterday was a holiday or
    /// an exception (those replace the whole day, overnight spill included).
    fn weekly_open(&self, date: NaiveDate, time: NaiveTime) -> bool {
        let today = self.day_ranges(date).iter().any(|(o, c)| {
            if o < c {
                *o <= time && time < *c
            } else {
                *o <= time
            }
        });
        if today {
            return true;
        }
        let Some(yesterday) = date.pred_opt() else {
            return false;
        };
        if self.holidays.contains(&yesterday) || self.exceptions.contains_key(&yesterday) {
            return false;
        }
        self.day_ranges(yesterday)
            .iter()
            .any(|(o, c)| c <= o && time < *c)
    }
}

#[cfg(test)]
mod tests;
