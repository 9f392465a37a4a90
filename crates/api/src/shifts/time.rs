//! Wall-clock times to instants: a template's local start and end on a date, in a time
//! zone, across daylight-saving changes; and the rules every shift's times obey.

use cc_types::shifts::{
    MAX_SHIFT_HOURS, ShiftBreak, TemplateBreak, local_instant, parse_time_of_day,
};
use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::error::FieldIssue;

/// Minutes from midnight as a time on `date`.
fn at(date: NaiveDate, minutes: u32) -> NaiveDateTime {
    date.and_time(chrono::NaiveTime::MIN) + TimeDelta::minutes(i64::from(minutes))
}

/// Nominal length in minutes of a template from `start` to `end` (`HH:MM`); an end at or
/// before the start is on the next day.
pub fn template_minutes(start: &str, end: &str) -> u32 {
    let (s, e) = (
        parse_time_of_day(start).unwrap_or(0),
        parse_time_of_day(end).unwrap_or(0),
    );
    if e > s { e - s } else { e + 1440 - s }
}

/// The shift a template makes on `date` in `tz`: its start and end instants and its
/// breaks (at elapsed offsets from the start; a break past a shortened end is cut at it,
/// and dropped when nothing is left).
pub fn from_template(
    tz: Tz,
    date: NaiveDate,
    start_time: &str,
    end_time: &str,
    breaks: &[TemplateBreak],
) -> (DateTime<Utc>, DateTime<Utc>, Vec<ShiftBreak>) {
    let s = parse_time_of_day(start_time).unwrap_or(0);
    let e = parse_time_of_day(end_time).unwrap_or(0);
    let end_date = if e > s {
        date
    } else {
        date.checked_add_days(Days::new(1)).unwrap_or(date)
    };
    let start = local_instant(tz, at(date, s));
    let end = local_instant(tz, at(end_date, e));
    let cut = breaks
        .iter()
        .filter_map(|b| {
            let from = start + TimeDelta::minutes(i64::from(b.after_minutes));
            let to = (from + TimeDelta::minutes(i64::from(b.minutes))).min(end);
            (to > from).then_some(ShiftBreak {
                start: from,
                end: to,
                paid: b.paid,
            })
        })
        .collect();
    (start, end, cut)
}

/// The rules of a shift's times: the end after the start and at most 24 hours later;
/// each break after its own start, inside the shift, and apart from the others.
pub fn check(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    breaks: &[ShiftBreak],
) -> Result<(), Vec<FieldIssue>> {
    let mut issues = Vec::new();
    if end <= start {
        issues.push(FieldIssue::new("end", "after_start"));
    } else if end - start > TimeDelta::hours(MAX_SHIFT_HOURS) {
        issues.push(FieldIssue {
            max: Some(MAX_SHIFT_HOURS),
            ..FieldIssue::new("end", "max_hours")
        });
    }
    let mut sorted: Vec<&ShiftBreak> = breaks.iter().collect();
    sorted.sort_by_key(|b| b.start);
    for (i, b) in sorted.iter().enumerate() {
        if b.end <= b.start {
            issues.push(FieldIssue::new("breaks", "after_start"));
        } else if b.start < start || b.end > end {
            issues.push(FieldIssue::new("breaks", "within_shift"));
        } else if i > 0 && sorted[i - 1].end > b.start {
            issues.push(FieldIssue::new("breaks", "overlap"));
        }
    }
    if issues.is_empty() {
        Ok(())
    } else {
        Err(issues)
    }
}

/// The rule of a template's breaks: inside its nominal length, apart from each other.
pub fn check_template(minutes: u32, breaks: &[TemplateBreak]) -> Result<(), Vec<FieldIssue>> {
    let base = DateTime::<Utc>::UNIX_EPOCH;
    let as_shift: Vec<ShiftBreak> = breaks
        .iter()
        .map(|b| ShiftBreak {
            start: base + TimeDelta::minutes(i64::from(b.after_minutes)),
            end: base + TimeDelta::minutes(i64::from(b.after_minutes + b.minutes)),
            paid: b.paid,
        })
        .collect();
    check(
        base,
        base + TimeDelta::minutes(i64::from(minutes)),
        &as_shift,
    )
}

/// Minutes of the shift, less its unpaid breaks.
pub fn paid_minutes(start: DateTime<Utc>, end: DateTime<Utc>, breaks: &[ShiftBreak]) -> i64 {
    let unpaid: i64 = breaks
        .iter()
        .filter(|b| !b.paid)
        .map(|b| (b.end - b.start).num_minutes())
        .sum();
    (end - start).num_minutes() - unpaid
}

/// The span a report asks for: `from` defaults to the start of today in `tz`, `to` to a
/// day later; `to` must follow `from` (422 `after_from`) by at most `max_days` (422
/// `max_days`). Adherence, staffing and performance reports all read their span this way.
pub fn report_span(
    tz: Tz,
    now: DateTime<Utc>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    max_days: i64,
) -> Result<(DateTime<Utc>, DateTime<Utc>), crate::error::ApiError> {
    let today = now
        .with_timezone(&tz)
        .date_naive()
        .and_time(chrono::NaiveTime::MIN);
    let from = from.unwrap_or_else(|| local_instant(tz, today));
    let to = to.unwrap_or(from + TimeDelta::hours(24));
    if to <= from {
        let issue = FieldIssue::new("to", "after_from");
        return Err(crate::error::ApiError::Validation(vec![issue]));
    }
    if to - from > TimeDelta::days(max_days) {
        let issue = FieldIssue {
            max: Some(max_days),
            ..FieldIssue::new("to", "max_days")
        };
        return Err(crate::error::ApiError::Validation(vec![issue]));
    }
    Ok((from, to))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "time_tests.rs"]
mod tests;
