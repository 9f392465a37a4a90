//! Time off on the shifts screen: anyone with an agent profile asks for days off; admins
//! and supervisors ask for the agents they manage, and approve or deny what is pending;
//! a pending request is withdrawn by its agent, an approved one cancelled by a manager.

use cc_types::shifts::local_instant;
use cc_types::time_off::{TimeOff, TimeOffRequest, TimeOffStatus};
use chrono::{Days, NaiveDate, NaiveTime};
use leptos::prelude::*;
use uuid::Uuid;

use super::{Board, week};
use crate::api::ApiError;
use crate::api::shifts::{cancel_time_off, decide_time_off, request_time_off};
use crate::components::{ErrorAlert, SelectField};
use crate::context::{use_api, use_current_user};
use crate::i18n::*;

fn status_label(i18n: leptos_i18n::I18nContext<Locale>, s: TimeOffStatus) -> String {
    match s {
        TimeOffStatus::Pending => t_string!(i18n, shifts.time_off.pending),
        TimeOffStatus::Approved => t_string!(i18n, shifts.time_off.approved),
        TimeOffStatus::Denied => t_string!(i18n, shifts.time_off.denied),
        TimeOffStatus::Cancelled => t_string!(i18n, shifts.time_off.cancelled),
    }
    .to_string()
}

/// The local dates a request covers in `zone` (its end is exclusive).
pub fn covers(t: &TimeOff, zone: &str, date: NaiveDate) -> bool {
    let tz = week::zone(zone);
    let first = t.start.with_timezone(&tz).date_naive();
    let last = (t.end - chrono::TimeDelta::seconds(1))
        .with_timezone(&tz)
        .date_naive();
    first <= date && date <= last
}

#[component]
pub fn TimeOffPanel(board: Board) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let me = use_current_user();
    let my_user = move || me.0.with(|m| m.user.id);
    let failure = RwSignal::new(None::<ApiError>);
    let act = Action::new_local(move |(id, what): &(Uuid, Option<bool>)| {
        let (id, what) = (*id, *what);
        async move {
            match what {
                Some(approve) => decide_time_off(api, id, approve).await.map(|_| ()),
                None => cancel_time_off(api, id).await.map(|_| ()),
            }
        }
    });
    Effect::new(move |_| match act.value().get() {
        Some(Ok(())) => {
            failure.set(None);
            board.changed();
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    let name_of = move |agent: Uuid| {
        board
            .agents
            .get()
            .into_iter()
            .find(|a| a.id == agent)
            .map(|a| {
                (
                    a.display_name,
                    a.user_id,
                    a.time_zone.unwrap_or_else(|| "UTC".into()),
                )
            })
    };
    view! {
        <section class="panel" data-test="time-off">
            <h2>{t!(i18n, shifts.time_off.title)}</h2>
            <ErrorAlert error=failure />
            <ul class="plain">
                {move || board.time_off.get().into_iter().map(|t| {
                    let (name, user, zone) = name_of(t.agent_id).unwrap_or_default();
                    let own = user == my_user();
                    let tz = week::zone(&zone);
                    let span = format!("{} – {}",
                        t.start.with_timezone(&tz).format("%Y-%m-%d"),
                        (t.end - chrono::TimeDelta::seconds(1)).with_timezone(&tz).format("%Y-%m-%d"));
                    let status = t.status;
                    let id = t.id;
                    let decide = board.editor && !own && status == TimeOffStatus::Pending;
                    let cancel = (own && status == TimeOffStatus::Pending)
                        || (board.editor && !own && matches!(status, TimeOffStatus::Pending | TimeOffStatus::Approved));
                    view! {
                        <li data-test="time-off-row" data-name=name.clone() data-status=status.as_str()>
                            <strong>{name.clone()}</strong>" · "{span}
                            {t.reason.clone().map(|r| view! { " · "<em>{r}</em> })}
                            " "<span class=format!("badge {}", status.as_str())>{status_label(i18n, status)}</span>
                            {decide.then(|| view! {
                                <button type="button" data-test="time-off-approve"
                                    on:click=move |_| { act.dispatch((id, Some(true))); }>{t!(i18n, shifts.time_off.approve)}</button>
                                <button type="button" class="danger" data-test="time-off-deny"
                                    on:click=move |_| { act.dispatch((id, Some(false))); }>{t!(i18n, shifts.time_off.deny)}</button>
                            })}
                            {cancel.then(|| view! {
                                <button type="button" class="link" data-test="time-off-cancel"
                                    on:click=move |_| { act.dispatch((id, None)); }>{t!(i18n, shifts.time_off.withdraw)}</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <RequestForm board />
        </section>
    }
}

#[component]
fn RequestForm(board: Board) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let me = use_current_user();
    let who = RwSignal::new(String::new());
    let first = RwSignal::new(String::new());
    let last = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiError>);
    let send = Action::new_local(move |req: &TimeOffRequest| {
        let req = req.clone();
        async move { request_time_off(api, &req).await.map(|_| ()) }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(())) => {
            failure.set(None);
            reason.set(String::new());
            board.changed();
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    let options = Signal::derive(move || {
        let mine = me.0.with(|m| m.user.id);
        std::iter::once((
            String::new(),
            t_string!(i18n, shifts.time_off.myself).to_string(),
        ))
        .chain(
            board
                .agents
                .get()
                .into_iter()
                .filter(|a| board.editor && a.user_id != mine)
                .map(|a| (a.id.to_string(), a.display_name)),
        )
        .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Ok(from), Ok(to)) = (
            first.get_untracked().parse::<NaiveDate>(),
            last.get_untracked().parse::<NaiveDate>(),
        ) else {
            return;
        };
        let agent_id: Option<Uuid> = who.get_untracked().parse().ok();
        let mine = me.0.with_untracked(|m| m.user.id);
        let zone = board
            .agents
            .get_untracked()
            .into_iter()
            .find(|a| Some(a.id) == agent_id || (agent_id.is_none() && a.user_id == mine))
            .and_then(|a| a.time_zone)
            .unwrap_or_else(|| "UTC".into());
        let tz = week::zone(&zone);
        let midnight = |d: NaiveDate| local_instant(tz, d.and_time(NaiveTime::MIN));
        let Some(after) = to.checked_add_days(Days::new(1)) else {
            return;
        };
        let text = reason.get_untracked().trim().to_owned();
        send.dispatch(TimeOffRequest {
            agent_id,
            start: midnight(from),
            end: midnight(after),
            reason: (!text.is_empty()).then_some(text),
        });
    };
    view! {
        <form data-test="time-off-form" on:submit=submit novalidate=true>
            <h3>{t!(i18n, shifts.time_off.request)}</h3>
            <div class="form-grid">
                {board.editor.then(|| view! {
                    <SelectField id="time-off-agent" value=who options
                        label=Signal::derive(move || t_string!(i18n, shifts.agent).to_string()) />
                })}
                <div class="field">
                    <label for="time-off-first">{t!(i18n, shifts.time_off.first_day)}</label>
                    <input id="time-off-first" data-test="time-off-first" type="date" required=true
                        prop:value=move || first.get() on:input=move |ev| first.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="time-off-last">{t!(i18n, shifts.time_off.last_day)}</label>
                    <input id="time-off-last" data-test="time-off-last" type="date" required=true
                        prop:value=move || last.get() on:input=move |ev| last.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="time-off-reason">{t!(i18n, shifts.time_off.reason)}</label>
                    <input id="time-off-reason" data-test="time-off-reason" maxlength="200"
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                </div>
            </div>
            <ErrorAlert error=failure />
            <button type="submit" data-test="time-off-submit">{t!(i18n, shifts.time_off.send)}</button>
        </form>
    }
}
