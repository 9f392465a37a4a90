//! Performance of the chosen team (or one of its agents) on a day in the browser's zone:
//! state time per hour as stacked bars, occupancy, utilization, calls handled and average
//! handle time, and a line per agent.

use cc_types::performance::{Performance, PerformanceQuery, PerformanceTotals, ReportInterval};
use cc_types::shifts::local_instant;
use chrono::{NaiveDate, NaiveTime, TimeDelta};
use leptos::prelude::*;
use uuid::Uuid;

use super::{Board, week};
use crate::api::shifts::{agent_performance, team_performance};
use crate::components::{SelectField, clock};
use crate::context::use_api;
use crate::i18n::*;

fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{:.0} %", v * 100.0))
        .unwrap_or_else(|| "—".into())
}

fn hours(secs: f64) -> String {
    format!("{:.1} h", secs / 3600.0)
}

#[component]
pub fn PerformancePanel(board: Board, team: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let zone = StoredValue::new(week::browser_zone());
    let who = RwSignal::new(String::new());
    let day = RwSignal::new(clock::browser_now().date_naive().to_string());
    let report = LocalResource::new(move || {
        board.reload.track();
        let (team, agent) = (
            team.get().parse::<Uuid>().ok(),
            who.get().parse::<Uuid>().ok(),
        );
        let date: Option<NaiveDate> = day.get().parse().ok();
        let zone = zone.get_value();
        async move {
            let from = local_instant(week::zone(&zone), date?.and_time(NaiveTime::MIN));
            let query = PerformanceQuery {
                from: Some(from),
                to: Some(from + TimeDelta::hours(24)),
                interval: Some(ReportInterval::Hour),
                time_zone: Some(zone),
            };
            match (agent, team) {
                (Some(a), _) => agent_performance(api, a, &query).await.ok(),
                (None, Some(t)) => team_performance(api, t, &query).await.ok(),
                (None, None) => None,
            }
        }
    });
    let options = Signal::derive(move || {
        std::iter::once((
            String::new(),
            t_string!(i18n, shifts.performance.whole_team).to_string(),
        ))
        .chain(
            board
                .agents
                .get()
                .into_iter()
                .map(|a| (a.id.to_string(), a.display_name)),
        )
        .collect::<Vec<_>>()
    });
    view! {
        <section class="panel" data-test="performance">
            <h2>{t!(i18n, shifts.performance.title)}</h2>
            <Show when=move || team.with(|t| t.parse::<Uuid>().is_ok())
                fallback=move || view! { <p class="muted">{t!(i18n, shifts.staffing.choose_team)}</p> }>
                <div class="form-grid">
                    <SelectField id="performance-agent" value=who options
                        label=Signal::derive(move || t_string!(i18n, shifts.agent).to_string()) />
                    <div class="field">
                        <label for="performance-date">{t!(i18n, shifts.adherence.day)}</label>
                        <input id="performance-date" data-test="performance-date" type="date"
                            prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev)) />
                    </div>
                </div>
                {move || report.get().flatten().map(|p| view! { <Summary p /> })}
            </Show>
        </section>
    }
}

#[component]
fn Counters(t: PerformanceTotals) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="counters">
            <dt>{t!(i18n, shifts.performance.logged_in)}</dt>
            <dd data-test="performance-logged-in">{hours(t.logged_in_secs)}</dd>
            <dt>{t!(i18n, shifts.performance.occupancy)}</dt>
            <dd data-test="performance-occupancy">{percent(t.occupancy)}</dd>
            <dt>{t!(i18n, shifts.performance.utilization)}</dt>
            <dd data-test="performance-utilization">{percent(t.utilization)}</dd>
            <dt>{t!(i18n, shifts.performance.calls)}</dt>
            <dd data-test="performance-calls">{t.calls_handled}</dd>
            <dt>{t!(i18n, shifts.performance.aht)}</dt>
            <dd data-test="performance-aht">
                {t.average_handle_secs.map_or_else(|| "—".to_owned(), |s| format!("{s:.0} s"))}
            </dd>
        </dl>
    }
}

#[component]
fn Summary(p: Performance) -> impl IntoView {
    let i18n = use_i18n();
    let lines = p
        .agents
        .iter()
        .map(|l| {
            view! {
                <tr data-test="performance-line" data-name=l.display_name.clone()>
                    <td>{l.display_name.clone()}</td>
                    <td>{hours(l.totals.logged_in_secs)}</td>
                    <td>{percent(l.totals.occupancy)}</td>
                    <td>{percent(l.totals.utilization)}</td>
                    <td>{l.totals.calls_handled}</td>
                </tr>
            }
        })
        .collect_view();
    let team = !p.agents.is_empty();
    view! {
        <Counters t=p.totals.clone() />
        <Chart p=p.clone() />
        {team.then(|| view! {
            <table class="data" data-test="performance-lines">
                <thead><tr>
                    <th>{t!(i18n, shifts.agent)}</th>
                    <th>{t!(i18n, shifts.performance.logged_in)}</th>
                    <th>{t!(i18n, shifts.performance.occupancy)}</th>
                    <th>{t!(i18n, shifts.performance.utilization)}</th>
                    <th>{t!(i18n, shifts.performance.calls)}</th>
                </tr></thead>
                <tbody>{lines}</tbody>
            </table>
        })}
    }
}

/// Per hour, a stacked bar: waiting, handling (talk, hold, wrap-up), not ready.
#[component]
fn Chart(p: Performance) -> impl IntoView {
    let i18n = use_i18n();
    let top = p
        .intervals
        .iter()
        .map(|i| i.totals.logged_in_secs)
        .fold(1.0_f64, f64::max);
    let (width, height) = (12.0, 60.0);
    let bars = p
        .intervals
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let t = &i.totals;
            let x = n as f64 * width;
            let parts = [
                ("waiting", t.available_secs + t.reserved_secs),
                ("handling", t.talk_secs + t.hold_secs + t.wrap_up_secs),
                ("not-ready", t.not_ready_secs),
            ];
            let mut y = height;
            let rects = parts
                .into_iter()
                .map(|(class, secs)| {
                    let h = secs / top * (height - 2.0);
                    y -= h;
                    view! {
                        <rect class=format!("part {class}") x=x.to_string() y=y.to_string()
                            width=(width - 2.0).to_string() height=h.to_string() />
                    }
                })
                .collect_view();
            view! { <g data-test="performance-bar">{rects}</g> }
        })
        .collect_view();
    let total = p.intervals.len() as f64 * width;
    view! {
        <svg class="chart" data-test="performance-chart" role="img" viewBox=format!("0 0 {total} {height}")
            preserveAspectRatio="none" aria-label=move || t_string!(i18n, shifts.performance.chart).to_string()>
            {bars}
        </svg>
    }
}
