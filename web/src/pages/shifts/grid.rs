//! The week grid: one row per agent, one column per day, each shift in its own zone's
//! local times with its breaks; editors add a shift from a cell (a template, or times
//! typed in the agent's zone), and edit or remove one from its chip.

use cc_types::agents::Agent;
use cc_types::shifts::{CreateShiftRequest, ScheduleRequest, Shift, UpdateShiftRequest, Weekday};
use cc_types::time_off::TimeOffStatus;
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use uuid::Uuid;

use super::{Board, week};
use crate::api::ApiError;
use crate::api::shifts::{create_shift, delete_shift, schedule, update_shift};
use crate::components::{ErrorAlert, SelectField};
use crate::context::use_api;
use crate::i18n::*;

/// What the form below the grid works on.
#[derive(Clone, PartialEq)]
enum Editing {
    New {
        agent: Uuid,
        name: String,
        zone: String,
        date: NaiveDate,
    },
    Existing(Shift),
}

#[component]
pub fn WeekGrid(board: Board) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(None::<Editing>);
    let days = move || week::days(board.monday.get());
    view! {
        <div class="table-wrap">
            <table class="week-grid" data-test="shifts-grid">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, shifts.agent)}</th>
                        {move || days().into_iter().map(|d| view! {
                            <th scope="col" data-test="shifts-day" data-date=d.to_string()>
                                {format!("{} {}", super::day_label(i18n, weekday(d)), d.format("%d.%m."))}
                            </th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let agents = board.agents.get();
                        if agents.is_empty() {
                            return view! {
                                <tr><td colspan="8" class="muted" data-test="shifts-empty">{t!(i18n, shifts.empty)}</td></tr>
                            }.into_any();
                        }
                        agents.into_iter().map(|a| view! { <AgentRow agent=a board editing /> }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
        {move || editing.get().map(|e| view! { <ShiftForm editing=e board on_close=move || editing.set(None) /> })}
    }
}

#[component]
fn AgentRow(agent: Agent, board: Board, editing: RwSignal<Option<Editing>>) -> impl IntoView {
    let i18n = use_i18n();
    let zone = agent.time_zone.clone().unwrap_or_else(|| "UTC".into());
    let id = agent.id;
    let name = agent.display_name.clone();
    view! {
        <tr data-test="shifts-row" data-name=agent.display_name.clone()>
            <th scope="row">{agent.display_name.clone()}<br /><span class="muted">{zone.clone()}</span></th>
            {move || week::days(board.monday.get()).into_iter().map(|date| {
                let (zone, name) = (zone.clone(), name.clone());
                let mine: Vec<Shift> = board.shifts.get().into_iter()
                    .filter(|s| s.agent_id == id && s.local_date == date).collect();
                view! {
                    <td data-test="shift-cell" data-date=date.to_string()>
                        {mine.into_iter().map(|s| view! { <ShiftChip shift=s board editing /> }).collect_view()}
                        {board.time_off.get().into_iter()
                            .filter(|t| t.agent_id == id && matches!(t.status, TimeOffStatus::Pending | TimeOffStatus::Approved)
                                && super::absence::covers(t, &zone, date))
                            .map(|t| view! {
                                <span class=format!("badge {}", t.status.as_str()) data-test="time-off-chip" data-status=t.status.as_str()>
                                    {t!(i18n, shifts.time_off.short)}
                                </span>
                            }).collect_view()}
                        {board.editor.then(|| view! {
                            <button type="button" class="link" data-test="shift-add"
                                aria-label=move || t_string!(i18n, shifts.add).to_string()
                                on:click=move |_| editing.set(Some(Editing::New {
                                    agent: id, name: name.clone(), zone: zone.clone(), date,
                                }))>"+"</button>
                        })}
                    </td>
                }
            }).collect_view()}
        </tr>
    }
}

#[component]
fn ShiftChip(shift: Shift, board: Board, editing: RwSignal<Option<Editing>>) -> impl IntoView {
    let i18n = use_i18n();
    let breaks = shift
        .breaks
        .iter()
        .map(|b| {
            format!(
                "{}–{}",
                week::local_time(b.start, &shift.time_zone),
                week::local_time(b.end, &shift.time_zone)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let span = week::local_span(&shift);
    let open = shift.clone();
    let title = if breaks.is_empty() {
        span.clone()
    } else {
        format!("{span} ({breaks})")
    };
    view! {
        <div class="shift-chip" data-test="shift-chip" data-span=span.clone() title=title>
            {if board.editor {
                view! {
                    <button type="button" class="link" data-test="shift-edit"
                        aria-label=move || t_string!(i18n, shifts.edit).to_string()
                        on:click=move |_| editing.set(Some(Editing::Existing(open.clone())))>
                        {span.clone()}
                    </button>
                }.into_any()
            } else {
                view! { <span>{span.clone()}</span> }.into_any()
            }}
            {(!breaks.is_empty()).then(|| view! { <small class="muted" data-test="shift-breaks">{breaks}</small> })}
        </div>
    }
}

/// The weekday of a date, as the API names it.
pub fn weekday(date: NaiveDate) -> Weekday {
    Weekday::from(date.weekday())
}

#[component]
fn ShiftForm(
    editing: Editing,
    board: Board,
    on_close: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let (title, zone, date, existing) = match &editing {
        Editing::New {
            name, zone, date, ..
        } => (name.clone(), zone.clone(), *date, None),
        Editing::Existing(s) => (
            week::local_span(s),
            s.time_zone.clone(),
            s.local_date,
            Some(s.clone()),
        ),
    };
    let template = RwSignal::new(String::new());
    let start = RwSignal::new(
        existing
            .as_ref()
            .map(|s| week::local_time(s.start, &s.time_zone))
            .unwrap_or_else(|| "09:00".into()),
    );
    let end = RwSignal::new(
        existing
            .as_ref()
            .map(|s| week::local_time(s.end, &s.time_zone))
            .unwrap_or_else(|| "17:00".into()),
    );
    let failure = RwSignal::new(None::<ApiError>);
    let save = Action::new_local(move |e: &Editing| {
        let (e, template, start, end) = (
            e.clone(),
            template.get_untracked(),
            start.get_untracked(),
            end.get_untracked(),
        );
        async move {
            match e {
                Editing::New {
                    agent, zone, date, ..
                } => match template.parse::<Uuid>() {
                    Ok(template_id) => schedule(
                        api,
                        &ScheduleRequest {
                            template_id,
                            agent_ids: vec![agent],
                            from: date,
                            to: date,
                            weekdays: vec![weekday(date)],
                            except: vec![],
                            time_zone: None,
                        },
                    )
                    .await
                    .map(|_| ()),
                    Err(_) => {
                        let Some((start, end)) = week::instants(&zone, date, &start, &end) else {
                            return Err(ApiError::Unexpected("time".into()));
                        };
                        create_shift(
                            api,
                            &CreateShiftRequest {
                                agent_id: agent,
                                start,
                                end,
                                breaks: vec![],
                            },
                        )
                        .await
                        .map(|_| ())
                    }
                },
                Editing::Existing(s) => {
                    let Some((start, end)) =
                        week::instants(&s.time_zone, s.local_date, &start, &end)
                    else {
                        return Err(ApiError::Unexpected("time".into()));
                    };
                    update_shift(
                        api,
                        s.id,
                        &UpdateShiftRequest {
                            start: Some(start),
                            end: Some(end),
                            breaks: None,
                        },
                    )
                    .await
                    .map(|_| ())
                }
            }
        }
    });
    let remove = Action::new_local(move |id: &Uuid| {
        let id = *id;
        async move { delete_shift(api, id).await }
    });
    let settled = move |r: Option<Result<(), ApiError>>| match r {
        Some(Ok(())) => {
            board.changed();
            on_close();
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    };
    Effect::new(move |_| settled(save.value().get()));
    Effect::new(move |_| settled(remove.value().get()));
    let template_options = Signal::derive(move || {
        std::iter::once((String::new(), t_string!(i18n, shifts.custom).to_string()))
            .chain(board.templates.get().into_iter().map(|t| {
                (
                    t.id.to_string(),
                    format!("{} ({}–{})", t.name, t.start_time, t.end_time),
                )
            }))
            .collect::<Vec<_>>()
    });
    let is_new = existing.is_none();
    let deleting = existing.as_ref().map(|s| s.id);
    let submitted = editing.clone();
    view! {
        <form class="panel" data-test="shift-form" novalidate=true
            on:submit=move |ev| { ev.prevent_default(); save.dispatch(submitted.clone()); }>
            <h2>{move || if is_new { t_string!(i18n, shifts.add).to_string() } else { t_string!(i18n, shifts.edit).to_string() }}</h2>
            <p data-test="shift-form-what">{title}" · "{date.to_string()}" · "{zone}</p>
            <div class="form-grid">
                {is_new.then(|| view! {
                    <SelectField id="shift-template" value=template options=template_options
                        label=Signal::derive(move || t_string!(i18n, shifts.template).to_string()) />
                })}
                <div class="field">
                    <label for="shift-start">{t!(i18n, shifts.start)}</label>
                    <input id="shift-start" data-test="shift-start" type="time" required=true
                        prop:value=move || start.get() on:input=move |ev| start.set(event_target_value(&ev))
                        disabled=move || !template.get().is_empty() />
                </div>
                <div class="field">
                    <label for="shift-end">{t!(i18n, shifts.end)}</label>
                    <input id="shift-end" data-test="shift-end" type="time" required=true
                        prop:value=move || end.get() on:input=move |ev| end.set(event_target_value(&ev))
                        disabled=move || !template.get().is_empty() />
                </div>
            </div>
            <ErrorAlert error=failure />
            <div class="actions">
                <button type="submit" data-test="shift-save">{t!(i18n, shifts.save)}</button>
                {deleting.map(|id| view! {
                    <button type="button" class="danger" data-test="shift-delete"
                        on:click=move |_| { remove.dispatch(id); }>{t!(i18n, shifts.delete)}</button>
                })}
                <button type="button" data-test="shift-cancel" on:click=move |_| on_close()>{t!(i18n, shifts.cancel)}</button>
            </div>
        </form>
    }
}
