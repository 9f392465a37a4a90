//! The signed-in user's own profile: name, language, password.

use cc_types::Language;
use cc_types::users::{ChangePasswordRequest, UpdateProfileRequest, User};
use leptos::prelude::*;
use validator::Validate;

use crate::api::ApiError;
use crate::api::auth::{change_password, update_me};
use crate::api::session::SignedOutReason;
use crate::components::{ErrorAlert, FieldErrors, PageTitle, SelectField, TextField};
use crate::context::{CurrentUser, use_api, use_current_user};
use crate::i18n::*;
use crate::labels::{browser_locale, chosen_language_options, locale_of};
use leptos_i18n::I18nContext;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, profile.title).to_string()) />
        <DetailsForm />
        <PasswordForm />
    }
}

#[component]
fn DetailsForm() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let user = use_current_user();
    let (email, name0, lang0) = user.0.with_untracked(|m| {
        (
            m.user.email.clone(),
            m.user.display_name.clone(),
            m.user.language,
        )
    });
    let name = RwSignal::new(name0);
    let language = RwSignal::new(lang0.map_or_else(String::new, |l| l.as_str().to_owned()));
    let errors = FieldErrors::default();
    let save = Action::new_local(move |req: &UpdateProfileRequest| {
        let req = req.clone();
        async move { update_me(api, &req).await }
    });
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(u)) => applied(i18n, user, u, saved, failure),
        Some(Err(e)) => {
            errors.set_server(&e);
            failure.set(Some(e));
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let req = UpdateProfileRequest {
            display_name: Some(name.get_untracked().trim().to_owned()),
            // The empty choice clears it: the browser decides again.
            language: Some(Language::from_tag(&language.get_untracked())),
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
        <form class="panel" data-test="profile-form" on:submit=on_submit novalidate=true>
            <h2>{t!(i18n, profile.details.title)}</h2>
            <p><span class="muted">{t!(i18n, profile.details.email)}": "</span><span data-test="profile-email">{email}</span></p>
            <div class="form-grid">
                <TextField id="profile-name" field="display_name" required=true
                    label=Signal::derive(move || t_string!(i18n, profile.details.name).to_string()) value=name errors />
                <SelectField id="profile-language"
                    label=Signal::derive(move || t_string!(i18n, profile.details.language).to_string())
                    value=language options=Signal::derive(move || chosen_language_options(i18n)) />
            </div>
            <ErrorAlert error=failure />
            {move || saved.get().then(|| view! { <p class="alert ok" role="status" data-test="profile-saved">{t!(i18n, common.saved)}</p> })}
            <div class="actions">
                <button type="submit" data-test="profile-save" disabled=move || save.pending().get()>{t!(i18n, common.save)}</button>
            </div>
        </form>
    }
}

fn applied(
    i18n: I18nContext<Locale>,
    user: CurrentUser,
    saved_user: User,
    saved: RwSignal<bool>,
    failure: RwSignal<Option<ApiError>>,
) {
    i18n.set_locale(saved_user.language.map_or_else(browser_locale, locale_of));
    user.0.update(|m| m.user = saved_user);
    failure.set(None);
    saved.set(true);
}

#[component]
fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let change = Action::new_local(move |req: &ChangePasswordRequest| {
        let req = req.clone();
        async move { change_password(api, &req).await }
    });
    Effect::new(move |_| match change.value().get() {
        // Every session of the user ends with the change: sign in again.
        Some(Ok(())) => api.end(Some(SignedOutReason::PasswordChanged)),
        Some(Err(e)) => {
            if !errors.set_server(&e)
                && e.code() == Some(cc_types::ErrorCode::CurrentPasswordIncorrect)
            {
                errors.push(
                    "current_password",
                    e.detail().unwrap_or_default().to_owned(),
                );
            } else {
                failure.set(Some(e));
            }
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let req = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        };
        match req.validate() {
            Ok(()) => {
                errors.clear();
                change.dispatch(req);
            }
            Err(e) => errors.set_local(i18n, &e),
        }
    };
    view! {
        <form class="panel" data-test="password-form" on:submit=on_submit novalidate=true>
            <h2>{t!(i18n, profile.password.title)}</h2>
            <div class="form-grid">
                <TextField id="password-current" field="current_password" kind="password" autocomplete="current-password" required=true
                    label=Signal::derive(move || t_string!(i18n, profile.password.current_password).to_string()) value=current errors />
                <TextField id="password-new" field="new_password" kind="password" autocomplete="new-password" required=true
                    label=Signal::derive(move || t_string!(i18n, profile.password.new_password).to_string()) value=new errors />
            </div>
            <ErrorAlert error=failure />
            <div class="actions">
                <button type="submit" data-test="password-submit" disabled=move || change.pending().get()>{t!(i18n, profile.password.submit)}</button>
            </div>
        </form>
    }
}
