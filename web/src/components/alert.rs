//! A failed call, explained in the reader's language.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::*;
use leptos_i18n::I18nContext;

/// The sentence for an error: the server's localized detail for problems, our own
/// translation for the kinds the server never saw.
pub fn error_text(i18n: I18nContext<Locale>, e: &ApiError) -> String {
    match e {
        ApiError::Problem(p) | ApiError::Throttled(p, _) => p.detail.clone(),
        ApiError::Network => t_string!(i18n, common.errors.network).to_string(),
        ApiError::SessionExpired => t_string!(i18n, common.errors.session_expired).to_string(),
        ApiError::Unexpected(_) => t_string!(i18n, common.errors.unexpected).to_string(),
    }
}

/// Shows `error` when it holds one, announced to screen readers.
#[component]
pub fn ErrorAlert(#[prop(into)] error: Signal<Option<ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|e| {
            view! {
                <p class="alert error" role="alert" data-test="error-alert">
                    {error_text(i18n, &e)}
                </p>
            }
        })
    }
}
