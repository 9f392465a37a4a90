#![allow(clippy::unwrap_used, clippy::expect_used)]

use cc_types::business_hours::{
    BusinessHours, HoursException, HoursStatus, TimeRange, Weekday, WeeklyRange,
};
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};

use super::*;

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn every_day(tz: &str, open: NaiveTime, close: NaiveTime) -> BusinessHours {
    use Weekday::*;
    let weekly = [
        Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday,
    ]
    .into_iter()
    .map(|day| WeeklyRange { day, open, close })
    .collect();
    BusinessHours {
        id: uuid::Uuid::nil(),
        name: "test".into(),
        time_zone: tz.into(),
        weekly,
        holidays: vec![],
        exceptions: vec![],
    }
}

fn check(calendar: &Calendar, cases: &[(DateTime<Utc>, HoursStatus)]) {
    for (at, want) in cases {
        assert_eq!(calendar.status_at(*at), *want, "at {at}");
    }
}

#[test]
fn new_york_day_shift_follows_local_time_across_both_dst_changes() {
    use HoursStatus::*;
    let c = Calendar::compile(&every_day("America/New_York", t(9, 0), t(17, 0))).unwrap();
    check(
        &c,
        &[
            // Saturday 2026-03-07, EST (UTC-5): opens 14:00 UTC.
            (utc(2026, 3, 7, 13, 59), Closed),
            (utc(2026, 3, 7, 14, 0), Open),
            // Sunday 2026-03-08, EDT (UTC-4) since 02:00 local: opens 13:00 UTC, closes 21:00 UTC.
            (utc(2026, 3, 8, 12, 59), Closed),
            (utc(2026, 3, 8, 13, 0), Open),
            (utc(2026, 3, 8, 20, 59), Open),
            (utc(2026, 3, 8, 21, 0), Closed),
            // Sunday 2026-11-01, back to EST: opens 14:00 UTC again.
            (utc(2026, 11, 1, 13, 30), Closed),
            (utc(2026, 11, 1, 14, 0), Open),
            (utc(2026, 11, 1, 21, 59), Open),
            (utc(2026, 11, 1, 22, 0), Closed),
        ],
    );
}

#[test]
fn new_york_overnight_range_covers_the_repeated_hour_in_november() {
    use HoursStatus::*;
    let c = Calendar::compile(&every_day("America/New_York", t(22, 0), t(6, 0))).unwrap();
    check(
        &c,
        &[
            (utc(2026, 11, 1, 1, 59), Closed), // 21:59 EDT Saturday
            (utc(2026, 11, 1, 2, 0), Open),    // 22:00 EDT
            (utc(2026, 11, 1, 5, 30), Open),   // 01:30 EDT, first time
            (utc(2026, 11, 1, 6, 30), Open),   // 01:30 EST, second time
            (utc(2026, 11, 1, 10, 59), Open),  // 05:59 EST
            (utc(2026, 11, 1, 11, 0), Closed), // 06:00 EST: a night of nine real hours
            (utc(2026, 3, 8, 9, 59), Open),    // 05:59 EDT on the short night
            (utc(2026, 3, 8, 10, 0), Closed),  // 06:00 EDT
        ],
    );
}

#[test]
fn prague_schedules_at_both_dst_changes() {
    use HoursStatus::*;
    let day = Calendar::compile(&every_day("Europe/Prague", t(8, 0), t(12, 0))).unwrap();
    check(
        &day,
        &[
            (utc(2026, 3, 28, 6, 59), Closed),  // 07:59 CET
            (utc(2026, 3, 28, 7, 0), Open),     // 08:00 CET
            (utc(2026, 3, 29, 5, 59), Closed),  // 07:59 CEST, the day clocks went forward
            (utc(2026, 3, 29, 6, 0), Open),     // 08:00 CEST
            (utc(2026, 10, 25, 6, 59), Closed), // 07:59 CET, the day clocks went back
            (utc(2026, 10, 25, 7, 0), Open),    // 08:00 CET
            (utc(2026, 10, 25, 10, 59), Open),  // 11:59 CET
            (utc(2026, 10, 25, 11, 0), Closed),
        ],
    );
    let night = Calendar::compile(&every_day("Europe/Prague", t(22, 0), t(6, 0))).unwrap();
    check(
        &night,
        &[
            (utc(2026, 10, 25, 0, 30), Open),  // 02:30 CEST
            (utc(2026, 10, 25, 1, 30), Open),  // 02:30 CET, again
            (utc(2026, 10, 25, 4, 59), Open),  // 05:59 CET
            (utc(2026, 10, 25, 5, 0), Closed), // 06:00 CET
            (utc(2026, 3, 29, 3, 59), Open),   // 05:59 CEST
            (utc(2026, 3, 29, 4, 0), Closed),  // 06:00 CEST
            (utc(2026, 3, 29, 20, 0), Open),   // 22:00 CEST
        ],
    );
}

#[test]
fn overnight_range_belongs_to_the_day_it_opens() {
    use HoursStatus::*;
    let hours = BusinessHours {
        weekly: vec![WeeklyRange {
            day: Weekday::Friday,
            open: t(22, 0),
            close: t(6, 0),
        }],
        ..every_day("UTC", t(0, 0), t(1, 0))
    };
    let c = Calendar::compile(&hours).unwrap();
    // 2026-01-02 is a Friday.
    check(
        &c,
        &[
            (utc(2026, 1, 1, 23, 0), Closed), // Thursday night
            (utc(2026, 1, 2, 3, 0), Closed),  // Friday early morning: Thursday had no night shift
            (utc(2026, 1, 2, 22, 0), Open),
            (utc(2026, 1, 3, 5, 59), Open), // Saturday morning, Friday's shift
            (utc(2026, 1, 3, 6, 0), Closed),
            (utc(2026, 1, 3, 22, 0), Closed),
        ],
    );
}

#[test]
fn holidays_and_exceptions_replace_the_weekly_schedule() {
    use HoursStatus::*;
    let hours = BusinessHours {
        holidays: vec![cc_types::business_hours::Holiday {
            date: date(2026, 12, 25),
            name: "Christmas".into(),
        }],
        exceptions: vec![
            HoursException {
                date: date(2026, 12, 24),
                ranges: vec![TimeRange {
                    open: t(9, 0),
                    close: t(12, 0),
                }],
            },
            HoursException {
                date: date(2026, 12, 31),
                ranges: vec![],
            },
        ],
        ..every_day("Europe/Prague", t(8, 0), t(20, 0))
    };
    let c = Calendar::compile(&hours).unwrap();
    check(
        &c,
        &[
            (utc(2026, 12, 23, 18, 0), Open),     // 19:00 local, regular day
            (utc(2026, 12, 24, 7, 30), Closed),   // 08:30, exception opens at 9
            (utc(2026, 12, 24, 10, 0), Open),     // 11:00
            (utc(2026, 12, 24, 11, 0), Closed),   // 12:00
            (utc(2026, 12, 25, 10, 0), Holiday),  // all day
            (utc(2026, 12, 24, 23, 30), Holiday), // 00:30 local on the 25th
            (utc(2026, 12, 31, 10, 0), Closed),
            (utc(2027, 1, 1, 10, 0), Open),
        ],
    );
}

#[test]
fn bad_calendars_are_refused_with_the_reason() {
    let mut hours = every_day("Mars/Olympus", t(8, 0), t(9, 0));
    assert_eq!(
        Calendar::compile(&hours),
        Err(HoursError::UnknownTimeZone("Mars/Olympus".into()))
    );
    hours.time_zone = "UTC".into();
    hours.weekly[0].close = t(8, 0);
    assert_eq!(
        Calendar::compile(&hours),
        Err(HoursError::EmptyRange {
            day: Weekday::Monday,
            at: t(8, 0)
        })
    );
    hours.weekly[0].close = t(9, 0);
    hours.exceptions = vec![HoursException {
        date: date(2026, 1, 1),
        ranges: vec![TimeRange {
            open: t(9, 0),
            close: t(8, 0),
        }],
    }];
    assert_eq!(
        Calendar::compile(&hours),
        Err(HoursError::InvalidException(date(2026, 1, 1)))
    );
}
