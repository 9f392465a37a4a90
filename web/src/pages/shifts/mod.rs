//! Shifts: a week grid of a team's agents × days with their shifts and breaks, shown in
//! each shift's own time zone; who is scheduled now and whether they are logged in, on a
//! break or missing, live. Admins and supervisors add, edit and remove shifts from the
//! grid, keep the shift templates, and schedule a week from a template.

use cc_types::agents::{Agent, AgentListQuery};
use cc_types::events::Topic;
use cc_types::shifts::{CurrentShifts, Shift, ShiftListQuery, ShiftTemplate, Weekday};
use cc_types::teams::{Team, TeamListQuery};
use cc_types::{Page, Role};
use chrono::{Days, NaiveDate, NaiveTime};
use leptos::prelude::*;
use uuid::Uuid;

use crate::api::ApiError;
use crate::api::agents::list_agents;
use crate::api::shifts::{current, list_shifts, list_templates};
use crate::api::teams::list_teams;
use crate::components::{PageTitle, SelectField, clock};
use crate::context::{use_api, use_current_user};
use crate::i18n::*;
use crate::realtime::use_topic;

mod absence;
mod adherence;
mod grid;
mod performance;
mod staffing;
mod templates;
mod week;

/// What the grid shows: the week, the team, and what was loaded for them.
#[derive(Clone, Copy)]
pub(crate) struct Board {
    pub monday: RwSignal<NaiveDate>,
    pub agents: Signal<Vec<Agent>>,
    pub shifts: Signal<Vec<Shift>>,
    pub templates: Signal<Vec<ShiftTemplate>>,
    pub time_off: Signal<Vec<cc_types::time_off::TimeOff>>,
    pub editor: bool,
    pub reload: RwSignal<u64>,
}

impl Board {
    pub fn changed(self) {
        self.reload.update(|n| *n += 1);
    }
}

/// A weekday's short name in the reader's language.
pub(crate) fn day_label(i18n: leptos_i18n::I18nContext<Locale>, day: Weekday) -> String {
    match day {
        Weekday::Mon => t_string!(i18n, shifts.days.mon),
        Weekday::Tue => t_string!(i18n, shifts.days.tue),
        Weekday::Wed => t_string!(i18n, shifts.days.wed),
        Weekday::Thu => t_string!(i18n, shifts.days.thu),
        Weekday::Fri => t_string!(i18n, shifts.days.fri),
        Weekday::Sat => t_string!(i18n, shifts.days.sat),
        Weekday::Sun => t_string!(i18n, shifts.days.sun),
    }
    .to_string()
}

fn items<T: Clone>(r: Option<Result<Page<T>, ApiError>>) -> Vec<T> {
    r.and_then(Result::ok).map(|p| p.items).unwrap_or_default()
}

#[component]
pub fn ShiftsPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let user = use_current_user();
    let organization = use_topic(Topic::Organization);
    let team = RwSignal::new(String::new());
    let monday = RwSignal::new(week::monday_of(clock::browser_now().date_naive()));
    let reload = RwSignal::new(0u64);
    let teams = LocalResource::new(move || {
        let query = TeamListQuery {
            limit: Some(500),
            ..Default::default()
        };
        async move { list_teams(api, &query).await }
    });
    let agents = LocalResource::new(move || {
        reload.track();
        let query = AgentListQuery {
            limit: Some(500),
            team_id: team.get().parse().ok(),
            ..Default::default()
        };
        async move { list_agents(api, &query).await }
    });
    let shifts = LocalResource::new(move || {
        reload.track();
        organization.changes.track();
        let from = monday.get() - Days::new(1);
        let query = ShiftListQuery {
            limit: Some(500),
            from: Some(from.and_time(NaiveTime::MIN).and_utc()),
            to: Some((from + Days::new(9)).and_time(NaiveTime::MIN).and_utc()),
            team_id: team.get().parse().ok(),
            ..Default::default()
        };
        async move { list_shifts(api, &query).await }
    });
    // Any change in the organization (a state, a shift planned elsewhere) refreshes what
    // is shown; the grid's own changes bump `reload`.
    let now = LocalResource::new(move || {
        reload.track();
        organization.changes.track();
        let team: Option<Uuid> = team.get().parse().ok();
        async move { current(api, team).await }
    });
    let time_off = LocalResource::new(move || {
        reload.track();
        organization.changes.track();
        let from = monday.get() - Days::new(1);
        let query = cc_types::time_off::TimeOffListQuery {
            limit: Some(200),
            from: Some(from.and_time(NaiveTime::MIN).and_utc()),
            to: Some((from + Days::new(9)).and_time(NaiveTime::MIN).and_utc()),
            team_id: team.get().parse().ok(),
            ..Default::default()
        };
        async move { crate::api::shifts::list_time_off(api, &query).await }
    });
    let templates = LocalResource::new(move || {
        reload.track();
        async move { list_templates(api).await }
    });
    let board = Board {
        monday,
        agents: Signal::derive(move || items(agents.get())),
        shifts: Signal::derive(move || items(shifts.get())),
        templates: Signal::derive(move || items(templates.get())),
        time_off: Signal::derive(move || items(time_off.get())),
        editor: matches!(user.role(), Role::Admin | Role::Supervisor),
        reload,
    };
    let team_options = Signal::derive(move || {
        let all: Vec<Team> = items(teams.get());
        std::iter::once((String::new(), t_string!(i18n, shifts.all_teams).to_string()))
            .chain(all.into_iter().map(|t| (t.id.to_string(), t.name)))
            .collect::<Vec<_>>()
    });
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, shifts.title).to_string()) />
        <p class="muted">{t!(i18n, shifts.intro)}</p>
        <NowPanel now=Signal::derive(move || now.get().and_then(Result::ok)) />
        <div class="toolbar">
            <SelectField id="shifts-team"
                label=Signal::derive(move || t_string!(i18n, shifts.team).to_string())
                value=team options=team_options />
            <WeekPicker monday />
        </div>
        <grid::WeekGrid board />
        <absence::TimeOffPanel board />
        <adherence::AdherencePanel board />
        <staffing::StaffingPanel board team />
        <performance::PerformancePanel board team />
        {board.editor.then(|| view! { <templates::Planning board /> })}
    }
}

#[component]
fn WeekPicker(monday: RwSignal<NaiveDate>) -> impl IntoView {
    let i18n = use_i18n();
    let shift = move |by: i64| {
        monday.update(|m| {
            *m = if by < 0 {
                *m - Days::new(7)
            } else {
                *m + Days::new(7)
            }
        })
    };
    let label = move || {
        let m = monday.get();
        format!(
            "{} – {}",
            m.format("%Y-%m-%d"),
            (m + Days::new(6)).format("%Y-%m-%d")
        )
    };
    view! {
        <div class="week-picker" role="group" aria-label=move || t_string!(i18n, shifts.week).to_string()>
            <button type="button" data-test="shifts-previous" on:click=move |_| shift(-1)>
                {t!(i18n, shifts.previous)}
            </button>
            <button type="button" data-test="shifts-this-week"
                on:click=move |_| monday.set(week::monday_of(clock::browser_now().date_naive()))>
                {t!(i18n, shifts.this_week)}
            </button>
            <button type="button" data-test="shifts-next" on:click=move |_| shift(1)>
                {t!(i18n, shifts.next)}
            </button>
            <strong data-test="shifts-week">{label}</strong>
        </div>
    }
}

#[component]
fn NowPanel(now: Signal<Option<CurrentShifts>>) -> impl IntoView {
    let i18n = use_i18n();
    let count = move |f: fn(&CurrentShifts) -> u32| {
        move || now.get().map(|n| f(&n)).unwrap_or(0).to_string()
    };
    view! {
        <section class="panel" data-test="shifts-now" aria-labelledby="shifts-now-title">
            <h2 id="shifts-now-title">{t!(i18n, shifts.now.title)}</h2>
            <dl class="counters">
                <dt>{t!(i18n, shifts.now.logged_in)}</dt>
                <dd data-test="shifts-now-logged-in">{count(|n| n.logged_in)}</dd>
                <dt>{t!(i18n, shifts.now.on_break)}</dt>
                <dd data-test="shifts-now-on-break">{count(|n| n.on_break)}</dd>
                <dt>{t!(i18n, shifts.now.missing)}</dt>
                <dd data-test="shifts-now-missing">{count(|n| n.missing)}</dd>
                <dt>{t!(i18n, shifts.now.time_off)}</dt>
                <dd data-test="shifts-now-time-off">{count(|n| n.time_off)}</dd>
            </dl>
            <ul class="plain">
                {move || now.get().map(|n| n.items).unwrap_or_default().into_iter().map(|a| {
                    let state = match a.attendance {
                        cc_types::shifts::Attendance::LoggedIn => "logged_in",
                        cc_types::shifts::Attendance::OnBreak => "on_break",
                        cc_types::shifts::Attendance::Missing => "missing",
                        cc_types::shifts::Attendance::TimeOff => "time_off",
                    };
                    let label = match a.attendance {
                        cc_types::shifts::Attendance::LoggedIn => t_string!(i18n, shifts.now.logged_in).to_string(),
                        cc_types::shifts::Attendance::OnBreak => t_string!(i18n, shifts.now.on_break).to_string(),
                        cc_types::shifts::Attendance::Missing => t_string!(i18n, shifts.now.missing).to_string(),
                        cc_types::shifts::Attendance::TimeOff => t_string!(i18n, shifts.now.time_off).to_string(),
                    };
                    view! {
                        <li data-test="shifts-now-agent" data-attendance=state data-name=a.display_name.clone()>
                            {a.display_name.clone()}" · "{week::local_span(&a.shift)}" · "
                            <span class=format!("badge {state}")>{label}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
