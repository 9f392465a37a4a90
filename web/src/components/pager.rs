//! Previous/next paging with the visible range ("1–20 of 134").

use leptos::prelude::*;

use crate::format;
use crate::i18n::*;

#[component]
pub fn Pager(#[prop(into)] total: Signal<u64>, offset: RwSignal<u64>, limit: u64) -> impl IntoView {
    let i18n = use_i18n();
    let from = move || {
        if total.get() == 0 {
            0
        } else {
            offset.get() + 1
        }
    };
    let to = move || (offset.get() + limit).min(total.get());
    let range = move || {
        let l = i18n.get_locale();
        t_string!(
            i18n,
            common.pager.range,
            from = format::number(l, from()),
            to = format::number(l, to()),
            total = format::number(l, total.get())
        )
        .to_string()
    };
    view! {
        <div class="pager">
            <button
                class="secondary"
                data-test="pager-prev"
                disabled=move || offset.get() == 0
                on:click=move |_| offset.update(|o| *o = o.saturating_sub(limit))
            >
                {t!(i18n, common.pager.previous)}
            </button>
            <span data-test="pager-range" aria-live="polite">{range}</span>
            <button
                class="secondary"
                data-test="pager-next"
                disabled=move || { offset.get() + limit >= total.get() }
                on:click=move |_| offset.update(|o| *o += limit)
            >
                {t!(i18n, common.pager.next)}
            </button>
        </div>
    }
}
