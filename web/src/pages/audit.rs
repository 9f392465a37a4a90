//! The audit log: who changed what, when, with which outcome; filtered and paged.

use cc_types::audit::{AuditEntry, AuditOutcome, AuditQuery};
use chrono::{NaiveDate, TimeZone, Utc};
use leptos::prelude::*;

use crate::api::audit::list_audit;
use crate::components::{
    Column, DataTable, FilterBar, FilterInput, PageTitle, Paging, SelectField,
};
use crate::context::use_api;
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
    let api = use_api();
    let action = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let paging = Paging::new(PAGE);
    paging.restart_on(move || {
        action.track();
        outcome.track();
        from.track();
        to.track();
    });
    let entries = LocalResource::new(move || {
        let query = AuditQuery {
            limit: Some(paging.limit),
            offset: Some(paging.offset.get()),
            actor_user_id: None,
            action: Some(action.get().trim().to_owned()).filter(|s| !s.is_empty()),
            outcome: match outcome.get().as_str() {
                "success" => Some(AuditOutcome::Success),
                "failure" => Some(AuditOutcome::Failure),
                _ => None,
            },
            from: day_start(&from.get(), false),
            to: day_start(&to.get(), true),
        };
        async move { list_audit(api, &query).await }
    });
    let columns = vec![
        Column::new(move || t_string!(i18n, audit.list.when).to_string()),
        Column::new(move || t_string!(i18n, audit.list.actor).to_string()),
        Column::new(move || t_string!(i18n, audit.list.action).to_string()),
        Column::new(move || t_string!(i18n, audit.list.target).to_string()),
        Column::new(move || t_string!(i18n, audit.list.status).to_string()),
        Column::new(move || t_string!(i18n, audit.list.outcome).to_string()),
        Column::new(move || t_string!(i18n, audit.list.request).to_string()),
    ];
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, audit.list.title).to_string()) />
        <FilterBar label=Signal::derive(move || t_string!(i18n, audit.list.filters).to_string())>
            <FilterInput id="audit-action" value=action
                label=Signal::derive(move || t_string!(i18n, audit.list.action).to_string()) />
            <SelectField id="audit-outcome"
                label=Signal::derive(move || t_string!(i18n, audit.list.outcome).to_string())
                value=outcome options=Signal::derive(move || vec![
                    (String::new(), t_string!(i18n, audit.outcomes.any).to_string()),
                    ("success".into(), t_string!(i18n, audit.outcomes.success).to_string()),
                    ("failure".into(), t_string!(i18n, audit.outcomes.failure).to_string()),
                ]) />
            <FilterInput id="audit-from" kind="date" value=from
                label=Signal::derive(move || t_string!(i18n, audit.list.from).to_string()) />
            <FilterInput id="audit-to" kind="date" value=to
                label=Signal::derive(move || t_string!(i18n, audit.list.to).to_string()) />
        </FilterBar>
        <DataTable list=entries paging name="audit" columns
            empty=Signal::derive(move || t_string!(i18n, audit.list.empty).to_string())
            row=|entry| view! { <AuditRow entry /> } />
    }
}

#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let i18n = use_i18n();
    let at = entry.created_at;
    let success = entry.outcome == AuditOutcome::Success;
    view! {
        <tr data-test="audit-row" data-action=entry.action.clone()>
            <td>{move || format::date_time(i18n.get_locale(), &at)}</td>
            <td>{entry.actor_label.clone().unwrap_or_else(|| "—".into())}</td>
            <td><code>{entry.action.clone()}</code></td>
            <td>{entry.target_id.clone().unwrap_or_default()}</td>
            <td>{entry.status}</td>
            <td><span class=if success { "badge success" } else { "badge failure" }>
                {move || if success { t_string!(i18n, audit.outcomes.success) } else { t_string!(i18n, audit.outcomes.failure) }}
            </span></td>
            <td><code>{entry.request_id.clone()}</code></td>
        </tr>
    }
}
