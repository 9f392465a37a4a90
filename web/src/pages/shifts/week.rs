//! Week arithmetic for the grid: the Monday of a date, a shift's local times in its zone,
//! and times typed into the grid as instants (resolved as the server resolves templates).

use cc_types::shifts::{Shift, local_instant, parse_time_of_day};
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Utc};
use chrono_tz::Tz;

/// The Monday on or before `date`.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    let back = u64::from(date.weekday().num_days_from_monday());
    date.checked_sub_days(Days::new(back)).unwrap_or(date)
}

/// The seven dates of the week starting `monday`.
pub fn days(monday: NaiveDate) -> Vec<NaiveDate> {
    (0..7)
        .filter_map(|i| monday.checked_add_days(Days::new(i)))
        .collect()
}

/// The zone a shift is shown in.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// `22:00–06:00`, in the shift's own zone.
pub fn local_span(shift: &Shift) -> String {
    let tz = zone(&shift.time_zone);
    format!(
        "{}–{}",
        shift.start.with_timezone(&tz).format("%H:%M"),
        shift.end.with_timezone(&tz).format("%H:%M")
    )
}

/// `HH:MM` of an instant in a zone, for an edit form.
pub fn local_time(at: DateTime<Utc>, zone_name: &str) -> String {
    at.with_timezone(&zone(zone_name))
        .format("%H:%M")
        .to_string()
}

/// The instants `start`–`end` (`HH:MM`) name on `date` in `zone_name`; an end at or before
/// the start is on the next day. `None` when a time is not `HH:MM`.
pub fn instants(
    zone_name: &str,
    date: NaiveDate,
    start: &str,
    end: &str,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let (s, e) = (parse_time_of_day(start)?, parse_time_of_day(end)?);
    let at = |d: NaiveDate, m: u32| d.and_time(NaiveTime::MIN) + TimeDelta::minutes(i64::from(m));
    let end_date = if e > s {
        date
    } else {
        date.checked_add_days(Days::new(1))?
    };
    let tz = zone(zone_name);
    Some((
        local_instant(tz, at(date, s)),
        local_instant(tz, at(end_date, e)),
    ))
}

/// The browser's time zone (`Europe/Prague`), or UTC when it cannot tell.
pub fn browser_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
        .filter(|z| z.parse::<Tz>().is_ok())
        .unwrap_or_else(|| "UTC".to_owned())
}
