//! Unknown paths and screens the user's role does not include.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::PageTitle;
use crate::i18n::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, not_found.title).to_string()) />
        <p data-test="not-found">{t!(i18n, not_found.body)}</p>
        <A href="/">{t!(i18n, not_found.back)}</A>
    }
}
