//! Give a user an agent profile (admins): pick an agent or supervisor, optionally a team
//! and an extension. Skills and languages are set on the profile afterwards.

use cc_types::agents::CreateAgentRequest;
use cc_types::teams::Team;
use cc_types::users::UserListQuery;
use cc_types::{Page, Role};
use leptos::prelude::*;
use validator::Validate;

use crate::api::ApiError;
use crate::api::agents::create_agent;
use crate::api::users::list_users;
use crate::components::{ErrorAlert, FieldErrors, SelectField, TextField};
use crate::context::use_api;
use crate::i18n::*;

#[component]
pub fn CreateAgent(teams: Signal<Vec<Team>>, on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let user = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let extension = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    // People who may hold a profile: active agents and supervisors.
    let people = LocalResource::new(move || async move {
        let mut all = Vec::new();
        for role in [Role::Agent, Role::Supervisor] {
            let query = UserListQuery {
                limit: Some(500),
                role: Some(role),
                active: Some(true),
                ..Default::default()
            };
            let page: Page<_> = list_users(api, &query).await?;
            all.extend(page.items);
        }
        Ok::<_, ApiError>(all)
    });
    let user_options = Signal::derive(move || {
        std::iter::once((String::new(), "—".to_owned()))
            .chain(
                people
                    .get()
                    .and_then(Result::ok)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|u| {
                        (
                            u.id.to_string(),
                            format!("{} <{}>", u.display_name, u.email),
                        )
                    }),
            )
            .collect::<Vec<_>>()
    });
    let team_options = Signal::derive(move || {
        std::iter::once((String::new(), t_string!(i18n, agents.no_team).to_string()))
            .chain(teams.get().into_iter().map(|t| (t.id.to_string(), t.name)))
            .collect::<Vec<_>>()
    });
    let create = Action::new_local(move |req: &CreateAgentRequest| {
        let req = req.clone();
        async move { create_agent(api, &req).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            user.set(String::new());
            extension.set(String::new());
            failure.set(None);
            on_done();
        }
        Some(Err(e)) if !errors.set_server(&e) => failure.set(Some(e)),
        Some(Err(_)) | None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(user_id) = user.get_untracked().parse() else {
            errors.clear();
            errors.push(
                "user_id",
                t_string!(i18n, agents.create.pick_user).to_string(),
            );
            return;
        };
        let req = CreateAgentRequest {
            user_id,
            extension: Some(extension.get_untracked().trim().to_owned()).filter(|s| !s.is_empty()),
            languages: Vec::new(),
            skills: Vec::new(),
            queue_ids: Vec::new(),
            team_id: team.get_untracked().parse().ok(),
            time_zone: None,
            wrap_up_secs: None,
            accepts_ai_handoff: true,
        };
        match req.validate() {
            Ok(()) => {
                errors.clear();
                create.dispatch(req);
            }
            Err(e) => errors.set_local(i18n, &e),
        }
    };
    let user_error = errors.get("user_id");
    view! {
        <form class="panel" data-test="agent-form" on:submit=on_submit novalidate=true>
            <h2>{t!(i18n, agents.create.title)}</h2>
            <div class="form-grid">
                <SelectField id="agent-user" value=user options=user_options
                    label=Signal::derive(move || t_string!(i18n, agents.create.user).to_string()) />
                <SelectField id="agent-team-new" value=team options=team_options
                    label=Signal::derive(move || t_string!(i18n, agents.team).to_string()) />
                <TextField id="agent-extension-new" field="extension" value=extension errors
                    label=Signal::derive(move || t_string!(i18n, agents.extension).to_string()) />
            </div>
            {move || user_error.get().map(|m| view! { <p class="field-error" data-test="field-error-user_id">{m}</p> })}
            <ErrorAlert error=failure />
            <div class="actions">
                <button type="submit" data-test="agent-submit" disabled=move || create.pending().get()>{t!(i18n, agents.create.submit)}</button>
            </div>
        </form>
    }
}
