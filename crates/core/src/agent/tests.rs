#![allow(clippy::unwrap_used, clippy::expect_used)]

use cc_types::agent_state::{AgentStatus, NotReadyReason};
use chrono::{DateTime, TimeDelta, TimeZone, Utc};

use super::*;

fn missed() -> NotReadyReason {
    NotReadyReason::Custom("missed_offer".into())
}

fn states() -> Vec<AgentStatus> {
    vec![
        AgentStatus::Offline,
        AgentStatus::Available,
        AgentStatus::Reserved { accepted: false },
        AgentStatus::Reserved { accepted: true },
        AgentStatus::OnCall { on_hold: false },
        AgentStatus::OnCall { on_hold: true },
        AgentStatus::WrapUp,
        AgentStatus::NotReady {
            reason: NotReadyReason::Break,
        },
    ]
}

fn events() -> Vec<AgentEvent> {
    use AgentEvent as E;
    vec![
        E::LogIn,
        E::LogOut,
        E::SetReady,
        E::SetNotReady {
            reason: NotReadyReason::Lunch,
        },
        E::Offer,
        E::Accept,
        E::Reject,
        E::OfferTimeout,
        E::Connected,
        E::Hold,
        E::Unhold,
        E::CallEnded,
        E::WrapUpDone,
        E::WrapUpTimeout,
        E::SupervisorForce {
            to: AgentStatus::Available,
        },
    ]
}

/// Expected result for every state (rows, in `states()` order) × event (columns, in
/// `events()` order) under the default policy; `None` means the event is refused.
#[rustfmt::skip]
fn expected() -> Vec<Vec<Option<AgentStatus>>> {
    use AgentStatus as S;
    let off = || Some(S::Offline);
    let av = || Some(S::Available);
    let lunch = || Some(S::NotReady { reason: NotReadyReason::Lunch });
    let talk = || Some(S::OnCall { on_hold: false });
    let x = || None;
    vec![
        // LogIn LogOut Ready NotReady Offer Accept Reject Timeout Connected Hold Unhold Ended WrapDone WrapTimeout Force
        vec![av(), x(), x(), x(), x(), x(), x(), x(), x(), x(), x(), x(), x(), x(), av()],
        vec![x(), off(), x(), lunch(), Some(S::Reserved { accepted: false }), x(), x(), x(), x(), x(), x(), x(), x(), x(), av()],
        vec![x(), x(), x(), x(), x(), Some(S::Reserved { accepted: true }), av(), Some(S::NotReady { reason: missed() }), talk(), x(), x(), av(), x(), x(), av()],
        vec![x(), x(), x(), x(), x(), x(), x(), x(), talk(), x(), x(), av(), x(), x(), av()],
        vec![x(), x(), x(), x(), x(), x(), x(), x(), x(), Some(S::OnCall { on_hold: true }), x(), Some(S::WrapUp), x(), x(), av()],
        vec![x(), x(), x(), x(), x(), x(), x(), x(), x(), x(), talk(), Some(S::WrapUp), x(), x(), av()],
        vec![x(), off(), av(), lunch(), x(), x(), x(), x(), x(), x(), x(), x(), av(), av(), av()],
        vec![x(), off(), av(), lunch(), x(), x(), x(), x(), x(), x(), x(), x(), x(), x(), av()],
    ]
}

#[test]
fn every_state_event_pair_matches_the_table() {
    let policy = AgentPolicy::default();
    let table = expected();
    let mut checked = 0;
    for (state, row) in states().iter().zip(&table) {
        assert_eq!(row.len(), events().len(), "row for {state:?}");
        for (event, want) in events().iter().zip(row) {
            let got = transition(state, event, &policy);
            match (want, got) {
                (Some(want), Ok(t)) => assert_eq!(&t.to, want, "{state:?} + {event:?}"),
                (None, Err(e)) => {
                    assert_eq!((&e.from, &e.event), (state, event));
                    let text = e.to_string();
                    assert!(
                        text.contains(&format!("{event:?}"))
                            && text.contains(&format!("{state:?}"))
                    );
                }
                (want, got) => panic!("{state:?} + {event:?}: expected {want:?}, got {got:?}"),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, states().len() * events().len());
}

#[test]
fn force_is_recorded_as_forced_and_reaches_any_state() {
    let policy = AgentPolicy::default();
    for from in states() {
        for to in states() {
            let t = transition(
                &from,
                &AgentEvent::SupervisorForce { to: to.clone() },
                &policy,
            )
            .unwrap();
            assert!(t.forced);
            assert_eq!(t.to, to);
        }
    }
    let normal = transition(&AgentStatus::Offline, &AgentEvent::LogIn, &policy).unwrap();
    assert!(!normal.forced);
}

#[test]
fn policies_change_missed_offer_and_wrap_up_outcomes() {
    let policy = AgentPolicy {
        offer_timeout_secs: 7,
        missed_offer_not_ready: None,
        max_wrap_up_secs: None,
        auto_ready_after_wrap_up: false,
        wrap_up_overrun_reason: NotReadyReason::Meeting,
    };
    let offered = transition(&AgentStatus::Available, &AgentEvent::Offer, &policy).unwrap();
    assert_eq!(offered.timer, Some(AgentTimer::Offer { secs: 7 }));
    let missed = transition(&offered.to, &AgentEvent::OfferTimeout, &policy).unwrap();
    assert_eq!(missed.to, AgentStatus::Available);
    let ended = transition(
        &AgentStatus::OnCall { on_hold: false },
        &AgentEvent::CallEnded,
        &policy,
    )
    .unwrap();
    assert_eq!(ended.timer, None);
    let overrun = transition(&AgentStatus::WrapUp, &AgentEvent::WrapUpTimeout, &policy).unwrap();
    assert_eq!(
        overrun.to,
        AgentStatus::NotReady {
            reason: NotReadyReason::Meeting
        }
    );
    let default = AgentPolicy::default();
    let ended = transition(
        &AgentStatus::OnCall { on_hold: true },
        &AgentEvent::CallEnded,
        &default,
    )
    .unwrap();
    assert_eq!(ended.timer, Some(AgentTimer::WrapUp { secs: 120 }));
}

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, h, m, s).unwrap()
}

#[test]
fn time_in_state_is_split_across_interval_boundaries() {
    use AgentEvent as E;
    let policy = AgentPolicy::default();
    let mut agent = AgentTimeline::new(at(8, 50, 0));
    agent.apply(E::LogIn, at(9, 10, 0), &policy).unwrap();
    agent.apply(E::Offer, at(9, 12, 0), &policy).unwrap();
    agent.apply(E::Connected, at(9, 12, 30), &policy).unwrap();
    agent.apply(E::Hold, at(9, 14, 0), &policy).unwrap();
    agent.apply(E::Unhold, at(9, 17, 0), &policy).unwrap();
    agent.apply(E::CallEnded, at(9, 29, 0), &policy).unwrap();
    agent.apply(E::WrapUpDone, at(9, 31, 0), &policy).unwrap();
    agent
        .apply(
            E::SetNotReady {
                reason: NotReadyReason::Break,
            },
            at(9, 40, 0),
            &policy,
        )
        .unwrap();
    let totals = agent.interval_totals(IntervalLength::Minutes15, at(9, 50, 0));
    let starts: Vec<_> = totals.iter().map(|t| t.start).collect();
    assert_eq!(
        starts,
        vec![
            at(8, 45, 0),
            at(9, 0, 0),
            at(9, 15, 0),
            at(9, 30, 0),
            at(9, 45, 0)
        ]
    );
    let get = |i: usize, b: TimeBucket| totals[i].totals.get(&b).copied().unwrap_or_default();
    assert!(totals[0].totals.is_empty(), "offline time is not counted");
    assert_eq!(get(1, TimeBucket::Available), TimeDelta::minutes(2));
    assert_eq!(get(1, TimeBucket::Reserved), TimeDelta::seconds(30));
    assert_eq!(get(1, TimeBucket::Talk), TimeDelta::seconds(90));
    assert_eq!(get(1, TimeBucket::Hold), TimeDelta::minutes(1));
    assert_eq!(get(2, TimeBucket::Hold), TimeDelta::minutes(2));
    assert_eq!(get(2, TimeBucket::Talk), TimeDelta::minutes(12));
    assert_eq!(get(2, TimeBucket::WrapUp), TimeDelta::minutes(1));
    assert_eq!(get(3, TimeBucket::WrapUp), TimeDelta::minutes(1));
    assert_eq!(get(3, TimeBucket::Available), TimeDelta::minutes(9));
    let brk = TimeBucket::NotReady(NotReadyReason::Break);
    assert_eq!(get(3, brk.clone()), TimeDelta::minutes(5));
    assert_eq!(get(4, brk), TimeDelta::minutes(5));
    let sum: TimeDelta = totals.iter().flat_map(|t| t.totals.values()).sum();
    assert_eq!(sum, at(9, 50, 0) - at(9, 10, 0));
}

#[test]
fn thirty_minute_intervals_and_long_spans() {
    let policy = AgentPolicy::default();
    let mut agent = AgentTimeline::new(at(9, 0, 0));
    agent
        .apply(AgentEvent::LogIn, at(9, 20, 0), &policy)
        .unwrap();
    let totals = agent.interval_totals(IntervalLength::Minutes30, at(11, 5, 0));
    let avail: Vec<_> = totals
        .iter()
        .map(|t| t.totals.get(&TimeBucket::Available).copied())
        .collect();
    let m = |n| Some(TimeDelta::minutes(n));
    assert_eq!(avail, vec![m(10), m(30), m(30), m(30), m(5)]);
}

#[test]
fn refused_and_out_of_order_events_leave_the_timeline_unchanged() {
    let policy = AgentPolicy::default();
    let mut agent = AgentTimeline::new(at(9, 0, 0));
    agent
        .apply(AgentEvent::LogIn, at(9, 5, 0), &policy)
        .unwrap();
    let err = agent
        .apply(AgentEvent::Hold, at(9, 6, 0), &policy)
        .unwrap_err();
    assert!(matches!(err, TimelineError::Invalid(_)));
    let err = agent
        .apply(AgentEvent::LogOut, at(9, 4, 0), &policy)
        .unwrap_err();
    assert_eq!(
        err,
        TimelineError::OutOfOrder {
            last: at(9, 5, 0),
            at: at(9, 4, 0)
        }
    );
    assert_eq!(agent.stamps().len(), 2);
    let forced = AgentEvent::SupervisorForce {
        to: AgentStatus::Offline,
    };
    agent.apply(forced, at(9, 7, 0), &policy).unwrap();
    assert!(agent.stamps()[2].forced);
    assert_eq!(agent.status(), &AgentStatus::Offline);
}
