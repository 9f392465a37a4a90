//! Agents from a CSV file (admins): choose or paste the file, check it (a dry run), then
//! import it; the report lists every wrong cell by line and column, and nothing changes
//! while any is wrong.

use cc_types::agent_import::{AgentImportReport, AgentImportRequest};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::api::agents::import_agents;
use crate::components::ErrorAlert;
use crate::context::use_api;
use crate::i18n::*;

/// Reads the chosen file's text into `into`.
fn read_file(ev: leptos::ev::Event, into: RwSignal<String>) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    leptos::task::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await
            && let Some(text) = text.as_string()
        {
            into.set(text);
        }
    });
}

#[component]
pub fn ImportAgents(on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let csv = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiError>);
    let report = RwSignal::new(None::<AgentImportReport>);
    let run = Action::new_local(move |req: &AgentImportRequest| {
        let req = req.clone();
        async move { import_agents(api, &req).await }
    });
    Effect::new(move |_| match run.value().get() {
        Some(Ok(r)) => {
            failure.set(None);
            if r.applied {
                on_done();
            }
            report.set(Some(r));
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    let send = move |dry_run: bool| {
        let text = csv.get_untracked();
        if !text.trim().is_empty() {
            run.dispatch(AgentImportRequest { csv: text, dry_run });
        }
    };
    view! {
        <details class="panel" data-test="agents-import">
            <summary>{t!(i18n, agents.import.title)}</summary>
            <p class="muted">{t!(i18n, agents.import.help)}</p>
            <ErrorAlert error=failure />
            <div class="field">
                <label for="agents-import-file">{t!(i18n, agents.import.file)}</label>
                <input id="agents-import-file" data-test="agents-import-file" type="file" accept=".csv,text/csv"
                    on:change=move |ev| read_file(ev, csv) />
            </div>
            <div class="field wide">
                <label for="agents-import-csv">{t!(i18n, agents.import.text)}</label>
                <textarea id="agents-import-csv" data-test="agents-import-csv" rows="5"
                    prop:value=move || csv.get() on:input=move |ev| csv.set(event_target_value(&ev))></textarea>
            </div>
            <div class="actions">
                <button type="button" data-test="agents-import-check" on:click=move |_| send(true)>
                    {t!(i18n, agents.import.check)}
                </button>
                <button type="button" data-test="agents-import-run" on:click=move |_| send(false)>
                    {t!(i18n, agents.import.run)}
                </button>
            </div>
            {move || report.get().map(|r| view! { <Report r /> })}
        </details>
    }
}

#[component]
fn Report(r: AgentImportReport) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = if r.applied {
        "applied"
    } else if r.issues.is_empty() {
        "checked"
    } else {
        "refused"
    };
    let issues = r
        .issues
        .iter()
        .map(|i| {
            view! {
                <tr data-test="agents-import-issue" data-row=i.row.to_string() data-code=i.code.clone()>
                    <td>{i.row}</td>
                    <td>{i.column.clone().unwrap_or_default()}</td>
                    <td>{i.code.clone()}</td>
                    <td>{i.value.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let summary = match outcome {
        "applied" => t_string!(i18n, agents.import.applied).to_string(),
        "checked" => t_string!(i18n, agents.import.checked).to_string(),
        _ => t_string!(i18n, agents.import.refused).to_string(),
    };
    view! {
        <p data-test="agents-import-report" data-outcome=outcome data-created=r.created.to_string()
            data-updated=r.updated.to_string()>
            {summary}" "{format!("({} / +{} / ~{})", r.rows, r.created, r.updated)}
        </p>
        {(!r.issues.is_empty()).then(|| view! {
            <table class="data">
                <thead><tr>
                    <th>{t!(i18n, agents.import.row)}</th>
                    <th>{t!(i18n, agents.import.column)}</th>
                    <th>{t!(i18n, agents.import.code)}</th>
                    <th>{t!(i18n, agents.import.value)}</th>
                </tr></thead>
                <tbody>{issues}</tbody>
            </table>
        })}
    }
}
