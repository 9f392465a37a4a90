//! The skill catalogue: everyone reads it; admins and supervisors add, rename and remove
//! skills. Agents will hold these skills at a level, and queues require them.

use cc_types::Role;
use cc_types::skills::{Skill, SkillListQuery, SkillRequest};
use leptos::prelude::*;
use uuid::Uuid;
use validator::Validate;

use crate::api::ApiError;
use crate::api::skills::{create_skill, delete_skill, list_skills, rename_skill};
use crate::components::{Column, DataTable, ErrorAlert, FieldErrors, PageTitle, Paging, TextField};
use crate::context::{use_api, use_current_user};
use crate::i18n::*;

const PAGE: u64 = 50;

#[component]
pub fn SkillsPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let user = use_current_user();
    let paging = Paging::new(PAGE);
    let reload = RwSignal::new(0u64);
    let skills = LocalResource::new(move || {
        reload.track();
        let query = SkillListQuery {
            limit: Some(paging.limit),
            offset: Some(paging.offset.get()),
            q: None,
        };
        async move { list_skills(api, &query).await }
    });
    let editor = matches!(user.role(), Role::Admin | Role::Supervisor);
    let mut columns = vec![Column::new(move || {
        t_string!(i18n, skills.name).to_string()
    })];
    if editor {
        columns.push(Column::hidden(move || {
            t_string!(i18n, skills.actions).to_string()
        }));
    }
    let changed = move || reload.update(|n| *n += 1);
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, skills.title).to_string()) />
        <p class="muted">{t!(i18n, skills.intro)}</p>
        {editor.then(|| view! { <AddSkill on_done=changed /> })}
        <DataTable list=skills paging name="skills" columns
            empty=Signal::derive(move || t_string!(i18n, skills.empty).to_string())
            row=move |skill| view! { <SkillRow skill editor on_done=changed /> } />
    }
}

#[component]
fn SkillRow(skill: Skill, editor: bool, on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let id: Uuid = skill.id;
    let name = RwSignal::new(skill.name.clone());
    let failure = RwSignal::new(None::<ApiError>);
    let rename = Action::new_local(move |req: &SkillRequest| {
        let req = req.clone();
        async move { rename_skill(api, id, &req).await.map(|_| ()) }
    });
    let remove = Action::new_local(move |_: &()| async move { delete_skill(api, id).await });
    let settled = move |result: Option<Result<(), ApiError>>| match result {
        Some(Ok(())) => {
            failure.set(None);
            on_done();
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    };
    Effect::new(move |_| settled(rename.value().get()));
    Effect::new(move |_| settled(remove.value().get()));
    let save = move || {
        let req = SkillRequest {
            name: name.get_untracked().trim().to_owned(),
        };
        if req.validate().is_ok() {
            rename.dispatch(req);
        }
    };
    view! {
        <tr data-test="skill-row" data-name=skill.name.clone()>
            <td>
                {if editor {
                    view! {
                        <input data-test="skill-name" aria-label=move || t_string!(i18n, skills.name).to_string()
                            prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev))
                            on:change=move |_| save() />
                    }.into_any()
                } else {
                    view! { <span>{skill.name.clone()}</span> }.into_any()
                }}
                <ErrorAlert error=failure />
            </td>
            {editor.then(|| view! {
                <td>
                    <button class="danger" data-test="skill-delete" on:click=move |_| { remove.dispatch(()); }>
                        {t!(i18n, skills.delete)}
                    </button>
                </td>
            })}
        </tr>
    }
}

#[component]
fn AddSkill(on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let name = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let create = Action::new_local(move |req: &SkillRequest| {
        let req = req.clone();
        async move { create_skill(api, &req).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            name.set(String::new());
            failure.set(None);
            on_done();
        }
        Some(Err(e)) if !errors.set_server(&e) => failure.set(Some(e)),
        Some(Err(_)) => {}
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = SkillRequest {
            name: name.get_untracked().trim().to_owned(),
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
        <form class="panel" data-test="skill-form" on:submit=on_submit novalidate=true>
            <div class="form-grid">
                <TextField id="skill-new-name" field="name" required=true
                    label=Signal::derive(move || t_string!(i18n, skills.new_name).to_string()) value=name errors />
            </div>
            <ErrorAlert error=failure />
            <div class="actions">
                <button type="submit" data-test="skill-submit" disabled=move || create.pending().get()>{t!(i18n, skills.add)}</button>
            </div>
        </form>
    }
}
