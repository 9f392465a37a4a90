//! API keys for integrators: list, create (the secret is shown once), revoke.

use cc_types::Role;
use cc_types::api_keys::{ApiKey, ApiKeyListQuery, ApiScope, CreateApiKeyRequest};
use chrono::{NaiveDate, Utc};
use leptos::prelude::*;
use uuid::Uuid;
use validator::Validate;

use crate::api::ApiError;
use crate::api::api_keys::{create_api_key, list_api_keys, revoke_api_key};
use crate::components::{
    Column, DataTable, ErrorAlert, FieldErrors, PageTitle, Paging, SelectField, TextField,
};
use crate::context::use_api;
use crate::format;
use crate::i18n::*;
use crate::labels;

const PAGE: u64 = 20;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let paging = Paging::new(PAGE);
    let reload = RwSignal::new(0u64);
    let keys = LocalResource::new(move || {
        reload.track();
        let page = ApiKeyListQuery {
            limit: Some(paging.limit),
            offset: Some(paging.offset.get()),
        };
        async move { list_api_keys(api, &page).await }
    });
    let revoke = Action::new_local(move |id: &Uuid| {
        let id = *id;
        async move { revoke_api_key(api, id).await }
    });
    let failure = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        if let Some(r) = revoke.value().get() {
            failure.set(r.err());
            reload.update(|n| *n += 1);
        }
    });
    let columns = vec![
        Column::new(move || t_string!(i18n, api_keys.list.name).to_string()),
        Column::new(move || t_string!(i18n, api_keys.list.prefix).to_string()),
        Column::new(move || t_string!(i18n, api_keys.list.role).to_string()),
        Column::new(move || t_string!(i18n, api_keys.list.scopes).to_string()),
        Column::new(move || t_string!(i18n, api_keys.list.expires).to_string()),
        Column::new(move || t_string!(i18n, api_keys.list.last_used).to_string()),
        Column::new(move || t_string!(i18n, api_keys.list.status).to_string()),
        Column::hidden(move || t_string!(i18n, api_keys.list.revoke).to_string()),
    ];
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, api_keys.list.title).to_string()) />
        <p class="muted">{t!(i18n, api_keys.list.intro)}</p>
        <CreateKey on_created=move || reload.update(|n| *n += 1) />
        <ErrorAlert error=failure />
        <DataTable list=keys paging name="api-keys" columns
            empty=Signal::derive(move || t_string!(i18n, api_keys.list.empty).to_string())
            row=move |key| view! { <KeyRow key revoke /> } />
    }
}

#[component]
fn KeyRow(key: ApiKey, revoke: Action<Uuid, Result<ApiKey, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let when = move |at: Option<chrono::DateTime<Utc>>| {
        move || {
            at.map(|t| format::date_time(i18n.get_locale(), &t))
                .unwrap_or_else(|| "—".to_owned())
        }
    };
    let id = key.id;
    let revoked = key.revoked_at.is_some();
    let scopes = move || {
        key.scopes
            .iter()
            .map(|s| match s {
                ApiScope::Read => t_string!(i18n, api_keys.scope.read).to_string(),
                ApiScope::Write => t_string!(i18n, api_keys.scope.write).to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <tr data-test="api-key-row" data-name=key.name.clone() data-revoked=revoked.to_string()>
            <td>{key.name.clone()}</td>
            <td><code>{key.prefix.clone()}"…"</code></td>
            <td>{move || labels::role(i18n, key.role)}</td>
            <td>{scopes}</td>
            <td>{when(key.expires_at)}</td>
            <td>{when(key.last_used_at)}</td>
            <td>{move || if revoked {
                view! { <span class="badge inactive">{t!(i18n, api_keys.list.revoked)}</span> }.into_any()
            } else {
                view! { <span class="badge success">{t!(i18n, api_keys.list.active)}</span> }.into_any()
            }}</td>
            <td>{(!revoked).then(|| view! {
                <button class="danger" data-test="api-key-revoke" on:click=move |_| { revoke.dispatch(id); }>
                    {t!(i18n, api_keys.list.revoke)}
                </button>
            })}</td>
        </tr>
    }
}

#[component]
fn CreateKey(on_created: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Analyst.as_str().to_owned());
    let read = RwSignal::new(true);
    let write = RwSignal::new(false);
    let expires = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let secret = RwSignal::new(None::<String>);
    let create = Action::new_local(move |req: &CreateApiKeyRequest| {
        let req = req.clone();
        async move { create_api_key(api, &req).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(created)) => {
            secret.set(Some(created.key));
            name.set(String::new());
            failure.set(None);
            on_created();
        }
        Some(Err(e)) if !errors.set_server(&e) => failure.set(Some(e)),
        Some(Err(_)) => {}
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut scopes = Vec::new();
        if read.get_untracked() {
            scopes.push(ApiScope::Read);
        }
        if write.get_untracked() {
            scopes.push(ApiScope::Write);
        }
        // The key lasts until the end of the chosen day: whole days from today.
        let expires_in_days = NaiveDate::parse_from_str(&expires.get_untracked(), "%Y-%m-%d")
            .ok()
            .map(|d| (d - Utc::now().date_naive()).num_days().clamp(0, 100_000) as u32);
        let req = CreateApiKeyRequest {
            name: name.get_untracked().trim().to_owned(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::Analyst),
            scopes,
            expires_in_days,
        };
        match req.validate() {
            Ok(()) => {
                errors.clear();
                create.dispatch(req);
            }
            Err(e) => {
                errors.set_local(i18n, &e);
                if e.field_errors().contains_key("expires_in_days") {
                    errors.replace(
                        "expires_in_days",
                        t_string!(i18n, api_keys.create.expires_range).to_string(),
                    );
                }
                if e.field_errors().contains_key("scopes") {
                    errors.replace(
                        "scopes",
                        t_string!(i18n, api_keys.create.scopes_required).to_string(),
                    );
                }
            }
        }
    };
    let scopes_error = errors.get("scopes");
    view! {
        {move || secret.get().map(|key| view! {
            <div class="panel" role="alert" data-test="api-key-secret-panel">
                <p><strong>{t!(i18n, api_keys.create.secret_title)}</strong></p>
                <p class="secret" data-test="api-key-secret">{key}</p>
                <button class="secondary" data-test="api-key-secret-dismiss" on:click=move |_| secret.set(None)>{t!(i18n, api_keys.create.dismiss)}</button>
            </div>
        })}
        <form class="panel" data-test="api-key-form" on:submit=on_submit novalidate=true>
            <h2>{t!(i18n, api_keys.create.title)}</h2>
            <div class="form-grid">
                <TextField id="api-key-name" field="name" required=true
                    label=Signal::derive(move || t_string!(i18n, api_keys.create.name).to_string()) value=name errors />
                <SelectField id="api-key-role"
                    label=Signal::derive(move || t_string!(i18n, api_keys.create.role).to_string())
                    value=role options=Signal::derive(move || labels::role_options(i18n)) />
                <fieldset class="field">
                    <legend>{t!(i18n, api_keys.create.scopes)}</legend>
                    <div class="checks">
                        <label><input type="checkbox" data-test="api-key-read" prop:checked=move || read.get()
                            on:change=move |ev| read.set(event_target_checked(&ev)) />" "{t!(i18n, api_keys.scope.read)}</label>
                        <label><input type="checkbox" data-test="api-key-write" prop:checked=move || write.get()
                            on:change=move |ev| write.set(event_target_checked(&ev)) />" "{t!(i18n, api_keys.scope.write)}</label>
                    </div>
                    {move || scopes_error.get().map(|m| view! { <span class="field-error" data-test="field-error-scopes">{m}</span> })}
                </fieldset>
                <TextField id="api-key-expires" field="expires_in_days" kind="date"
                    label=Signal::derive(move || t_string!(i18n, api_keys.create.expires).to_string()) value=expires errors />
            </div>
            <ErrorAlert error=failure />
            <div class="actions">
                <button type="submit" data-test="api-key-submit" disabled=move || create.pending().get()>{t!(i18n, api_keys.create.submit)}</button>
            </div>
        </form>
    }
}
