//! Adherence of one agent on one day (in the agent's zone): how much of the scheduled
//! time they spent doing what the schedule said, with a bar per half hour.

use cc_types::adherence::{AdherenceQuery, AgentAdherence};
use cc_types::shifts::local_instant;
use cc_types::workforce::IntervalLength;
use chrono::{NaiveDate, NaiveTime, TimeDelta};
use leptos::prelude::*;
use uuid::Uuid;

use super::{Board, week};
use crate::api::shifts::adherence;
use crate::components::{SelectField, clock};
use crate::context::use_api;
use crate::i18n::*;

fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{:.1} %", v * 100.0))
        .unwrap_or_else(|| "—".into())
}

#[component]
pub fn AdherencePanel(board: Board) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let who = RwSignal::new(String::new());
    let day = RwSignal::new(clock::browser_now().date_naive().to_string());
    let result = LocalResource::new(move || {
        board.reload.track();
        let agent: Option<Uuid> = who.get().parse().ok();
        let date: Option<NaiveDate> = day.get().parse().ok();
        let zone = agent
            .and_then(|id| board.agents.get().into_iter().find(|a| a.id == id))
            .and_then(|a| a.time_zone)
            .unwrap_or_else(|| "UTC".into());
        async move {
            let (Some(agent), Some(date)) = (agent, date) else {
                return None;
            };
            let from = local_instant(week::zone(&zone), date.and_time(NaiveTime::MIN));
            let query = AdherenceQuery {
                from: Some(from),
                to: Some(from + TimeDelta::hours(24)),
                interval: Some(IntervalLength::Minutes30),
            };
            adherence(api, agent, &query).await.ok()
        }
    });
    let options = Signal::derive(move || {
        std::iter::once((String::new(), "—".to_owned()))
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
        <section class="panel" data-test="adherence">
            <h2>{t!(i18n, shifts.adherence.title)}</h2>
            <div class="form-grid">
                <SelectField id="adherence-agent" value=who options
                    label=Signal::derive(move || t_string!(i18n, shifts.agent).to_string()) />
                <div class="field">
                    <label for="adherence-date">{t!(i18n, shifts.adherence.day)}</label>
                    <input id="adherence-date" data-test="adherence-date" type="date"
                        prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev)) />
                </div>
            </div>
            {move || result.get().flatten().map(|a| view! { <Summary a /> })}
        </section>
    }
}

#[component]
fn Summary(a: AgentAdherence) -> impl IntoView {
    let i18n = use_i18n();
    let width = 12.0;
    let bars = a
        .intervals
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let x = i as f64 * width;
            let (h, class) = match s.adherence {
                Some(v) => (4.0 + v * 56.0, if v >= 0.9 { "bar good" } else { "bar poor" }),
                None => (2.0, "bar none"),
            };
            view! {
                <rect class=class data-test="adherence-bar" x=x.to_string() y=(60.0 - h).to_string()
                    width=(width - 2.0).to_string() height=h.to_string()>
                    <title>{format!("{} {}", s.start.format("%H:%M UTC"), percent(s.adherence))}</title>
                </rect>
            }
        })
        .collect_view();
    let total = a.intervals.len() as f64 * width;
    view! {
        <dl class="counters">
            <dt>{t!(i18n, shifts.adherence.adherence)}</dt>
            <dd data-test="adherence-value">{percent(a.adherence)}</dd>
            <dt>{t!(i18n, shifts.adherence.conformance)}</dt>
            <dd data-test="adherence-conformance">{percent(a.conformance)}</dd>
            <dt>{t!(i18n, shifts.adherence.out)}</dt>
            <dd data-test="adherence-out">{format!("{:.0}", a.out_of_adherence_minutes)}</dd>
        </dl>
        <svg class="chart" data-test="adherence-chart" role="img" viewBox=format!("0 0 {total} 60")
            preserveAspectRatio="none" aria-label=move || t_string!(i18n, shifts.adherence.chart).to_string()>
            {bars}
        </svg>
    }
}
