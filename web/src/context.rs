//! What many components share, in one place: the browser session, the API client, the
//! realtime connection and the signed-in user. The root and the shell provide these, the
//! screens read them; both import this module and neither imports the other.
//!
//! The interface language is leptos_i18n's own context (`crate::i18n::use_i18n`);
//! [`Session::lang`] follows it for the API's `Accept-Language`.

use cc_types::auth::Me;
use cc_types::{Language, Role};
use leptos::prelude::*;

use crate::api::Api;
use crate::api::session::{SignedOutReason, Tokens};
use crate::realtime::Realtime;

/// The browser's session, signed in or not: provided by the root, so the login form has
/// it too.
#[derive(Clone, Copy)]
pub struct Session {
    /// The session's tokens, shared with the browser's other tabs; `None`: signed out.
    pub tokens: RwSignal<Option<Tokens>>,
    /// The API language.
    pub lang: RwSignal<Language>,
    /// Why the last session ended, for the login form to say.
    pub signed_out: RwSignal<Option<SignedOutReason>>,
}

/// The signed-in user, provided by the shell once it has loaded them.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub RwSignal<Me>);

impl CurrentUser {
    pub fn role(self) -> Role {
        self.0.with(|m| m.user.role)
    }
}

pub fn provide_session(session: Session) {
    provide_context(session);
}

pub fn use_session() -> Session {
    expect_context()
}

/// Provided by the signed-in shell only: a screen that needs a token cannot be reached
/// without one.
pub fn provide_api(api: Api) {
    provide_context(api);
}

pub fn use_api() -> Api {
    expect_context()
}

/// The shell's one WebSocket. Screens listen through [`crate::realtime::use_topic`].
pub fn provide_realtime(realtime: Realtime) {
    provide_context(realtime);
}

pub fn use_realtime() -> Realtime {
    expect_context()
}

pub fn provide_current_user(user: CurrentUser) {
    provide_context(user);
}

pub fn use_current_user() -> CurrentUser {
    expect_context()
}
