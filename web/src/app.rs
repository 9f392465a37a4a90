//! The root: language, the session's tokens (shared with the browser's other tabs), and the
//! choice between the login form and the signed-in shell.

use leptos::prelude::*;
use leptos_router::components::Router;

use crate::api::Api;
use crate::api::session::{self, Tokens};
use crate::context::{Session, provide_session};
use crate::i18n::*;
use crate::labels::language_of;
use crate::pages::login::LoginPage;
use crate::shell::Shell;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <Root />
        </I18nContextProvider>
    }
}

#[component]
fn Root() -> impl IntoView {
    let i18n = use_i18n();
    let tokens = RwSignal::new(session::load());
    let lang = RwSignal::new(language_of(i18n.get_locale_untracked()));
    // Error details from the server follow the interface language.
    Effect::new(move |_| lang.set(language_of(i18n.get_locale())));
    let ctx = Session {
        tokens,
        lang,
        signed_out: RwSignal::new(None),
    };
    provide_session(ctx);
    // Owned here, not by the shell, so a renewal in flight outlives a sign-out.
    let api = Api::new(tokens, lang, ctx.signed_out);
    // The root lives as long as the page: the listener is never removed.
    let _ = session::watch(move |stored| follow_other_tab(ctx, stored));
    let signed_in = Memo::new(move |_| tokens.with(Option::is_some));
    view! {
        <Router>
            <Show when=move || signed_in.get() fallback=|| view! { <LoginPage /> }>
                <Shell api />
            </Show>
        </Router>
    }
}

/// Another tab signed in, renewed or signed out: this tab follows.
fn follow_other_tab(ctx: Session, stored: Option<Tokens>) {
    let mine = ctx.tokens.get_untracked();
    match (mine, stored) {
        (None, None) => {}
        (Some(_), None) => {
            ctx.signed_out.set(None);
            ctx.tokens.set(None);
        }
        // A different sign-in replaced this tab's: what the shell loaded belongs to another
        // session (maybe another user), so start over with the new one.
        (Some(mine), Some(theirs)) if mine.session_id() != theirs.session_id() => {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
        (mine, Some(theirs)) => {
            if mine.as_ref() != Some(&theirs) {
                ctx.signed_out.set(None);
                ctx.tokens.set(Some(theirs));
            }
        }
    }
}
