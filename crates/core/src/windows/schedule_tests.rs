#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::phone::PhoneE164;
use crate::windows::{LegalWindows, zones_of_number};
use chrono_tz::{America, Europe};

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn us_legal() -> LocalWindows {
    LegalWindows::default().for_region("US").unwrap().clone()
}

#[test]
fn the_us_window_follows_the_clock_change() {
    let w = us_legal();
    let ny = [America::New_York];
    // 12:30 UTC is 07:30 EST on Saturday 7 March 2026 and 08:30 EDT the next day.
    assert!(!w.allows(utc(2026, 3, 7, 12, 30), &ny));
    assert!(w.allows(utc(2026, 3, 8, 12, 30), &ny));
    // In November it goes back: 12:30 UTC on 1 November 2026 is 07:30 EST again.
    assert!(w.allows(utc(2026, 10, 31, 12, 30), &ny));
    assert!(!w.allows(utc(2026, 11, 1, 12, 30), &ny));
}

#[test]
fn europe_changes_clocks_on_its_own_date() {
    let w = LocalWindows::daily(&DayOfWeek::ALL, hm(9, 0), hm(20, 0));
    let prague = [Europe::Prague];
    // 07:30 UTC: 08:30 CET on 28 March 2026, 09:30 CEST on 29 March.
    assert!(!w.allows(utc(2026, 3, 28, 7, 30), &prague));
    assert!(w.allows(utc(2026, 3, 29, 7, 30), &prague));
}

#[test]
fn a_number_spanning_two_zones_must_be_inside_both_windows() {
    let panhandle = PhoneE164::parse("850 555 0100", Some("US")).unwrap();
    let zones = zones_of_number(&panhandle).unwrap();
    let w = us_legal();
    // Wednesday 14 January 2026, 13:30 UTC: 08:30 in Tallahassee, 07:30 in Pensacola.
    let early = utc(2026, 1, 14, 13, 30);
    assert!(!w.allows(early, &zones));
    assert_eq!(
        next_open(early, &zones, &[&w]),
        Some(utc(2026, 1, 14, 14, 0))
    );
    // 01:30 UTC next day: 20:30 Eastern, 19:30 Central; at 02:00 Eastern closes.
    assert!(w.allows(utc(2026, 1, 15, 1, 30), &zones));
    assert!(!w.allows(utc(2026, 1, 15, 2, 0), &zones));
}

#[test]
fn campaign_windows_excluded_dates_and_legal_hours_all_apply() {
    let schedule = CallingSchedule {
        windows: vec![CallingWindow {
            day: DayOfWeek::Friday,
            start: hm(7, 0),
            end: hm(12, 0),
        }],
        excluded_dates: vec![NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()],
    };
    let campaign = LocalWindows::from_schedule(&schedule);
    let legal = us_legal();
    let ny = [America::New_York];
    // Friday 18 December 2026, 07:30 EST: the campaign allows it, the TCPA does not.
    let friday_early = utc(2026, 12, 18, 12, 30);
    assert!(campaign.allows(friday_early, &ny));
    assert!(!may_call(friday_early, &ny, &[&campaign, &legal]));
    assert_eq!(
        next_open(friday_early, &ny, &[&campaign, &legal]),
        Some(utc(2026, 12, 18, 13, 0))
    );
    // Christmas is excluded: from Friday noon the next opening is New Year's Day.
    let after = utc(2026, 12, 18, 17, 0);
    assert_eq!(
        next_open(after, &ny, &[&campaign, &legal]),
        Some(utc(2027, 1, 1, 13, 0))
    );
}

#[test]
fn a_window_opening_inside_the_spring_gap_opens_when_the_clock_resumes() {
    let w = LocalWindows::daily(&DayOfWeek::ALL, hm(2, 30), hm(4, 0));
    let ny = [America::New_York];
    // 8 March 2026 02:00 EST jumps to 03:00 EDT (07:00 UTC); there is no 02:30.
    let before = utc(2026, 3, 8, 6, 0);
    assert_eq!(next_open(before, &ny, &[&w]), Some(utc(2026, 3, 8, 7, 0)));
}

#[test]
fn france_stops_for_lunch_and_weekends() {
    let fr = LegalWindows::default().for_region("fr").unwrap().clone();
    let paris = [Europe::Paris];
    // Monday 12 January 2026, CET = UTC+1.
    assert!(fr.allows(utc(2026, 1, 12, 10, 0), &paris));
    assert!(!fr.allows(utc(2026, 1, 12, 12, 30), &paris));
    assert!(!fr.allows(utc(2026, 1, 10, 10, 0), &paris), "Saturday");
    let canada = LegalWindows::default().for_region("CA").unwrap().clone();
    // Saturday 10 January 2026, 18:30 in Toronto (23:30 UTC): closed; Friday: open.
    assert!(!canada.allows(utc(2026, 1, 10, 23, 30), &[America::Toronto]));
    assert!(canada.allows(utc(2026, 1, 9, 23, 30), &[America::Toronto]));
}

mod property {
    use super::*;
    use proptest::prelude::*;

    const ZONES: [Tz; 5] = [
        America::New_York,
        America::Chicago,
        America::Denver,
        Europe::London,
        chrono_tz::Australia::Sydney,
    ];

    proptest! {
        /// `next_open` lands on an open instant, and nothing earlier (checked every
        /// five minutes) was open.
        #[test]
        fn next_open_is_open_and_nothing_earlier_is(
            minutes in 0i64..(366 * 24 * 60), first in 0usize..5, second in 0usize..5,
            start_hour in 6u32..12, length in 1u32..10,
        ) {
            let from = utc(2026, 1, 1, 0, 0) + TimeDelta::minutes(minutes);
            let zones = [ZONES[first], ZONES[second]];
            let end = hm((start_hour + length).min(23), 0);
            let w = LocalWindows::daily(&DayOfWeek::ALL[..5], hm(start_hour, 0), end);
            let Some(open) = next_open(from, &zones, &[&w]) else {
                // Zones too far apart for the windows ever to overlap.
                return Ok(());
            };
            prop_assert!(open >= from && may_call(open, &zones, &[&w]));
            let mut t = from;
            while t < open {
                prop_assert!(!may_call(t, &zones, &[&w]), "open at {t} before {open}");
                t += TimeDelta::minutes(5);
            }
        }
    }
}
