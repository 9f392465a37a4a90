//! One agent's profile, edited in place: extension, languages, time zone, wrap-up, AI
//! handoffs and a level (or none) for every skill of the catalogue; or the profile deleted.

use std::collections::HashMap;

use cc_types::agents::{Agent, AgentSkill, LanguageTag, UpdateAgentRequest};
use cc_types::skills::Skill;
use leptos::prelude::*;
use uuid::Uuid;
use validator::Validate;

use crate::api::ApiError;
use crate::api::agents::{delete_agent, update_agent};
use crate::components::{ErrorAlert, FieldErrors, TextField};
use crate::context::use_api;
use crate::i18n::*;

/// "es-MX, cs" → tags (blank entries dropped).
pub(crate) fn parse_languages(text: &str) -> Vec<LanguageTag> {
    text.split([',', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| LanguageTag(s.to_owned()))
        .collect()
}

/// A blank field is `None`.
fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|s| !s.is_empty())
}

#[component]
pub fn AgentEditor(
    agent: Agent,
    skills: Signal<Vec<Skill>>,
    on_done: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let id = agent.id;
    let extension = RwSignal::new(agent.extension.clone().unwrap_or_default());
    let languages = RwSignal::new(
        agent
            .languages
            .iter()
            .map(|l| l.0.clone())
            .collect::<Vec<_>>()
            .join(", "),
    );
    let time_zone = RwSignal::new(agent.time_zone.clone().unwrap_or_default());
    let wrap_up = RwSignal::new(
        agent
            .wrap_up_secs
            .map(|s| s.to_string())
            .unwrap_or_default(),
    );
    let ai = RwSignal::new(agent.accepts_ai_handoff);
    let levels: RwSignal<HashMap<Uuid, u8>> =
        RwSignal::new(agent.skills.iter().map(|s| (s.skill_id, s.level)).collect());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let save = Action::new_local(move |req: &UpdateAgentRequest| {
        let req = req.clone();
        async move { update_agent(api, id, &req).await.map(|_| ()) }
    });
    let remove = Action::new_local(move |_: &()| async move { delete_agent(api, id).await });
    let settled = move |result: Option<Result<(), ApiError>>| match result {
        Some(Ok(())) => {
            failure.set(None);
            on_done();
        }
        Some(Err(e)) if !errors.set_server(&e) => failure.set(Some(e)),
        Some(Err(_)) | None => {}
    };
    Effect::new(move |_| settled(save.value().get()));
    Effect::new(move |_| settled(remove.value().get()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wrap_text = wrap_up.get_untracked();
        let req = UpdateAgentRequest {
            extension: Some(optional(&extension.get_untracked())),
            languages: Some(parse_languages(&languages.get_untracked())),
            skills: Some(
                levels
                    .get_untracked()
                    .into_iter()
                    .map(|(skill_id, level)| AgentSkill { skill_id, level })
                    .collect(),
            ),
            queue_ids: None,
            time_zone: Some(optional(&time_zone.get_untracked())),
            // An unreadable number is sent as out of range, so the field shows why.
            wrap_up_secs: Some(optional(&wrap_text).map(|s| s.parse().unwrap_or(u32::MAX))),
            accepts_ai_handoff: Some(ai.get_untracked()),
        };
        match req.validate() {
            Ok(()) => {
                errors.clear();
                save.dispatch(req);
            }
            Err(e) => errors.set_local(i18n, &e),
        }
    };
    view! {
        <form class="panel" data-test="agent-editor" on:submit=on_submit novalidate=true>
            <div class="form-grid">
                <TextField id="agent-extension-input" field="extension" value=extension errors
                    label=Signal::derive(move || t_string!(i18n, agents.extension).to_string()) />
                <TextField id="agent-languages-input" field="languages" value=languages errors
                    label=Signal::derive(move || t_string!(i18n, agents.editor.languages).to_string()) />
                <TextField id="agent-time-zone" field="time_zone" value=time_zone errors
                    label=Signal::derive(move || t_string!(i18n, agents.editor.time_zone).to_string()) />
                <TextField id="agent-wrap-up" field="wrap_up_secs" value=wrap_up errors kind="number"
                    label=Signal::derive(move || t_string!(i18n, agents.editor.wrap_up).to_string()) />
                <div class="field">
                    <label>
                        <input type="checkbox" data-test="agent-ai-handoff" prop:checked=move || ai.get()
                            on:change=move |ev| ai.set(event_target_checked(&ev)) />
                        " "{t!(i18n, agents.editor.ai_handoff)}
                    </label>
                </div>
            </div>
            <fieldset class="skill-levels">
                <legend>{t!(i18n, agents.skills)}</legend>
                {move || skills.get().into_iter().map(|skill| {
                    let sid = skill.id;
                    let current = move || levels.with(|l| l.get(&sid).map(|v| v.to_string()).unwrap_or_default());
                    view! {
                        <label class="field" data-test="agent-skill-level" data-name=skill.name.clone()>
                            {skill.name.clone()}" "
                            <select prop:value=current
                                on:change=move |ev| {
                                    let value: Option<u8> = event_target_value(&ev).parse().ok();
                                    levels.update(|l| match value {
                                        Some(v) => { l.insert(sid, v); }
                                        None => { l.remove(&sid); }
                                    });
                                }>
                                <option value="">{t!(i18n, agents.editor.not_held)}</option>
                                {(1..=cc_types::agents::MAX_SKILL_LEVEL).map(|n| {
                                    let selected = levels.with_untracked(|l| l.get(&sid) == Some(&n));
                                    view! { <option value=n.to_string() selected=selected>{n}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <ErrorAlert error=failure />
            <div class="actions">
                <button type="submit" data-test="agent-save" disabled=move || save.pending().get()>{t!(i18n, agents.editor.save)}</button>
                <button type="button" class="danger" data-test="agent-delete"
                    on:click=move |_| { remove.dispatch(()); }>{t!(i18n, agents.editor.delete)}</button>
            </div>
        </form>
    }
}
