//! A filtered, paged list of the API's `Page<T>`: the filter form, the table (or the empty
//! message, or the error), and the pager, the same on every screen that lists things.
//!
//! The screen owns the query: it builds it from its filters and [`Paging`], loads it into a
//! `LocalResource`, and gives that and a row view to [`DataTable`].

use cc_types::Page;
use leptos::prelude::*;

use super::{ErrorAlert, Pager};
use crate::api::ApiError;
use crate::i18n::*;

/// Where a list is: its offset, and how many rows a page holds.
#[derive(Clone, Copy)]
pub struct Paging {
    pub offset: RwSignal<u64>,
    pub limit: u64,
}

impl Paging {
    pub fn new(limit: u64) -> Paging {
        Paging {
            offset: RwSignal::new(0),
            limit,
        }
    }

    /// Back to the first page whenever a signal `filters` reads changes: a new filter's
    /// results start at their beginning.
    pub fn restart_on(self, filters: impl Fn() + 'static) {
        let offset = self.offset;
        Effect::new(move |_| {
            filters();
            offset.set(0);
        });
    }
}

/// A column's heading. A hidden one is still read by screen readers (action columns).
#[derive(Clone, Copy)]
pub struct Column {
    label: Signal<String>,
    hidden: bool,
}

impl Column {
    pub fn new(label: impl Fn() -> String + Send + Sync + 'static) -> Column {
        Column {
            label: Signal::derive(label),
            hidden: false,
        }
    }

    pub fn hidden(label: impl Fn() -> String + Send + Sync + 'static) -> Column {
        Column {
            hidden: true,
            ..Column::new(label)
        }
    }
}

/// The search form above a list; its fields are the children. Changing a field applies it.
#[component]
pub fn FilterBar(#[prop(into)] label: Signal<String>, children: Children) -> impl IntoView {
    view! {
        <form class="panel form-grid" role="search" aria-label=move || label.get()
            on:submit=|ev| ev.prevent_default()>
            {children()}
        </form>
    }
}

/// A filter input (`search`, `date`, ...) with its label; applied when the value is
/// committed (enter, blur, a picked date), not on every key.
#[component]
pub fn FilterInput(
    /// The `id` and `data-test` of the input.
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(default = "search")] kind: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id data-test=id type=kind prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev)) />
        </div>
    }
}

/// One page of `list` as a table (`data-test="<name>-table"`, one `row` per item), or the
/// `empty` message (`<name>-empty`), or the error; then the pager.
#[component]
pub fn DataTable<T, R, V>(
    list: LocalResource<Result<Page<T>, ApiError>>,
    paging: Paging,
    /// Names the table and its empty message in `data-test` attributes.
    name: &'static str,
    columns: Vec<Column>,
    #[prop(into)] empty: Signal<String>,
    row: R,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let total = Signal::derive(move || {
        list.get()
            .and_then(|r| r.ok())
            .map(|p| p.total)
            .unwrap_or_default()
    });
    let shown = move || {
        list.get().map(|result| match result {
            Ok(page) if page.items.is_empty() => {
                view! { <p class="muted" data-test=format!("{name}-empty")>{empty}</p> }.into_any()
            }
            Ok(page) => {
                let rows = page.items.into_iter().map(row.clone()).collect_view();
                view! {
                    <div class="table-wrap">
                        <table data-test=format!("{name}-table")>
                            <thead><tr>{columns.iter().map(heading).collect_view()}</tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
            Err(e) => {
                view! { <ErrorAlert error=Signal::derive(move || Some(e.clone())) /> }.into_any()
            }
        })
    };
    view! {
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, common.loading)}</p> }>
            {shown.clone()}
        </Transition>
        <Pager total offset=paging.offset limit=paging.limit />
    }
}

fn heading(column: &Column) -> impl IntoView + use<> {
    let label = column.label;
    if column.hidden {
        view! { <th scope="col"><span class="visually-hidden">{label}</span></th> }.into_any()
    } else {
        view! { <th scope="col">{label}</th> }.into_any()
    }
}
