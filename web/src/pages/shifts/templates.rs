//! Planning, for admins and supervisors: the organization's shift templates, and a week
//! scheduled from a template for every agent on the grid (all or nothing: an overlap
//! names the shift in the way).

use cc_types::shifts::{ScheduleRequest, ShiftTemplateRequest, TemplateBreak, Weekday};
use chrono::Days;
use leptos::prelude::*;
use uuid::Uuid;
use validator::Validate;

use super::{Board, day_label};
use crate::api::ApiError;
use crate::api::shifts::{create_template, delete_template, schedule};
use crate::components::{ErrorAlert, FieldErrors, SelectField, TextField};
use crate::context::use_api;
use crate::i18n::*;

const WEEK: [(Weekday, &str); 7] = [
    (Weekday::Mon, "mon"),
    (Weekday::Tue, "tue"),
    (Weekday::Wed, "wed"),
    (Weekday::Thu, "thu"),
    (Weekday::Fri, "fri"),
    (Weekday::Sat, "sat"),
    (Weekday::Sun, "sun"),
];

#[component]
pub fn Planning(board: Board) -> impl IntoView {
    view! {
        <ScheduleWeek board />
        <Templates board />
    }
}

#[component]
fn ScheduleWeek(board: Board) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let template = RwSignal::new(String::new());
    let days = RwSignal::new(vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]);
    let failure = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<usize>);
    let run = Action::new_local(move |req: &ScheduleRequest| {
        let req = req.clone();
        async move { schedule(api, &req).await }
    });
    Effect::new(move |_| match run.value().get() {
        Some(Ok(r)) => {
            failure.set(None);
            done.set(Some(r.created.len()));
            board.changed();
        }
        Some(Err(e)) => {
            done.set(None);
            failure.set(Some(e));
        }
        None => {}
    });
    let options = Signal::derive(move || {
        board
            .templates
            .get()
            .into_iter()
            .map(|t| {
                (
                    t.id.to_string(),
                    format!("{} ({}–{})", t.name, t.start_time, t.end_time),
                )
            })
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = template
            .get_untracked()
            .parse::<Uuid>()
            .ok()
            .or_else(|| board.templates.get_untracked().first().map(|t| t.id));
        let agents: Vec<Uuid> = board.agents.get_untracked().iter().map(|a| a.id).collect();
        let (Some(template_id), false) = (chosen, agents.is_empty()) else {
            return;
        };
        let from = board.monday.get_untracked();
        run.dispatch(ScheduleRequest {
            template_id,
            agent_ids: agents,
            from,
            to: from + Days::new(6),
            weekdays: days.get_untracked(),
            except: vec![],
            time_zone: None,
        });
    };
    view! {
        <form class="panel" data-test="schedule-form" on:submit=submit novalidate=true>
            <h2>{t!(i18n, shifts.schedule.title)}</h2>
            <p class="muted">{t!(i18n, shifts.schedule.intro)}</p>
            <div class="form-grid">
                <SelectField id="schedule-template" value=template options
                    label=Signal::derive(move || t_string!(i18n, shifts.template).to_string()) />
                <fieldset class="field">
                    <legend>{t!(i18n, shifts.schedule.days)}</legend>
                    {WEEK.into_iter().map(|(day, code)| view! {
                        <label class="inline">
                            <input type="checkbox" data-test="schedule-day" data-day=code
                                prop:checked=move || days.get().contains(&day)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    days.update(|d| { d.retain(|x| *x != day); if on { d.push(day); } });
                                } />
                            {day_label(i18n, day)}
                        </label>
                    }).collect_view()}
                </fieldset>
            </div>
            <ErrorAlert error=failure />
            {move || done.get().map(|n| view! { <p class="success" data-test="schedule-done" data-count=n.to_string()>{t!(i18n, shifts.schedule.done)}" "{n}</p> })}
            <button type="submit" data-test="schedule-submit">{t!(i18n, shifts.schedule.submit)}</button>
        </form>
    }
}

#[component]
fn Templates(board: Board) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let name = RwSignal::new(String::new());
    let start = RwSignal::new("09:00".to_owned());
    let end = RwSignal::new("17:30".to_owned());
    let break_after = RwSignal::new(String::new());
    let break_minutes = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let create = Action::new_local(move |req: &ShiftTemplateRequest| {
        let req = req.clone();
        async move { create_template(api, &req).await.map(|_| ()) }
    });
    let remove = Action::new_local(move |id: &Uuid| {
        let id = *id;
        async move { delete_template(api, id).await }
    });
    let settled = move |r: Option<Result<(), ApiError>>| match r {
        Some(Ok(())) => {
            failure.set(None);
            name.set(String::new());
            board.changed();
        }
        Some(Err(e)) if !errors.set_server(&e) => failure.set(Some(e)),
        _ => {}
    };
    Effect::new(move |_| settled(create.value().get()));
    Effect::new(move |_| settled(remove.value().get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let breaks = match (
            break_after.get_untracked().parse(),
            break_minutes.get_untracked().parse(),
        ) {
            (Ok(after_minutes), Ok(minutes)) => vec![TemplateBreak {
                after_minutes,
                minutes,
                paid: false,
            }],
            _ => vec![],
        };
        let req = ShiftTemplateRequest {
            name: name.get_untracked().trim().to_owned(),
            start_time: start.get_untracked(),
            end_time: end.get_untracked(),
            breaks,
        };
        match req.validate() {
            Ok(()) => {
                errors.clear();
                create.dispatch(req);
            }
            Err(e) => errors.set_local(i18n, &e),
        }
    };
    view! {
        <section class="panel" data-test="templates">
            <h2>{t!(i18n, shifts.templates.title)}</h2>
            <ul class="plain">
                {move || board.templates.get().into_iter().map(|t| {
                    let id = t.id;
                    view! {
                        <li data-test="template-row" data-name=t.name.clone()>
                            <strong>{t.name.clone()}</strong>" "{format!("{}–{}", t.start_time, t.end_time)}
                            " · "{t.breaks.len()}" "{t!(i18n, shifts.templates.breaks)}
                            <button type="button" class="link danger" data-test="template-delete"
                                on:click=move |_| { remove.dispatch(id); }>{t!(i18n, shifts.delete)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form data-test="template-form" on:submit=submit novalidate=true>
                <div class="form-grid">
                    <TextField id="template-name" field="name" required=true value=name errors
                        label=Signal::derive(move || t_string!(i18n, shifts.templates.name).to_string()) />
                    <TextField id="template-start" field="start_time" kind="time" required=true value=start errors
                        label=Signal::derive(move || t_string!(i18n, shifts.start).to_string()) />
                    <TextField id="template-end" field="end_time" kind="time" required=true value=end errors
                        label=Signal::derive(move || t_string!(i18n, shifts.end).to_string()) />
                    <TextField id="template-break-after" field="breaks" kind="number" value=break_after errors
                        label=Signal::derive(move || t_string!(i18n, shifts.templates.break_after).to_string()) />
                    <TextField id="template-break-minutes" field="break_minutes" kind="number" value=break_minutes errors
                        label=Signal::derive(move || t_string!(i18n, shifts.templates.break_minutes).to_string()) />
                </div>
                <ErrorAlert error=failure />
                <button type="submit" data-test="template-submit">{t!(i18n, shifts.templates.add)}</button>
            </form>
        </section>
    }
}
