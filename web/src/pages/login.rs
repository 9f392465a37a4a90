//! The login form, with the server's throttling shown as a countdown.

use cc_types::auth::LoginRequest;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use validator::Validate;

use crate::api::auth::login;
use crate::api::session::{self, SignedOutReason, Tokens};
use crate::api::{ApiError, PublicApi};
use crate::components::{FieldErrors, TextField, error_text};
use crate::context::use_session;
use crate::i18n::*;
use crate::labels::{language_of, language_options, locale_of};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<String>);
    let wait_secs = RwSignal::new(0u32);

    let submit = Action::new_local(move |req: &LoginRequest| {
        let req = req.clone();
        let api = PublicApi {
            lang: ctx.lang.get_untracked(),
        };
        async move { login(api, &req).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(reply)) => {
            let tokens = Tokens::from_response(reply);
            session::save(&tokens);
            ctx.signed_out.set(None);
            ctx.tokens.set(Some(tokens));
        }
        Some(Err(e)) => {
            if let ApiError::Throttled(_, secs) = e {
                countdown(wait_secs, secs);
            }
            errors.set_server(&e);
            failure.set(Some(error_text(i18n, &e)));
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let req = LoginRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        match req.validate() {
            Ok(()) => {
                errors.clear();
                submit.dispatch(req);
            }
            Err(e) => errors.set_local(i18n, &e),
        }
    };
    let notice = move || {
        ctx.signed_out.get().map(|reason| match reason {
            SignedOutReason::Expired => t_string!(i18n, common.errors.session_expired).to_string(),
            SignedOutReason::PasswordChanged => {
                t_string!(i18n, profile.password.changed).to_string()
            }
        })
    };
    let busy = move || submit.pending().get() || wait_secs.get() > 0;
    let current = move || language_of(i18n.get_locale()).as_str();
    view! {
        <main class="login">
            <div class="panel">
                <h1 data-test="page-title">{t!(i18n, login.title)}</h1>
                {move || notice().map(|n| view! { <p class="alert ok" role="status" data-test="login-notice">{n}</p> })}
                <form data-test="login-form" on:submit=on_submit novalidate=true>
                    <TextField id="login-email" field="email" kind="email" autocomplete="username" required=true
                        label=Signal::derive(move || t_string!(i18n, login.email).to_string()) value=email errors />
                    <TextField id="login-password" field="password" kind="password" autocomplete="current-password" required=true
                        label=Signal::derive(move || t_string!(i18n, login.password).to_string()) value=password errors />
                    {move || failure.get().map(|f| view! { <p class="alert error" role="alert" data-test="login-error">{f}</p> })}
                    {move || (wait_secs.get() > 0).then(|| view! {
                        <p class="muted" data-test="login-wait">{t!(i18n, login.throttled, seconds = move || wait_secs.get())}</p>
                    })}
                    <div class="actions">
                        <button type="submit" data-test="login-submit" disabled=busy>
                            {move || if submit.pending().get() { t_string!(i18n, login.submitting) } else { t_string!(i18n, login.submit) }}
                        </button>
                        <label class="visually-hidden" for="login-lang">{t!(i18n, nav.language)}</label>
                        <select id="login-lang" data-test="login-lang" prop:value=current
                            on:change=move |ev| {
                                if let Some(l) = cc_types::Language::from_tag(&event_target_value(&ev)) {
                                    i18n.set_locale(locale_of(l));
                                }
                            }>
                            {language_options().into_iter().map(|(v, l)| view! { <option value=v.clone() lang=v>{l}</option> }).collect_view()}
                        </select>
                    </div>
                </form>
            </div>
        </main>
    }
}

/// Counts `secs` down to zero, one second at a time.
fn countdown(wait: RwSignal<u32>, secs: u32) {
    wait.set(secs);
    spawn_local(async move {
        while wait.get_untracked() > 0 {
            TimeoutFuture::new(1_000).await;
            wait.update(|s| *s = s.saturating_sub(1));
        }
    });
}
