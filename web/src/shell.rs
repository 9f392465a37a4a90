//! The signed-in application shell: header (realtime state, language, sign-out), and the
//! navigation and routed screens, both built from the route table ([`crate::routes`]).

use cc_types::Language;
use cc_types::auth::Me;
use cc_types::users::UpdateProfileRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api::Api;
use crate::api::auth::{get_me, update_me};
use crate::components::ErrorAlert;
use crate::context::{
    CurrentUser, provide_api, provide_current_user, provide_realtime, use_api, use_realtime,
};
use crate::i18n::*;
use crate::labels::{language_of, language_options, locale_of};
use crate::realtime::{Realtime, WsState};
use crate::routes;

/// `api` is the session's client: only the signed-in shell provides it to the screens.
#[component]
pub fn Shell(api: Api) -> impl IntoView {
    provide_api(api);
    let realtime = Realtime::new(api);
    realtime.start();
    provide_realtime(realtime);
    on_cleanup(move || realtime.stop());
    let me = LocalResource::new(move || get_me(api));
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
            {move || {
                me.get()
                    .map(|result| match result {
                        Ok(me) => view! { <Frame me /> }.into_any(),
                        Err(e) => {
                            view! {
                                <main>
                                    <ErrorAlert error=Signal::derive(move || Some(e.clone())) />
                                    <button on:click=move |_| me.refetch()>{t!(i18n, common.retry)}</button>
                                </main>
                            }
                                .into_any()
                        }
                    })
            }}
        </Suspense>
    }
}

#[component]
fn Frame(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    // A language the person chose wins over the browser's.
    if let Some(language) = me.user.language {
        i18n.set_locale(locale_of(language));
    }
    let user = CurrentUser(RwSignal::new(me));
    provide_current_user(user);
    let entries = move || {
        routes::navigation(i18n, user.role())
            .into_iter()
            .map(|(screen, label)| {
                view! { <li><A href=screen.href() attr:data-test=format!("nav-{}", screen.name)>{label}</A></li> }
            })
            .collect_view()
    };
    view! {
        <a class="skip-link" href="#main">{t!(i18n, nav.skip)}</a>
        <div data-test="shell">
            <TopBar user />
            <div class="layout">
                <nav class="sidebar" aria-label=move || t_string!(i18n, nav.main).to_string()>
                    <ul>{entries}</ul>
                </nav>
                <main id="main" tabindex="-1">
                    <crate::pages::desktop::StateBar />
                    {routes::router(move || user.role())}
                </main>
            </div>
        </div>
    }
}

#[component]
fn TopBar(user: CurrentUser) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let realtime = use_realtime();
    let ws_text = move || match realtime.state.get() {
        WsState::Connecting => t_string!(i18n, nav.realtime.connecting),
        WsState::Open => t_string!(i18n, nav.realtime.open),
        WsState::Closed => t_string!(i18n, nav.realtime.closed),
    };
    let switch_language = move |value: String| {
        let Some(language) = Language::from_tag(&value) else {
            return;
        };
        i18n.set_locale(locale_of(language));
        let req = UpdateProfileRequest {
            display_name: None,
            language: Some(Some(language)),
        };
        spawn_local(async move {
            if let Ok(saved) = update_me(api, &req).await {
                user.0.update(|m| m.user = saved);
            }
        });
    };
    let current = move || language_of(i18n.get_locale()).as_str();
    view! {
        <header class="topbar">
            <span class="brand">{t!(i18n, common.app_name)}</span>
            <span
                class="ws-state"
                data-test="ws-state"
                data-state=move || realtime.state.get().as_str()
                data-subscriptions=move || realtime.confirmed.with(Vec::len)
                role="status"
                aria-label=move || t_string!(i18n, nav.realtime.label).to_string()
            >
                {ws_text}
            </span>
            <span>
                <span class="visually-hidden">{t!(i18n, nav.signed_in_as)}" "</span>
                <span data-test="user-name">{move || user.0.with(|m| m.user.display_name.clone())}</span>
            </span>
            <label class="visually-hidden" for="lang-select">{t!(i18n, nav.language)}</label>
            <select
                id="lang-select"
                data-test="lang-select"
                prop:value=current
                on:change=move |ev| switch_language(event_target_value(&ev))
            >
                {language_options()
                    .into_iter()
                    .map(|(v, l)| {
                        let selected = v == current();
                        view! { <option value=v.clone() lang=v selected=selected>{l}</option> }
                    })
                    .collect_view()}
            </select>
            <button class="secondary" data-test="logout" on:click=move |_| spawn_local(api.logout())>
                {t!(i18n, nav.logout)}
            </button>
        </header>
    }
}
