//! Routing-rule evaluation with 1,000 rules per organization: p99 per call (target under
//! 50 µs). Most calls fall through hundreds of rules before one matches, the slow case.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cc_core::routing::{CallFacts, RuleSet};
use cc_types::business_hours::{BusinessHours, HoursStatus, Weekday, WeeklyRange};
use cc_types::routing::{RoutingAction, RoutingCondition as C, RoutingRule};
use chrono::{NaiveTime, TimeDelta, TimeZone, Utc};
use criterion::Criterion;
use uuid::Uuid;

const RULES: usize = 1_000;
const CALLS: usize = 100_000;

fn strings(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

fn calendar() -> BusinessHours {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
    let days = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
    ];
    BusinessHours {
        id: Uuid::from_u128(1),
        name: "office".into(),
        time_zone: "Europe/Prague".into(),
        weekly: days
            .iter()
            .map(|d| WeeklyRange {
                day: *d,
                open: t(8),
                close: t(18),
            })
            .collect(),
        holidays: vec![],
        exceptions: vec![],
    }
}

/// Rule `i` routes calls to number `i % 200` for segment `i % 7`, with a mix of the other
/// condition kinds so every kind is evaluated.
fn rule(i: usize) -> RoutingRule {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
    let mut conditions = vec![
        C::CalledNumber {
            any_of: vec![format!("+42080000{:04}", i % 200)],
        },
        C::Segment {
            any_of: vec![format!("segment{}", i % 7)],
        },
    ];
    match i % 5 {
        0 => conditions.push(C::CallerPrefix {
            prefix: format!("+4206{}", i % 10),
        }),
        1 => conditions.push(C::Language {
            any_of: strings("lang", 3),
        }),
        2 => conditions.push(C::BusinessHours {
            calendar: Uuid::from_u128(1),
            status: HoursStatus::Open,
        }),
        3 => conditions.push(C::TimeWindow {
            time_zone: "America/New_York".into(),
            days: vec![Weekday::Monday],
            from: t(9),
            to: t(17),
        }),
        _ => conditions.push(C::CustomerTag {
            any_of: strings("tag", 4),
        }),
    }
    RoutingRule {
        id: Uuid::from_u128(i as u128 + 10),
        name: format!("rule {i}"),
        conditions,
        action: RoutingAction::Flow {
            flow: Uuid::from_u128(5),
        },
    }
}

fn facts(n: usize) -> CallFacts {
    let at = Utc
        .with_ymd_and_hms(2026, 1, 5, 8, 0, 0)
        .single()
        .unwrap_or_default()
        + TimeDelta::seconds((n * 37 % 86_400) as i64);
    let mut f = CallFacts::new(
        &format!("+42080000{:04}", n % 200),
        &format!("+4206{:08}", n),
        at,
    );
    f.segment = Some(format!("segment{}", n % 7));
    f.language = Some(format!("lang{}", n % 4));
    f.tags = strings("tag", n % 6);
    f
}

fn main() {
    let rules: Vec<RoutingRule> = (0..RULES).map(rule).collect();
    let set = match RuleSet::compile(&rules, &[calendar()]) {
        Ok(set) => set,
        Err(e) => panic!("rules do not compile: {e}"),
    };
    let calls: Vec<CallFacts> = (0..1_000).map(facts).collect();
    let mut samples = Vec::with_capacity(CALLS);
    let mut matched = 0usize;
    let mut misses = 0usize;
    for n in 0..CALLS {
        let call = &calls[n % calls.len()];
        let start = Instant::now();
        let decision = black_box(set.evaluate(call));
        samples.push(start.elapsed());
        matched += usize::from(decision.matched.is_some());
        misses += decision.misses.len();
    }
    samples.sort();
    let pct = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize];
    println!(
        "routing {RULES} rules: p50 {:?} p99 {:?} (n={CALLS}; {:.0}% matched, {:.0} rules tried per call on average)",
        pct(0.5),
        pct(0.99),
        100.0 * matched as f64 / CALLS as f64,
        misses as f64 / CALLS as f64
    );
    let mut c = Criterion::default()
        .sample_size(20)
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut n = 0;
    c.bench_function("routing/evaluate_1000_rules", |b| {
        b.iter(|| {
            n += 1;
            black_box(set.evaluate(&calls[n % calls.len()]))
        })
    });
    c.final_summary();
}
