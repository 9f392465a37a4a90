use super::*;
use chrono::NaiveDate;
use chrono_tz::{America::New_York, Europe::Prague};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn hours(start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
    (end - start).num_minutes()
}

#[test]
fn a_prague_night_shift_over_the_last_sunday_of_march_is_an_hour_shorter() {
    // 2027-03-28 is the last Sunday of March: 02:00 CET becomes 03:00 CEST.
    let (s, e, _) = from_template(Prague, day(2027, 3, 27), "22:00", "06:00", &[]);
    assert_eq!(
        (s, e),
        (utc("2027-03-27T21:00:00Z"), utc("2027-03-28T04:00:00Z"))
    );
    assert_eq!(hours(s, e), 7 * 60);
    let (s, e, _) = from_template(Prague, day(2027, 3, 20), "22:00", "06:00", &[]);
    assert_eq!(
        (s, e),
        (utc("2027-03-20T21:00:00Z"), utc("2027-03-21T05:00:00Z"))
    );
    let (s, e, _) = from_template(Prague, day(2027, 3, 29), "22:00", "06:00", &[]);
    assert_eq!(
        (s, e),
        (utc("2027-03-29T20:00:00Z"), utc("2027-03-30T04:00:00Z"))
    );
}

#[test]
fn a_new_york_day_shift_moves_an_hour_in_utc_over_the_second_sunday_of_march() {
    // 2027-03-14 is the second Sunday of March: 02:00 EST becomes 03:00 EDT.
    let (s, e, _) = from_template(New_York, day(2027, 3, 13), "09:00", "17:00", &[]);
    assert_eq!(
        (s, e),
        (utc("2027-03-13T14:00:00Z"), utc("2027-03-13T22:00:00Z"))
    );
    let (s, e, _) = from_template(New_York, day(2027, 3, 15), "09:00", "17:00", &[]);
    assert_eq!(
        (s, e),
        (utc("2027-03-15T13:00:00Z"), utc("2027-03-15T21:00:00Z"))
    );
    let (s, e, _) = from_template(New_York, day(2027, 3, 13), "22:00", "06:00", &[]);
    assert_eq!(
        (s, e),
        (utc("2027-03-14T03:00:00Z"), utc("2027-03-14T10:00:00Z"))
    );
    assert_eq!(hours(s, e), 7 * 60);
}

#[test]
fn a_skipped_time_lands_after_the_gap_and_a_repeated_one_is_the_first() {
    let skipped = day(2027, 3, 28).and_hms_opt(2, 30, 0).unwrap();
    assert_eq!(local_instant(Prague, skipped), utc("2027-03-28T01:30:00Z")); // 03:30 CEST
    let twice = day(2027, 10, 31).and_hms_opt(2, 30, 0).unwrap();
    assert_eq!(local_instant(Prague, twice), utc("2027-10-31T00:30:00Z")); // the CEST one
    let (s, e, _) = from_template(Prague, day(2027, 10, 30), "22:00", "06:00", &[]);
    assert_eq!(hours(s, e), 9 * 60);
}

#[test]
fn breaks_keep_their_elapsed_offsets_and_are_cut_at_a_shortened_end() {
    let brk = |after, minutes| TemplateBreak {
        after_minutes: after,
        minutes,
        paid: false,
    };
    let (s, e, b) = from_template(
        Prague,
        day(2027, 3, 27),
        "22:00",
        "06:00",
        &[brk(240, 30), brk(400, 30), brk(450, 15)],
    );
    assert_eq!(b.len(), 2, "the break after the shortened end is dropped");
    assert_eq!(b[0].start, s + TimeDelta::minutes(240));
    assert_eq!(b[1].end, e, "cut at the end");
    assert_eq!(hours(b[1].start, b[1].end), 20);
    assert_eq!(paid_minutes(s, e, &b), 420 - 50);
}

#[test]
fn the_rules_of_shift_times() {
    let s = utc("2027-01-04T08:00:00Z");
    let brk = |a: &str, b: &str| ShiftBreak {
        start: utc(a),
        end: utc(b),
        paid: true,
    };
    let rules = |e: &str, b: &[ShiftBreak]| -> Vec<String> {
        check(s, utc(e), b)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|i| format!("{}:{}", i.field, i.rule))
            .collect()
    };
    assert!(rules("2027-01-04T16:00:00Z", &[]).is_empty());
    assert!(
        rules("2027-01-05T08:00:00Z", &[]).is_empty(),
        "24 hours is allowed"
    );
    assert_eq!(rules("2027-01-04T08:00:00Z", &[]), ["end:after_start"]);
    assert_eq!(rules("2027-01-05T08:01:00Z", &[]), ["end:max_hours"]);
    let inside = brk("2027-01-04T10:00:00Z", "2027-01-04T10:15:00Z");
    assert!(rules("2027-01-04T16:00:00Z", &[inside]).is_empty());
    let outside = brk("2027-01-04T07:50:00Z", "2027-01-04T08:10:00Z");
    assert_eq!(
        rules("2027-01-04T16:00:00Z", &[outside]),
        ["breaks:within_shift"]
    );
    let backwards = brk("2027-01-04T11:00:00Z", "2027-01-04T10:00:00Z");
    assert_eq!(
        rules("2027-01-04T16:00:00Z", &[backwards]),
        ["breaks:after_start"]
    );
    let clash = brk("2027-01-04T10:10:00Z", "2027-01-04T10:30:00Z");
    assert_eq!(
        rules("2027-01-04T16:00:00Z", &[clash, inside]),
        ["breaks:overlap"]
    );
}

#[test]
fn template_lengths_wrap_past_midnight() {
    assert_eq!(template_minutes("09:00", "17:30"), 510);
    assert_eq!(template_minutes("22:00", "06:00"), 480);
    assert_eq!(template_minutes("08:00", "08:00"), 1440);
    let brk = |after, minutes| TemplateBreak {
        after_minutes: after,
        minutes,
        paid: true,
    };
    assert!(check_template(480, &[brk(470, 10)]).is_ok());
    assert!(check_template(480, &[brk(471, 10)]).is_err());
}
