use cc_types::business_hours::{BusinessHours, Weekday, WeeklyRange};
use chrono::{DateTime, NaiveTime, TimeZone, Utc};

use super::fixtures::*;
use crate::flow::expr::Value;
use crate::flow::*;
use crate::hours::Calendar;

/// Monday 2026-01-05 at `h`:00 UTC; the calendar is open 09–17 UTC on Mondays.
fn env(h: u32) -> FlowEnv {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
    let hours = BusinessHours {
        id: CALENDAR,
        name: s("office"),
        time_zone: s("UTC"),
        weekly: vec![WeeklyRange {
            day: Weekday::Monday,
            open: t(9),
            close: t(17),
        }],
        holidays: vec![],
        exceptions: vec![],
    };
    let now: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 1, 5, h, 0, 0).unwrap();
    let mut env = FlowEnv::at(now);
    env.calendars
        .insert(CALENDAR, Calendar::compile(&hours).unwrap());
    env
}

fn started() -> FlowEvent {
    FlowEvent::Started {
        caller: s("+420601000000"),
        called: s("+420800100200"),
        tags: vec![],
    }
}

fn digits(d: &str) -> FlowEvent {
    FlowEvent::Digits { digits: s(d) }
}

fn published() -> PublishedFlow {
    PublishedFlow::publish(support_flow()).unwrap()
}

fn enqueued(actions: &[FlowAction]) -> Option<(u8, &std::collections::BTreeMap<String, Value>)> {
    actions.iter().find_map(|a| match a {
        FlowAction::Enqueue {
            priority,
            variables,
            ..
        } => Some((*priority, variables)),
        _ => None,
    })
}

#[test]
fn menu_retry_on_invalid_digit_then_queue() {
    let flow = published();
    let run = dry_run(
        &flow,
        [
            started(),
            digits("1"),
            digits("5"),
            digits("1"),
            digits("12345#"),
            FlowEvent::ActionCompleted {
                result: ActionResult::WebhookOk { body: s("gold") },
            },
        ],
        &env(10),
    );
    assert_eq!(run.error, None);
    assert_eq!(
        run.path,
        [
            "start",
            "hours",
            "lang",
            "menu",
            "menu",
            "account",
            "lookup",
            "is_vip",
            "vip_queue"
        ]
    );
    let menu_prompts = run
        .actions
        .iter()
        .filter(|a| matches!(a, FlowAction::Say { text, .. } if text.starts_with("Billing")))
        .count();
    assert_eq!(menu_prompts, 2, "the invalid digit repeats the menu");
    let (priority, vars) = enqueued(&run.actions).unwrap();
    assert_eq!(priority, 9);
    assert_eq!(vars.get("account"), Some(&Value::Text(s("12345"))));
    assert_eq!(vars.get("tier"), Some(&Value::Text(s("gold"))));
    assert_eq!(run.state.waiting, Waiting::Ended);
}

#[test]
fn closed_hours_go_to_voicemail() {
    let run = dry_run(&published(), [started()], &env(20));
    assert_eq!(run.path, ["start", "hours", "closed_msg", "vm"]);
    assert_eq!(
        run.actions,
        vec![
            FlowAction::Say {
                text: s("We are closed."),
                language: s("en")
            },
            FlowAction::RecordVoicemail { mailbox: MAILBOX },
        ]
    );
}

#[test]
fn ai_agent_hands_off_to_a_queue_with_its_summary() {
    let handed = FlowEvent::ActionCompleted {
        result: ActionResult::AiHandedOff {
            summary: s("Router keeps rebooting"),
        },
    };
    let run = dry_run(
        &published(),
        [started(), digits("2"), digits("2"), handed],
        &env(10),
    );
    assert_eq!(run.error, None);
    assert!(run.actions.contains(&FlowAction::ConnectAi {
        profile: BOT,
        allowed_tools: vec![s("crm.lookup")],
        language: s("cs")
    }));
    assert!(run.actions.contains(&FlowAction::Say {
        text: s("Fakturace 1, technika 2."),
        language: s("cs")
    }));
    let (priority, vars) = enqueued(&run.actions).unwrap();
    assert_eq!(priority, 6);
    assert_eq!(
        vars.get("ai_summary"),
        Some(&Value::Text(s("Router keeps rebooting")))
    );
}

#[test]
fn webhook_timeout_takes_the_failure_branch_and_stale_timers_are_ignored() {
    let flow = published();
    let run = dry_run(
        &flow,
        [started(), digits("1"), digits("1"), digits("4444")],
        &env(10),
    );
    assert!(run.actions.contains(&FlowAction::SetTimer {
        timer: 1,
        after_ms: 3000
    }));
    let (state, actions) = step(
        &flow,
        run.state.clone(),
        FlowEvent::TimerFired { timer: 7 },
        &env(10),
    )
    .unwrap();
    assert!(actions.is_empty());
    let (state, actions) =
        step(&flow, state, FlowEvent::TimerFired { timer: 1 }, &env(10)).unwrap();
    assert_eq!(state.path.last().map(String::as_str), Some("billing_queue"));
    assert_eq!(enqueued(&actions).map(|e| e.0), Some(5));
    let late = FlowEvent::ActionCompleted {
        result: ActionResult::WebhookOk { body: s("gold") },
    };
    assert!(matches!(
        step(&flow, state, late, &env(10)),
        Err(StepError::Unexpected { .. })
    ));
}

#[test]
fn silence_exhausts_the_retries_then_takes_the_no_input_branch() {
    let run = dry_run(
        &published(),
        [
            started(),
            digits("1"),
            FlowEvent::NoInput,
            FlowEvent::NoInput,
        ],
        &env(10),
    );
    assert_eq!(
        run.state.waiting,
        Waiting::Input {
            node: s("menu"),
            retries: 2
        }
    );
    let run = dry_run(
        &published(),
        [
            started(),
            digits("1"),
            FlowEvent::NoInput,
            FlowEvent::NoInput,
            FlowEvent::NoInput,
        ],
        &env(10),
    );
    assert_eq!(run.actions.last(), Some(&FlowAction::Hangup));
    assert_eq!(run.path.last().map(String::as_str), Some("bye"));
}

#[test]
fn gather_rejects_too_short_input_and_speech_sets_intent() {
    let run = dry_run(
        &published(),
        [
            started(),
            digits("1"),
            digits("1"),
            digits("12#"),
            digits("99"),
        ],
        &env(10),
    );
    assert_eq!(
        run.path.last().map(String::as_str),
        Some("billing_queue"),
        "two invalid tries with one retry"
    );
    let speech = FlowEvent::Speech {
        text: s("one"),
        language: Some(s("en")),
        intent: Some(s("billing")),
        sentiment: Some(-0.4),
    };
    let run = dry_run(&published(), [started(), digits("1"), speech], &env(10));
    assert_eq!(
        run.state.variables.get("intent"),
        Some(&Value::Text(s("billing")))
    );
    assert_eq!(
        run.state.waiting,
        Waiting::Input {
            node: s("menu"),
            retries: 1
        }
    );
}

#[test]
fn hang_up_ends_the_flow_and_later_events_are_refused() {
    let run = dry_run(
        &published(),
        [started(), FlowEvent::HungUp, digits("1")],
        &env(10),
    );
    assert_eq!(run.state.waiting, Waiting::Ended);
    assert_eq!(run.error.map(|e| e.0), Some(2));
}

#[test]
fn a_call_keeps_its_version_and_published_versions_never_change() {
    let mut library = FlowLibrary::default();
    let v1 = library.publish(support_flow()).unwrap();
    assert!(matches!(
        library.publish(support_flow()),
        Err(PublishError::AlreadyPublished { version: 1, .. })
    ));
    let mut next = support_flow();
    next.version = 2;
    replace(
        &mut next,
        "closed_msg",
        cc_types::call_flow::NodeKind::Say {
            text: prompt("Closed, sorry.", "Zavřeno."),
            next: s("vm"),
        },
    );
    library.publish(next).unwrap();
    let call = CallState::new(v1.id(), v1.version());
    let latest = library.latest(v1.id()).unwrap();
    assert_eq!(latest.version(), 2);
    assert_eq!(
        step(&latest, call.clone(), started(), &env(20)),
        Err(StepError::VersionMismatch { call: 1, flow: 2 })
    );
    let pinned = library.get(v1.id(), 1).unwrap();
    let (_, actions) = step(&pinned, call, started(), &env(20)).unwrap();
    assert_eq!(
        actions[0],
        FlowAction::Say {
            text: s("We are closed."),
            language: s("en")
        }
    );
}

#[test]
fn invalid_flows_cannot_be_published() {
    let mut flow = support_flow();
    flow.nodes
        .push(node("orphan", cc_types::call_flow::NodeKind::Hangup));
    match PublishedFlow::publish(flow) {
        Err(PublishError::Invalid(problems)) => assert_eq!(problems.len(), 1),
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn conditions_read_time_and_business_hours_builtins() {
    use cc_types::call_flow::{CallFlow, NodeKind};
    let flow = CallFlow {
        id: uuid::Uuid::from_u128(0xF11),
        version: 1,
        name: s("builtins"),
        languages: vec![s("en")],
        nodes: vec![
            node("start", NodeKind::Start { next: s("check") }),
            node(
                "check",
                NodeKind::Condition {
                    expression: s(
                        "business_hours == 'open' && hour == 10 && weekday == 1 && !(caller contains '+1')",
                    ),
                    then: s("desk"),
                    otherwise: s("bye"),
                },
            ),
            node(
                "desk",
                NodeKind::Transfer {
                    number: s("+420222000111"),
                },
            ),
            node("bye", NodeKind::Hangup),
        ],
    };
    let flow = PublishedFlow::publish(flow).unwrap();
    let mut open = env(10);
    open.default_calendar = Some(CALENDAR);
    let run = dry_run(&flow, [started()], &open);
    assert_eq!(
        run.actions,
        vec![FlowAction::Transfer {
            number: s("+420222000111")
        }]
    );
    let mut late = env(11);
    late.default_calendar = Some(CALENDAR);
    assert_eq!(
        dry_run(&flow, [started()], &late).actions,
        vec![FlowAction::Hangup],
        "hour is 11"
    );
    assert_eq!(
        dry_run(&flow, [started()], &env(10)).actions,
        vec![FlowAction::Hangup],
        "no default calendar"
    );
}
