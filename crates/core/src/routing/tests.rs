#![allow(clippy::unwrap_used, clippy::expect_used)]

use cc_types::business_hours::{BusinessHours, HoursStatus, Weekday, WeeklyRange};
use cc_types::routing::{RoutingAction, RoutingCondition as C, RoutingRule};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use uuid::Uuid;

use super::*;

fn t(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap()
}

/// Monday 2026-01-05 at `h`:00 UTC.
fn monday(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, h, 0, 0).unwrap()
}

fn rule(n: u128, conditions: Vec<C>) -> RoutingRule {
    RoutingRule {
        id: Uuid::from_u128(n),
        name: format!("rule {n}"),
        conditions,
        action: RoutingAction::Flow {
            flow: Uuid::from_u128(100 + n),
        },
    }
}

fn office() -> BusinessHours {
    BusinessHours {
        id: Uuid::from_u128(77),
        name: "office".into(),
        time_zone: "Europe/Prague".into(),
        weekly: vec![WeeklyRange {
            day: Weekday::Monday,
            open: t(9),
            close: t(17),
        }],
        holidays: vec![],
        exceptions: vec![],
    }
}

fn facts() -> CallFacts {
    let mut f = CallFacts::new("+420800111222", "+420601234567", monday(10));
    f.caller_country = Some("CZ".into());
    f.language = Some("cs".into());
    f.tags = vec!["churn-risk".into(), "b2b".into()];
    f.segment = Some("vip".into());
    f.variables.insert("account_type".into(), "business".into());
    f.intent = Some("billing".into());
    f
}

fn list(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn each_condition_kind_holds_and_fails_on_the_right_facts() {
    let window = |from, to, days: Vec<Weekday>| C::TimeWindow {
        time_zone: "Europe/Prague".into(),
        days,
        from: t(from),
        to: t(to),
    };
    let hours = |status| C::BusinessHours {
        calendar: Uuid::from_u128(77),
        status,
    };
    let cases: Vec<(C, bool)> = vec![
        (
            C::CalledNumber {
                any_of: list(&["+420800111222"]),
            },
            true,
        ),
        (
            C::CalledNumber {
                any_of: list(&["+420800999999"]),
            },
            false,
        ),
        (
            C::CallerPrefix {
                prefix: "+4206".into(),
            },
            true,
        ),
        (
            C::CallerPrefix {
                prefix: "+421".into(),
            },
            false,
        ),
        (
            C::CallerCountry {
                any_of: list(&["SK", "CZ"]),
            },
            true,
        ),
        (
            C::CallerCountry {
                any_of: list(&["DE"]),
            },
            false,
        ),
        (window(10, 12, vec![Weekday::Monday]), true), // 11:00 Prague
        (window(10, 12, vec![Weekday::Tuesday]), false),
        (window(22, 6, vec![Weekday::Sunday]), false),
        (hours(HoursStatus::Open), true),
        (hours(HoursStatus::Closed), false),
        (
            C::Language {
                any_of: list(&["cs", "sk"]),
            },
            true,
        ),
        (
            C::Language {
                any_of: list(&["en"]),
            },
            false,
        ),
        (
            C::CustomerTag {
                any_of: list(&["b2b"]),
            },
            true,
        ),
        (
            C::CustomerTag {
                any_of: list(&["new"]),
            },
            false,
        ),
        (
            C::Segment {
                any_of: list(&["vip"]),
            },
            true,
        ),
        (
            C::Segment {
                any_of: list(&["standard"]),
            },
            false,
        ),
        (
            C::Variable {
                name: "account_type".into(),
                equals: "business".into(),
            },
            true,
        ),
        (
            C::Variable {
                name: "account_type".into(),
                equals: "home".into(),
            },
            false,
        ),
        (
            C::Variable {
                name: "missing".into(),
                equals: "".into(),
            },
            false,
        ),
        (
            C::Intent {
                any_of: list(&["billing"]),
            },
            true,
        ),
        (
            C::Intent {
                any_of: list(&["sales"]),
            },
            false,
        ),
    ];
    for (condition, holds) in cases {
        let set = RuleSet::compile(&[rule(1, vec![condition.clone()])], &[office()]).unwrap();
        assert_eq!(
            set.evaluate(&facts()).matched.is_some(),
            holds,
            "{condition:?}"
        );
    }
}

#[test]
fn first_match_wins_and_earlier_failures_are_explained() {
    let rules = vec![
        rule(
            1,
            vec![
                C::Segment {
                    any_of: list(&["vip"]),
                },
                C::Intent {
                    any_of: list(&["sales"]),
                },
                C::Language {
                    any_of: list(&["en"]),
                },
            ],
        ),
        rule(
            2,
            vec![C::CallerPrefix {
                prefix: "+1".into(),
            }],
        ),
        rule(
            3,
            vec![C::Intent {
                any_of: list(&["billing"]),
            }],
        ),
        rule(4, vec![]),
    ];
    let set = RuleSet::compile(&rules, &[]).unwrap();
    let decision = set.evaluate(&facts());
    let matched = decision.matched.unwrap();
    assert_eq!((matched.rule, matched.position), (Uuid::from_u128(3), 2));
    assert_eq!(
        matched.action,
        RoutingAction::Flow {
            flow: Uuid::from_u128(103)
        }
    );
    let misses: Vec<(Uuid, Vec<usize>)> = decision
        .misses
        .iter()
        .map(|m| (m.rule, m.failed_conditions().collect()))
        .collect();
    assert_eq!(
        misses,
        vec![
            (Uuid::from_u128(1), vec![1, 2]),
            (Uuid::from_u128(2), vec![0])
        ]
    );
}

#[test]
fn no_match_lists_every_rule() {
    let set = RuleSet::compile(
        &[rule(
            1,
            vec![C::Segment {
                any_of: list(&["gold"]),
            }],
        )],
        &[],
    )
    .unwrap();
    let decision = set.evaluate(&facts());
    assert!(decision.matched.is_none());
    assert_eq!(decision.misses.len(), 1);
}

#[test]
fn business_hours_condition_follows_the_calendar_over_the_day() {
    let rules = vec![rule(
        1,
        vec![C::BusinessHours {
            calendar: Uuid::from_u128(77),
            status: HoursStatus::Closed,
        }],
    )];
    let set = RuleSet::compile(&rules, &[office()]).unwrap();
    let at = |h| CallFacts {
        at: monday(h),
        ..facts()
    };
    assert!(
        set.evaluate(&at(7)).matched.is_some(),
        "08:00 Prague is closed"
    );
    assert!(
        set.evaluate(&at(8)).matched.is_none(),
        "09:00 Prague is open"
    );
    assert!(
        set.evaluate(&at(16)).matched.is_some(),
        "17:00 Prague is closed"
    );
}

#[test]
fn bad_rules_are_refused_at_compile_time() {
    let unknown = rule(
        1,
        vec![C::BusinessHours {
            calendar: Uuid::from_u128(5),
            status: HoursStatus::Open,
        }],
    );
    assert_eq!(
        RuleSet::compile(&[unknown], &[]).unwrap_err(),
        RoutingError::UnknownCalendar {
            rule: Uuid::from_u128(1),
            calendar: Uuid::from_u128(5)
        }
    );
    let bad_tz = rule(
        2,
        vec![C::TimeWindow {
            time_zone: "Nowhere".into(),
            days: vec![],
            from: t(1),
            to: t(2),
        }],
    );
    assert!(matches!(
        RuleSet::compile(&[bad_tz], &[]),
        Err(RoutingError::Hours { .. })
    ));
    let many = rule(3, vec![C::Segment { any_of: vec![] }; MAX_CONDITIONS + 1]);
    assert_eq!(
        RuleSet::compile(&[many], &[]).unwrap_err(),
        RoutingError::TooManyConditions {
            rule: Uuid::from_u128(3)
        }
    );
    let mut queue = rule(4, vec![]);
    queue.action = RoutingAction::Queue {
        queue: Uuid::nil(),
        priority: 0,
        skills: vec![],
    };
    assert_eq!(
        RuleSet::compile(&[queue], &[]).unwrap_err(),
        RoutingError::InvalidPriority {
            rule: Uuid::from_u128(4),
            priority: 0
        }
    );
}

#[test]
fn overnight_time_window_spills_into_the_next_day() {
    let window = C::TimeWindow {
        time_zone: "Europe/Prague".into(),
        days: vec![Weekday::Sunday],
        from: t(22),
        to: t(6),
    };
    let set = RuleSet::compile(&[rule(1, vec![window])], &[]).unwrap();
    let at = |d, h| CallFacts {
        at: Utc.with_ymd_and_hms(2026, 1, d, h, 0, 0).unwrap(),
        ..facts()
    };
    assert!(
        set.evaluate(&at(4, 20)).matched.is_none(),
        "Sunday 21:00 Prague"
    );
    assert!(
        set.evaluate(&at(4, 21)).matched.is_some(),
        "Sunday 22:00 Prague"
    );
    assert!(
        set.evaluate(&at(5, 4)).matched.is_some(),
        "Monday 05:00 Prague"
    );
    assert!(
        set.evaluate(&at(5, 5)).matched.is_none(),
        "Monday 06:00 Prague"
    );
    assert!(
        set.evaluate(&at(3, 23)).matched.is_none(),
        "Sunday 00:00 Prague belongs to Saturday night"
    );
}
