#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn answered(wait: f64) -> OfferedCall {
    OfferedCall::Answered {
        wait_secs: wait,
        talk_secs: 200.0,
        hold_secs: 30.0,
        wrap_secs: 70.0,
    }
}

fn abandoned(wait: f64) -> OfferedCall {
    OfferedCall::Abandoned { wait_secs: wait }
}

fn close(a: Option<f64>, b: f64) {
    let a = a.unwrap();
    assert!((a - b).abs() < 1e-12, "{a} vs {b}");
}

#[test]
fn service_level_leaves_short_abandons_out() {
    let calls = [
        answered(5.0),
        answered(20.0),
        answered(45.0),
        abandoned(3.0),
        abandoned(30.0),
    ];
    let s = KpiSettings::default();
    // Answered in 20 s: 2; counted: 3 answered + 1 long abandon.
    close(service_level(&calls, &s), 2.0 / 4.0);
    close(abandon_rate(&calls, &s), 1.0 / 4.0);
    let keep_all = KpiSettings {
        short_abandon_secs: 0.0,
        ..s
    };
    close(service_level(&calls, &keep_all), 2.0 / 5.0);
    close(abandon_rate(&calls, &keep_all), 2.0 / 5.0);
}

#[test]
fn asa_and_aht_average_answered_calls_only() {
    let calls = [answered(10.0), answered(30.0), abandoned(100.0)];
    close(average_speed_of_answer(&calls), 20.0);
    close(average_handle_time(&calls), 300.0);
    assert_eq!(average_handle_time(&[abandoned(1.0)]), None);
    assert_eq!(service_level(&[], &KpiSettings::default()), None);
}

#[test]
fn occupancy_ignores_not_ready_time_and_utilization_does_not() {
    let t = AgentTime {
        handling_secs: 6.0 * 3600.0,
        available_secs: 1.5 * 3600.0,
        not_ready_secs: 0.5 * 3600.0,
    };
    close(occupancy(&t), 0.8);
    close(utilization(&t), 0.75);
    assert_eq!(occupancy(&AgentTime::default()), None);
}

#[test]
fn adherence_counts_time_doing_what_the_schedule_says() {
    #[derive(PartialEq)]
    enum Plan {
        Phones,
        Break,
    }
    #[derive(PartialEq)]
    enum State {
        Ready,
        OnCall,
        Break,
    }
    fn seg<T>(start: f64, end: f64, what: T) -> Segment<T> {
        Segment { start, end, what }
    }
    let plan = [
        seg(0.0, 3600.0, Plan::Phones),
        seg(3600.0, 4500.0, Plan::Break),
    ];
    let actual = [
        seg(0.0, 600.0, State::Break), // late back from the previous break
        seg(600.0, 2000.0, State::Ready),
        seg(2000.0, 3900.0, State::OnCall), // the call ran into the break
        seg(3900.0, 4500.0, State::Break),
    ];
    let fits = |p: &Plan, s: &State| match p {
        Plan::Phones => matches!(s, State::Ready | State::OnCall),
        Plan::Break => *s == State::Break,
    };
    close(
        schedule_adherence(&plan, &actual, fits),
        (3000.0 + 600.0) / 4500.0,
    );
}
