//! Local-time calling windows: a campaign's weekly windows and excluded dates, and the
//! legal windows per country, checked at one instant in every zone a contact may be in.

use std::collections::BTreeSet;

use cc_types::dialer::{CallingSchedule, CallingWindow, DayOfWeek};
use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta,
    TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

/// How far ahead [`next_open`] looks for an opening.
const SEARCH_DAYS: u64 = 21;

fn day_index(day: DayOfWeek) -> usize {
    DayOfWeek::ALL.iter().position(|d| *d == day).unwrap_or(0)
}

fn weekday_index(day: Weekday) -> usize {
    day.num_days_from_monday() as usize
}

/// Weekly local-time windows with excluded dates, ready to query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocalWindows {
    by_day: [Vec<(NaiveTime, NaiveTime)>; 7],
    excluded: BTreeSet<NaiveDate>,
}

impl LocalWindows {
    /// Windows from a campaign's schedule; empty or inverted windows are ignored.
    pub fn from_schedule(schedule: &CallingSchedule) -> Self {
        let mut windows = Self::default();
        for w in &schedule.windows {
            windows.add(*w);
        }
        windows
            .excluded
            .extend(schedule.excluded_dates.iter().copied());
        windows
    }

    /// The same window on every listed day.
    pub fn daily(days: &[DayOfWeek], start: NaiveTime, end: NaiveTime) -> Self {
        let mut windows = Self::default();
        for day in days {
            windows.add(CallingWindow {
                day: *day,
                start,
                end,
            });
        }
        windows
    }

    /// Adds one window.
    pub fn add(&mut self, window: CallingWindow) {
        if window.start < window.end {
            self.by_day[day_index(window.day)].push((window.start, window.end));
        }
    }

    /// True when the local date and time falls in a window.
    pub fn allows_local(&self, local: NaiveDateTime) -> bool {
        if self.excluded.contains(&local.date()) {
            return false;
        }
        let time = local.time();
        self.by_day[weekday_index(local.weekday())]
            .iter()
            .any(|(start, end)| *start <= time && time < *end)
    }

    /// True when `at` falls in a window in every one of `zones`.
    pub fn allows(&self, at: DateTime<Utc>, zones: &[Tz]) -> bool {
        zones
            .iter()
            .all(|tz| self.allows_local(at.with_timezone(tz).naive_local()))
    }

    /// The instants at which some window opens in `tz` on local days around `from`.
    fn openings(&self, from: DateTime<Utc>, tz: Tz) -> Vec<DateTime<Utc>> {
        let today = from.with_timezone(&tz).date_naive();
        let mut out = Vec::new();
        for offset in 0..=SEARCH_DAYS {
            let Some(date) = today.checked_add_days(Days::new(offset)) else {
                break;
            };
            for (start, _) in &self.by_day[weekday_index(date.weekday())] {
                out.extend(first_instant_at_or_after(tz, date.and_time(*start)));
            }
        }
        out
    }
}

/// The first instant whose local time in `tz` is at or after `local`: the local time
/// itself, the earlier of two when clocks go back, the end of the gap when they go forward.
pub(crate) fn first_instant_at_or_after(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    let mut probe = local;
    for _ in 0..16 {
        match tz.from_local_datetime(&probe) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                return Some(t.with_timezone(&Utc));
            }
            LocalResult::None => probe += TimeDelta::minutes(15),
        }
    }
    None
}

/// True when every set of windows allows `at` in every zone.
pub fn may_call(at: DateTime<Utc>, zones: &[Tz], windows: &[&LocalWindows]) -> bool {
    windows.iter().all(|w| w.allows(at, zones))
}

/// The first instant at or after `from` when every set of windows is open in every zone,
/// within three weeks; `None` when there is none (for example all days excluded).
pub fn next_open(
    from: DateTime<Utc>,
    zones: &[Tz],
    windows: &[&LocalWindows],
) -> Option<DateTime<Utc>> {
    if may_call(from, zones, windows) {
        return Some(from);
    }
    // Where all windows overlap, the overlap begins when the last of them opens, so the
    // earliest valid instant is one of the openings.
    let mut candidates: Vec<DateTime<Utc>> = windows
        .iter()
        .flat_map(|w| zones.iter().flat_map(move |tz| w.openings(from, *tz)))
        .filter(|t| *t > from)
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    candidates
        .into_iter()
        .find(|t| may_call(*t, zones, windows))
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
