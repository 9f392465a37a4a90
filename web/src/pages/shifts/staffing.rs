//! Staffing of the chosen team on one day: the forecast (calls per interval, handle time,
//! service-level target, callers' patience), entered by admins and supervisors, and per
//! interval the agents Erlang C and Erlang A require beside the agents scheduled, with
//! the understaffed intervals marked.

use cc_types::staffing::{
    ForecastDayRequest, ForecastQuery, StaffingQuery, StaffingStatus, TeamForecast, TeamStaffing,
    TeamStaffingInterval,
};
use cc_types::workforce::IntervalLength;
use leptos::prelude::*;
use uuid::Uuid;
use validator::Validate;

use super::{Board, week};
use crate::api::ApiError;
use crate::api::shifts::{save_forecast, team_forecast, team_staffing};
use crate::components::{ErrorAlert, FieldErrors, SelectField, TextField, clock};
use crate::context::use_api;
use crate::i18n::*;

fn interval_name(i: IntervalLength) -> &'static str {
    match i {
        IntervalLength::Minutes15 => "minutes15",
        IntervalLength::Minutes30 => "minutes30",
        IntervalLength::Hour => "hour",
    }
}

fn interval_of(name: &str) -> IntervalLength {
    match name {
        "minutes15" => IntervalLength::Minutes15,
        "hour" => IntervalLength::Hour,
        _ => IntervalLength::Minutes30,
    }
}

fn status_name(s: StaffingStatus) -> &'static str {
    match s {
        StaffingStatus::NoForecast => "no_forecast",
        StaffingStatus::Understaffed => "understaffed",
        StaffingStatus::AtRisk => "at_risk",
        StaffingStatus::Covered => "covered",
    }
}

/// The calls as typed: numbers separated by spaces, commas, semicolons or new lines.
pub fn parse_calls(text: &str) -> Option<Vec<f64>> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<f64>().ok())
        .collect()
}

/// The form's fields, as text.
#[derive(Clone, Copy)]
struct Form {
    interval: RwSignal<String>,
    calls: RwSignal<String>,
    aht: RwSignal<String>,
    level: RwSignal<String>,
    within: RwSignal<String>,
    patience: RwSignal<String>,
}

impl Form {
    fn fill(self, f: &TeamForecast) {
        self.interval.set(interval_name(f.interval).into());
        let calls: Vec<String> = f.calls.iter().map(|c| c.to_string()).collect();
        self.calls.set(calls.join(" "));
        self.aht.set(f.aht_secs.to_string());
        self.level
            .set((f.service_level * 100.0).round().to_string());
        self.within.set(f.answer_within_secs.to_string());
        self.patience.set(f.patience_secs.to_string());
    }

    fn request(self, date: &str, zone: &str) -> Option<ForecastDayRequest> {
        let num = |s: RwSignal<String>| s.get_untracked().trim().parse::<f64>().ok();
        Some(ForecastDayRequest {
            date: date.parse().ok()?,
            time_zone: Some(zone.to_owned()),
            interval: interval_of(&self.interval.get_untracked()),
            calls: parse_calls(&self.calls.get_untracked())?,
            aht_secs: num(self.aht)?,
            service_level: num(self.level)? / 100.0,
            answer_within_secs: num(self.within)?,
            patience_secs: num(self.patience)?,
        })
    }
}

#[component]
pub fn StaffingPanel(board: Board, team: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let zone = StoredValue::new(week::browser_zone());
    let day = RwSignal::new(clock::browser_now().date_naive().to_string());
    let saved = RwSignal::new(0u64);
    let form = Form {
        interval: RwSignal::new("minutes30".into()),
        calls: RwSignal::new(String::new()),
        aht: RwSignal::new(String::new()),
        level: RwSignal::new(String::new()),
        within: RwSignal::new(String::new()),
        patience: RwSignal::new(String::new()),
    };
    let forecast = LocalResource::new(move || {
        saved.track();
        let (team, date) = (team.get().parse::<Uuid>().ok(), day.get().parse().ok());
        let query = ForecastQuery {
            date,
            time_zone: Some(zone.get_value()),
        };
        async move { team_forecast(api, team?, &query).await.ok() }
    });
    Effect::new(move |_| {
        if let Some(Some(f)) = forecast.get() {
            form.fill(&f);
        }
    });
    let report = LocalResource::new(move || {
        board.reload.track();
        let f = forecast.get().flatten();
        async move {
            let f = f?;
            let query = StaffingQuery {
                from: Some(f.start),
                to: Some(f.end),
                interval: Some(f.interval),
            };
            team_staffing(api, f.team_id, &query).await.ok()
        }
    });
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let save = Action::new_local(move |(team, req): &(Uuid, ForecastDayRequest)| {
        let (team, req) = (*team, req.clone());
        async move { save_forecast(api, team, &req).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => {
            failure.set(None);
            errors.clear();
            saved.update(|n| *n += 1);
        }
        Some(Err(e)) if !errors.set_server(&e) => failure.set(Some(e)),
        Some(Err(_)) | None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let Ok(team) = team.get_untracked().parse::<Uuid>() else {
            return;
        };
        match form.request(&day.get_untracked(), &zone.get_value()) {
            Some(req) => match req.validate() {
                Ok(()) => {
                    save.dispatch((team, req));
                }
                Err(e) => errors.set_local(i18n, &e),
            },
            None => errors.replace(
                "calls",
                t_string!(i18n, shifts.staffing.numbers).to_string(),
            ),
        }
    };
    let intervals = Signal::derive(move || {
        vec![
            ("minutes15".to_owned(), "15 min".to_owned()),
            ("minutes30".to_owned(), "30 min".to_owned()),
            ("hour".to_owned(), "60 min".to_owned()),
        ]
    });
    view! {
        <section class="panel" data-test="staffing">
            <h2>{t!(i18n, shifts.staffing.title)}</h2>
            <p class="muted">{t!(i18n, shifts.staffing.intro)}</p>
            <Show when=move || team.with(|t| t.parse::<Uuid>().is_ok())
                fallback=move || view! { <p class="muted" data-test="staffing-choose">{t!(i18n, shifts.staffing.choose_team)}</p> }>
                <div class="field">
                    <label for="staffing-date">{t!(i18n, shifts.adherence.day)}</label>
                    <input id="staffing-date" data-test="staffing-date" type="date"
                        prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev)) />
                </div>
                {board.editor.then(|| view! {
                    <form class="form-grid" data-test="forecast-form" on:submit=submit>
                        <ErrorAlert error=failure />
                        <SelectField id="forecast-interval" value=form.interval options=intervals
                            label=Signal::derive(move || t_string!(i18n, shifts.staffing.interval).to_string()) />
                        <div class="field wide">
                            <label for="forecast-calls">{t!(i18n, shifts.staffing.calls)}</label>
                            <textarea id="forecast-calls" data-test="forecast-calls" rows="3"
                                prop:value=move || form.calls.get()
                                on:input=move |ev| form.calls.set(event_target_value(&ev))></textarea>
                            {move || errors.get("calls").get().map(|m| view! {
                                <span class="field-error" data-test="field-error-calls">{m}</span>
                            })}
                        </div>
                        <TextField id="forecast-aht" field="aht_secs" value=form.aht errors kind="number"
                            label=Signal::derive(move || t_string!(i18n, shifts.staffing.aht).to_string()) />
                        <TextField id="forecast-level" field="service_level" value=form.level errors kind="number"
                            label=Signal::derive(move || t_string!(i18n, shifts.staffing.level).to_string()) />
                        <TextField id="forecast-within" field="answer_within_secs" value=form.within errors kind="number"
                            label=Signal::derive(move || t_string!(i18n, shifts.staffing.within).to_string()) />
                        <TextField id="forecast-patience" field="patience_secs" value=form.patience errors kind="number"
                            label=Signal::derive(move || t_string!(i18n, shifts.staffing.patience).to_string()) />
                        <button type="submit" data-test="forecast-save">{t!(i18n, shifts.staffing.save)}</button>
                    </form>
                })}
                {move || report.get().flatten().map(|r| view! { <Report r /> })}
            </Show>
        </section>
    }
}

#[component]
fn Report(r: TeamStaffing) -> impl IntoView {
    let i18n = use_i18n();
    let zone = week::browser_zone();
    let shown: Vec<TeamStaffingInterval> = r
        .intervals
        .iter()
        .filter(|i| i.calls > 0.0 || i.scheduled_agents > 0.0)
        .cloned()
        .collect();
    let rows = shown
        .iter()
        .map(|i| {
            let status = status_name(i.status);
            let need = |n: Option<u32>| n.map_or_else(|| "—".to_owned(), |n| n.to_string());
            let level = i
                .predicted_service_level
                .map_or_else(|| "—".to_owned(), |v| format!("{:.0} %", v * 100.0));
            view! {
                <tr data-test="staffing-row" data-status=status class=status>
                    <td>{week::local_time(i.start, &zone)}</td>
                    <td>{format!("{:.0}", i.calls)}</td>
                    <td data-test="staffing-erlang-c">{need(i.required_erlang_c)}</td>
                    <td data-test="staffing-erlang-a">{need(i.required_erlang_a)}</td>
                    <td data-test="staffing-scheduled">{format!("{:.1}", i.scheduled_agents)}</td>
                    <td>{level}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p data-test="staffing-understaffed" data-count=r.understaffed_intervals.to_string()>
            {t!(i18n, shifts.staffing.understaffed)}": "{r.understaffed_intervals}
        </p>
        <Chart intervals=r.intervals.clone() />
        <table class="data" data-test="staffing-table">
            <thead><tr>
                <th>{t!(i18n, shifts.staffing.time)}</th>
                <th>{t!(i18n, shifts.staffing.calls_short)}</th>
                <th>"Erlang C"</th>
                <th>"Erlang A"</th>
                <th>{t!(i18n, shifts.staffing.scheduled)}</th>
                <th>{t!(i18n, shifts.staffing.predicted)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// Bars of the agents Erlang A requires, a tick for Erlang C, and the scheduled agents as
/// a line; understaffed intervals in red.
#[component]
fn Chart(intervals: Vec<TeamStaffingInterval>) -> impl IntoView {
    let i18n = use_i18n();
    let top = intervals
        .iter()
        .flat_map(|i| {
            [
                f64::from(i.required_erlang_c.unwrap_or(0)),
                f64::from(i.required_erlang_a.unwrap_or(0)),
                i.scheduled_agents,
            ]
        })
        .fold(1.0_f64, f64::max);
    let (width, height) = (10.0, 80.0);
    let y = move |v: f64| height - v / top * (height - 4.0);
    let bars = intervals
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let x = n as f64 * width;
            let a = f64::from(i.required_erlang_a.unwrap_or(0));
            let c = f64::from(i.required_erlang_c.unwrap_or(0));
            let class = format!("bar {}", status_name(i.status));
            view! {
                <g data-test="staffing-bar" data-status=status_name(i.status)>
                    <rect class=class x=x.to_string() y=y(a).to_string()
                        width=(width - 2.0).to_string() height=(height - y(a)).to_string() />
                    <line class="erlang-c" x1=x.to_string() x2=(x + width - 2.0).to_string()
                        y1=y(c).to_string() y2=y(c).to_string() />
                </g>
            }
        })
        .collect_view();
    let line: Vec<String> = intervals
        .iter()
        .enumerate()
        .map(|(n, i)| {
            format!(
                "{},{}",
                n as f64 * width + width / 2.0,
                y(i.scheduled_agents)
            )
        })
        .collect();
    let total = intervals.len() as f64 * width;
    view! {
        <svg class="chart" data-test="staffing-chart" role="img" viewBox=format!("0 0 {total} {height}")
            preserveAspectRatio="none" aria-label=move || t_string!(i18n, shifts.staffing.chart).to_string()>
            {bars}
            <polyline class="scheduled" points=line.join(" ") />
        </svg>
    }
}
