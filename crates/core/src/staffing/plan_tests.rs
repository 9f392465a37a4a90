#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use chrono::TimeZone;

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, hour, minute, 0).unwrap()
}

#[test]
fn shrinkage_turns_agents_into_headcount() {
    assert_eq!(headcount_with_shrinkage(14, 0.30), Ok(20));
    assert_eq!(headcount_with_shrinkage(14, 0.0), Ok(14));
    assert_eq!(headcount_with_shrinkage(10, 0.35), Ok(16));
    assert!(headcount_with_shrinkage(10, 1.0).is_err());
    assert!(headcount_with_shrinkage(10, -0.1).is_err());
}

#[test]
fn plan_compares_required_agents_with_shifts_minus_breaks() {
    let target = ServiceLevelTarget {
        service_level: 0.8,
        answer_within_secs: 20.0,
    };
    let forecast = [
        ForecastInterval {
            start: at(9, 0),
            calls_offered: 100.0,
            aht_secs: 180.0,
        },
        ForecastInterval {
            start: at(9, 30),
            calls_offered: 0.0,
            aht_secs: 180.0,
        },
    ];
    // 15 agents all morning; one of them on a 15-minute break at 09:00.
    let mut shifts: Vec<ScheduledShift> = (0..15)
        .map(|_| ScheduledShift {
            start: at(8, 0),
            end: at(12, 0),
            breaks: vec![],
        })
        .collect();
    shifts[0].breaks.push(ShiftBreak {
        start: at(9, 0),
        end: at(9, 15),
    });
    // One more who starts at 09:45: half of the second interval.
    shifts.push(ScheduledShift {
        start: at(9, 45),
        end: at(12, 0),
        breaks: vec![],
    });

    let plan = staffing_plan(&forecast, IntervalLength::Minutes30, target, &shifts).unwrap();
    assert_eq!(plan[0].required_agents, 14, "10 Erlangs at 80/20");
    assert!((plan[0].traffic_erlangs - 10.0).abs() < 1e-12);
    assert!((plan[0].scheduled_agents - 14.5).abs() < 1e-12);
    assert!((plan[0].gap - 0.5).abs() < 1e-12);
    assert_eq!(plan[1].required_agents, 0);
    assert!((plan[1].scheduled_agents - 15.5).abs() < 1e-12);
}

#[test]
fn an_impossible_target_is_refused() {
    let target = ServiceLevelTarget {
        service_level: 1.5,
        answer_within_secs: 20.0,
    };
    assert!(staffing_plan(&[], IntervalLength::Minutes15, target, &[]).is_err());
}
