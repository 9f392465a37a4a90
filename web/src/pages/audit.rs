//! The audit log: who changed what, when, with which outcome; filtered and paged.

use cc_types::audit::{AuditEntry, AuditQuery};
use chrono::{NaiveDate, TimeZone, Utc};
use leptos::prelude::*;

use crate::api::{Api, list_audit};
use crate::components::{ErrorAlert, PageTitle, Pager, SelectField};
use crate::format;
use crate::i18n::*;

const PAGE: u64 = 25;

fn day_start(s: &str, end: bool) -> Option<chrono::DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let t = if end {
        d.and_hms_opt(23, 59, 59)?
    } else {
        d.and_hms_opt(0, 0, 0)?
    };
    Utc.from_local_datetime(&t).single()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Api>();
    let action = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let offset = RwSignal::new(0u64);
    Effect::new(move |_| {
        action.track();
        outcome.track();
        from.track();
        to.track();
        offset.set(0);
    });
    let entries = LocalResource::new(move || {
        let query = AuditQuery {
            limit: Some(PAGE),
            offset: Some(offset.get()),
            actor_user_id: None,
            action: Some(action.get().trim().to_owned()).filter(|s| !s.is_empty()),
            outcome: Some(outcome.get()).filter(|s| !s.is_empty()),
            from: day_start(&from.get(), false),
            to: day_start(&to.get(), true),
        };
        async move { list_audit(api, &query).await }
    });
    let total = Signal::derive(move || {
        entries
            .get()
            .and_then(|r| r.ok())
            .map(|p| p.total)
            .unwrap_or_default()
    });
    let date_input = move |id: &'static str, label: Signal<String>, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id data-test=id type="date" prop:value=move || value.get()
                    on:change=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, audit.title).to_string()) />
        <form class="panel form-grid" role="search" aria-label=move || t_string!(i18n, audit.filters).to_string()
            on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="audit-action">{t!(i18n, audit.action)}</label>
                <input id="audit-action" data-test="audit-action" type="search" prop:value=move || action.get()
                    on:change=move |ev| action.set(event_target_value(&ev)) />
            </div>
            <SelectField id="audit-outcome"
                label=Signal::derive(move || t_string!(i18n, audit.outcome).to_string())
                value=outcome options=Signal::derive(move || vec![
                    (String::new(), t_string!(i18n, audit.any_outcome).to_string()),
                    ("success".into(), t_string!(i18n, audit.success).to_string()),
                    ("failure".into(), t_string!(i18n, audit.failure).to_string()),
                ]) />
            {date_input("audit-from", Signal::derive(move || t_string!(i18n, audit.from).to_string()), from)}
            {date_input("audit-to", Signal::derive(move || t_string!(i18n, audit.to).to_string()), to)}
        </form>
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, app.loading)}</p> }>
            {move || entries.get().map(|r| match r {
                Ok(page) => view! { <AuditTable entries=page.items /> }.into_any(),
                Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
            })}
        </Transition>
        <Pager total offset limit=PAGE />
    }
}

#[component]
fn AuditTable(entries: Vec<AuditEntry>) -> impl IntoView {
    let i18n = use_i18n();
    if entries.is_empty() {
        return view! { <p class="muted" data-test="audit-empty">{t!(i18n, audit.empty)}</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table data-test="audit-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, audit.when)}</th>
                    <th scope="col">{t!(i18n, audit.actor)}</th>
                    <th scope="col">{t!(i18n, audit.action)}</th>
                    <th scope="col">{t!(i18n, audit.target)}</th>
                    <th scope="col">{t!(i18n, audit.status)}</th>
                    <th scope="col">{t!(i18n, audit.outcome)}</th>
                    <th scope="col">{t!(i18n, audit.request)}</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|e| {
                        let at = e.created_at;
                        let success = e.outcome == "success";
                        view! {
                            <tr data-test="audit-row" data-action=e.action.clone()>
                                <td>{move || format::date_time(i18n.get_locale(), &at)}</td>
                                <td>{e.actor_label.clone().unwrap_or_else(|| "—".into())}</td>
                                <td><code>{e.action.clone()}</code></td>
                                <td>{e.target_id.clone().unwrap_or_default()}</td>
                                <td>{e.status}</td>
                                <td><span class=if success { "badge success" } else { "badge failure" }>
                                    {move || if success { t_string!(i18n, audit.success) } else { t_string!(i18n, audit.failure) }}
                                </span></td>
                                <td><code>{e.request_id.clone()}</code></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }.into_any()
}
