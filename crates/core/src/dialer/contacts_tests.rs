#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use chrono::{NaiveDate, TimeDelta, TimeZone};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 10, 16, 0, 0).unwrap()
}

fn contact(id: u32, priority: i32, due_in_mins: Option<i64>, left: u32) -> ContactState<u32, u8> {
    ContactState {
        id,
        priority,
        next_attempt_at: due_in_mins.map(|m| now() + TimeDelta::minutes(m)),
        attempts_left: left,
        callback: None,
    }
}

fn callback_at(hour: u32, minute: u32, agent: Option<u8>) -> ScheduledCallback<u8> {
    let local = NaiveDate::from_ymd_opt(2026, 6, 10)
        .unwrap()
        .and_hms_opt(hour, minute, 0)
        .unwrap();
    ScheduledCallback {
        local_time: local,
        zone: chrono_tz::America::Chicago,
        agent,
    }
}

#[test]
fn priority_then_due_time_then_attempts_left() {
    let list = [
        contact(1, 0, None, 3),
        contact(2, 5, Some(-10), 1),
        contact(3, 5, Some(-30), 1),
        contact(4, 5, Some(-30), 2),
        contact(5, 9, Some(10), 3),
        contact(6, 9, Some(-1), 0),
    ];
    let picked = next_contact(&list, now(), |_| true).map(|c| c.id);
    assert_eq!(picked, Some(4), "5 is not due, 6 has no attempts left");
    let picked = next_contact(&list, now(), |c| c.id != 4).map(|c| c.id);
    assert_eq!(picked, Some(3));
    assert!(next_contact(&list, now(), |_| false).is_none());
}

#[test]
fn a_due_callback_goes_first_at_the_customers_local_time() {
    let mut list = vec![contact(1, 100, None, 3), contact(2, 0, None, 3)];
    // 10:30 in Chicago (CDT, UTC-5) is 15:30 UTC: due at 16:00 UTC.
    list[1].callback = Some(callback_at(10, 30, Some(7)));
    assert_eq!(next_contact(&list, now(), |_| true).map(|c| c.id), Some(2));
    // 11:30 local is 16:30 UTC: not yet due, so it waits and others go.
    list[1].callback = Some(callback_at(11, 30, Some(7)));
    assert_eq!(next_contact(&list, now(), |_| true).map(|c| c.id), Some(1));
    assert_eq!(
        list[1].callback.as_ref().unwrap().due_at(),
        Some(now() + TimeDelta::minutes(30))
    );
}

#[test]
fn callbacks_go_to_the_same_agent_when_logged_in() {
    let cb = callback_at(10, 30, Some(7));
    assert_eq!(route_callback(&cb, &[3, 7]), CallbackRoute::SameAgent(7));
    assert_eq!(route_callback(&cb, &[3]), CallbackRoute::AnyAgent);
    assert_eq!(
        route_callback(&callback_at(10, 30, None), &[7]),
        CallbackRoute::AnyAgent
    );
}
