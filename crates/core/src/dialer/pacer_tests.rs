#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::dialer::stats::DialResult;
use cc_types::dialer::PreviewTimeout;
use proptest::prelude::*;

fn seasoned_stats() -> CampaignObserver {
    let mut stats = CampaignObserver::default();
    for i in 0..400 {
        let result = if i % 4 == 0 {
            DialResult::Live {
                ring_secs: 3.0 + f64::from(i % 12),
            }
        } else {
            DialResult::NoAnswer { ring_secs: 25.0 }
        };
        stats.record_dial(result);
        stats.record_talk(60.0 + f64::from(i % 240));
        stats.record_wrap(30.0);
    }
    stats
}

fn ledger_with(live: u64, abandoned: u64) -> AbandonLedger {
    let mut ledger = AbandonLedger::new(&AbandonPolicy::default());
    (0..live).for_each(|_| ledger.record_live_answer(0.0));
    (0..abandoned).for_each(|_| ledger.record_abandon(0.0));
    ledger
}

fn observation<'a>(idle: u32, busy: &'a [AgentActivity], ringing: &'a [f64]) -> Observation<'a> {
    Observation {
        idle_agents: idle,
        busy_agents: busy,
        ringing_secs: ringing,
        waiting_live: 0,
        ai_sessions_active: 0,
    }
}

#[test]
fn progressive_places_one_call_per_idle_agent_not_yet_dialing() {
    let pacer = Pacer::default();
    let obs = observation(5, &[], &[4.0, 8.0]);
    let d = pacer.decide(
        &DialerMode::Progressive,
        &obs,
        &seasoned_stats(),
        &ledger_with(0, 0),
    );
    assert_eq!((d.dials, d.basis), (3, PacingBasis::Progressive));
}

#[test]
fn preview_leaves_dialing_to_the_agent() {
    let mode = DialerMode::Preview {
        timeout_secs: 30,
        on_timeout: PreviewTimeout::Skip,
    };
    let obs = observation(5, &[], &[]);
    let d = Pacer::default().decide(&mode, &obs, &seasoned_stats(), &ledger_with(0, 0));
    assert_eq!((d.dials, d.basis), (0, PacingBasis::AgentDials));
}

#[test]
fn predictive_dials_progressively_until_it_has_history() {
    let obs = observation(4, &[], &[]);
    let new_campaign = CampaignObserver::default();
    let d = Pacer::default().decide(
        &DialerMode::Predictive,
        &obs,
        &new_campaign,
        &ledger_with(10_000, 0),
    );
    assert_eq!((d.dials, d.basis), (4, PacingBasis::Progressive));
}

#[test]
fn predictive_overdials_when_history_and_budget_allow() {
    let obs = observation(4, &[], &[]);
    let d = Pacer::default().decide(
        &DialerMode::Predictive,
        &obs,
        &seasoned_stats(),
        &ledger_with(10_000, 0),
    );
    assert_eq!(d.basis, PacingBasis::Predictive);
    assert!(
        d.dials > 8,
        "a 25% answer rate needs several lines per agent: {d:?}"
    );
}

#[test]
fn an_exhausted_budget_falls_back_to_one_call_per_agent() {
    // 3 abandons in 100 live answers: exactly at the cap, no risk left.
    let obs = observation(4, &[], &[]);
    let d = Pacer::default().decide(
        &DialerMode::Predictive,
        &obs,
        &seasoned_stats(),
        &ledger_with(100, 3),
    );
    assert_eq!(d.dials, 4);
    let power = DialerMode::Power {
        lines_per_agent: 3.0,
    };
    let d = Pacer::default().decide(&power, &obs, &seasoned_stats(), &ledger_with(100, 3));
    assert_eq!((d.dials, d.basis), (4, PacingBasis::Power));
}

#[test]
fn power_mode_dials_its_ratio_within_budget() {
    let obs = observation(4, &[], &[10.0, 12.0]);
    let power = DialerMode::Power {
        lines_per_agent: 2.5,
    };
    let d = Pacer::default().decide(&power, &obs, &seasoned_stats(), &ledger_with(10_000, 0));
    assert_eq!(d.dials, 8, "10 lines for 4 agents, 2 already ringing");
}

#[test]
fn ai_campaigns_fill_free_sessions() {
    let mode = DialerMode::AiAgent { max_sessions: 20 };
    let mut obs = observation(0, &[], &[]);
    obs.ai_sessions_active = 12;
    let fresh = CampaignObserver::default();
    let d = Pacer::default().decide(&mode, &obs, &fresh, &ledger_with(0, 0));
    assert_eq!((d.dials, d.basis), (8, PacingBasis::Progressive));
    let d = Pacer::default().decide(&mode, &obs, &seasoned_stats(), &ledger_with(10_000, 0));
    assert_eq!(d.basis, PacingBasis::AiAgent);
    assert!(d.dials > 8);
}

#[test]
fn agents_about_to_finish_count_as_capacity() {
    let ringing: Vec<f64> = vec![1.0; 12];
    let finishing = [AgentActivity::WrappingUp { elapsed_secs: 29.0 }; 6];
    let starting = [AgentActivity::Talking { elapsed_secs: 1.0 }; 6];
    let pacer = Pacer::default();
    let (stats, ledger) = (seasoned_stats(), ledger_with(10_000, 0));
    let soon = pacer.decide(
        &DialerMode::Predictive,
        &observation(0, &finishing, &ringing),
        &stats,
        &ledger,
    );
    let later = pacer.decide(
        &DialerMode::Predictive,
        &observation(0, &starting, &ringing),
        &stats,
        &ledger,
    );
    assert!(soon.dials > later.dials, "{soon:?} vs {later:?}");
}

proptest! {
    /// Whatever the state, the worst case after the decision (every call beyond the idle
    /// agents answered and abandoned) keeps the period's rate within the cap, unless the
    /// decision is the risk-free one call per idle agent.
    #[test]
    fn the_worst_case_never_breaks_the_cap(
        live in 0u64..5_000, abandon_share in 0.0f64..0.03, idle in 0u32..60,
        ringing in 0usize..80, waiting in 0u32..5, power in prop::bool::ANY,
    ) {
        let abandoned = (live as f64 * abandon_share).floor() as u64;
        let ledger = ledger_with(live, abandoned);
        let ring: Vec<f64> = (0..ringing).map(|i| (i % 20) as f64).collect();
        let mut obs = observation(idle, &[], &ring);
        obs.waiting_live = if idle == 0 { waiting } else { 0 };
        let mode = if power { DialerMode::Power { lines_per_agent: 3.0 } } else { DialerMode::Predictive };
        let d = Pacer::default().decide(&mode, &obs, &seasoned_stats(), &ledger);
        let safe = (i64::from(idle) - ringing as i64 - i64::from(obs.waiting_live)).max(0);
        let k = ringing as i64 + i64::from(obs.waiting_live) + i64::from(d.dials) - i64::from(idle);
        let extra_live = (k - i64::from(obs.waiting_live)).max(0) as f64;
        let worst = (abandoned as f64 + k.max(0) as f64) / (live as f64 + extra_live).max(1.0);
        prop_assert!(i64::from(d.dials) <= safe || worst <= 0.03 + 1e-12, "{d:?} worst {worst}");
    }
}
