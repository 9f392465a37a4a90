//! The "new user" form.

use cc_types::users::{CreateUserRequest, User};
use cc_types::{Language, Role};
use leptos::prelude::*;
use validator::Validate;

use crate::api::ApiError;
use crate::api::users::create_user;
use crate::components::{ErrorAlert, FieldErrors, SelectField, TextField};
use crate::context::use_api;
use crate::i18n::*;
use crate::labels;

#[component]
pub fn CreateUser(on_created: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let open = RwSignal::new(false);
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Agent.as_str().to_owned());
    let language = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<String>);
    let create = Action::new_local(move |req: &CreateUserRequest| {
        let req = req.clone();
        async move { create_user(api, &req).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(user)) => done(user, &[email, name, password], open, created, on_created),
        Some(Err(e)) if !errors.set_server(&e) => failure.set(Some(e)),
        Some(Err(_)) => {}
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let req = CreateUserRequest {
            email: email.get_untracked().trim().to_owned(),
            display_name: name.get_untracked().trim().to_owned(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::Agent),
            password: password.get_untracked(),
            language: Language::from_tag(&language.get_untracked()),
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
        {move || created.get().map(|email| view! {
            <p class="alert ok" role="status" data-test="user-created">{t!(i18n, users.create.created, email = email.clone())}</p>
        })}
        <Show when=move || open.get() fallback=move || view! {
            <div class="actions">
                <button data-test="user-create-open" on:click=move |_| { created.set(None); open.set(true) }>{t!(i18n, users.create.open)}</button>
            </div>
        }>
            <form class="panel" data-test="user-form" on:submit=on_submit novalidate=true>
                <h2>{t!(i18n, users.create.title)}</h2>
                <div class="form-grid">
                    <TextField id="user-form-email" field="email" kind="email" required=true
                        label=Signal::derive(move || t_string!(i18n, users.create.email).to_string()) value=email errors />
                    <TextField id="user-form-name" field="display_name" required=true
                        label=Signal::derive(move || t_string!(i18n, users.create.name).to_string()) value=name errors />
                    <SelectField id="user-form-role"
                        label=Signal::derive(move || t_string!(i18n, users.create.role).to_string())
                        value=role options=Signal::derive(move || labels::role_options(i18n)) />
                    <SelectField id="user-form-language"
                        label=Signal::derive(move || t_string!(i18n, users.create.language).to_string())
                        value=language options=Signal::derive(move || labels::chosen_language_options(i18n)) />
                    <TextField id="user-form-password" field="password" kind="password" autocomplete="new-password" required=true
                        label=Signal::derive(move || t_string!(i18n, users.create.password).to_string()) value=password errors />
                </div>
                <ErrorAlert error=failure />
                <div class="actions">
                    <button type="submit" data-test="user-form-submit" disabled=move || create.pending().get()>{t!(i18n, users.create.submit)}</button>
                    <button type="button" class="secondary" data-test="user-form-cancel" on:click=move |_| open.set(false)>{t!(i18n, common.cancel)}</button>
                </div>
            </form>
        </Show>
    }
}

fn done(
    user: User,
    fields: &[RwSignal<String>],
    open: RwSignal<bool>,
    created: RwSignal<Option<String>>,
    on_created: impl Fn(),
) {
    for f in fields {
        f.set(String::new());
    }
    open.set(false);
    created.set(Some(user.email));
    on_created();
}
