//! API keys for integrators: list, create (the secret is shown once), revoke.

use cc_types::Role;
use cc_types::api_keys::{ApiKey, ApiKeyListQuery, ApiScope, CreateApiKeyRequest};
use chrono::{NaiveDate, TimeZone, Utc};
use leptos::prelude::*;
use uuid::Uuid;
use validator::Validate;

use crate::api::{Api, ApiError, create_api_key, list_api_keys, revoke_api_key};
use crate::components::{ErrorAlert, FieldErrors, PageTitle, Pager, SelectField, TextField};
use crate::format;
use crate::i18n::*;
use crate::labels;

const PAGE: u64 = 20;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Api>();
    let offset = RwSignal::new(0u64);
    let reload = RwSignal::new(0u64);
    let keys = LocalResource::new(move || {
        reload.track();
        let page = ApiKeyListQuery {
            limit: Some(PAGE),
            offset: Some(offset.get()),
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
    let total = Signal::derive(move || {
        keys.get()
            .and_then(|r| r.ok())
            .map(|p| p.total)
            .unwrap_or_default()
    });
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, api_keys.title).to_string()) />
        <p class="muted">{t!(i18n, api_keys.intro)}</p>
        <CreateKey on_created=move || reload.update(|n| *n += 1) />
        <ErrorAlert error=failure />
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, app.loading)}</p> }>
            {move || keys.get().map(|r| match r {
                Ok(page) => view! { <KeyTable keys=page.items revoke /> }.into_any(),
                Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
            })}
        </Transition>
        <Pager total offset limit=PAGE />
    }
}

#[component]
fn KeyTable(keys: Vec<ApiKey>, revoke: Action<Uuid, Result<ApiKey, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    if keys.is_empty() {
        return view! { <p class="muted" data-test="api-keys-empty">{t!(i18n, api_keys.empty)}</p> }.into_any();
    }
    let when = move |at: Option<chrono::DateTime<Utc>>, none: &'static str| {
        move || {
            at.map(|t| format::date_time(i18n.get_locale(), &t))
                .unwrap_or_else(|| none.to_owned())
        }
    };
    view! {
        <div class="table-wrap">
            <table data-test="api-keys-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, api_keys.name)}</th>
                    <th scope="col">{t!(i18n, api_keys.prefix)}</th>
                    <th scope="col">{t!(i18n, api_keys.role)}</th>
                    <th scope="col">{t!(i18n, api_keys.scopes)}</th>
                    <th scope="col">{t!(i18n, api_keys.expires)}</th>
                    <th scope="col">{t!(i18n, api_keys.last_used)}</th>
                    <th scope="col">{t!(i18n, api_keys.status)}</th>
                    <th scope="col"><span class="visually-hidden">{t!(i18n, api_keys.revoke)}</span></th>
                </tr></thead>
                <tbody>
                    {keys.into_iter().map(|k| {
                        let id = k.id;
                        let revoked = k.revoked_at.is_some();
                        let scopes = move || k.scopes.iter().map(|s| match s {
                            ApiScope::Read => t_string!(i18n, api_keys.read).to_string(),
                            ApiScope::Write => t_string!(i18n, api_keys.write).to_string(),
                        }).collect::<Vec<_>>().join(", ");
                        view! {
                            <tr data-test="api-key-row" data-name=k.name.clone() data-revoked=revoked.to_string()>
                                <td>{k.name.clone()}</td>
                                <td><code>{k.prefix.clone()}"…"</code></td>
                                <td>{move || labels::role(i18n, k.role)}</td>
                                <td>{scopes}</td>
                                <td>{when(k.expires_at, "—")}</td>
                                <td>{when(k.last_used_at, "—")}</td>
                                <td>{move || if revoked {
                                    view! { <span class="badge inactive">{t!(i18n, api_keys.revoked)}</span> }.into_any()
                                } else {
                                    view! { <span class="badge success">{t!(i18n, api_keys.active)}</span> }.into_any()
                                }}</td>
                                <td>{(!revoked).then(|| view! {
                                    <button class="danger" data-test="api-key-revoke" on:click=move |_| { revoke.dispatch(id); }>
                                        {t!(i18n, api_keys.revoke)}
                                    </button>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }.into_any()
}

#[component]
fn CreateKey(on_created: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Api>();
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
        let expires_at = NaiveDate::parse_from_str(&expires.get_untracked(), "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(23, 59, 59))
            .and_then(|t| Utc.from_local_datetime(&t).single());
        let req = CreateApiKeyRequest {
            name: name.get_untracked().trim().to_owned(),
            role: Role::parse(&role.get_untracked()).unwrap_or(Role::Analyst),
            scopes,
            expires_at,
        };
        match req.validate() {
            Ok(()) => {
                errors.clear();
                create.dispatch(req);
            }
            Err(e) => {
                errors.set_local(i18n, &e);
                if e.field_errors().contains_key("scopes") {
                    errors.push("scopes", t_string!(i18n, validation.scopes).to_string());
                }
            }
        }
    };
    let scopes_error = errors.get("scopes");
    view! {
        {move || secret.get().map(|key| view! {
            <div class="panel" role="alert" data-test="api-key-secret-panel">
                <p><strong>{t!(i18n, api_keys.created_title)}</strong></p>
                <p class="secret" data-test="api-key-secret">{key}</p>
                <button class="secondary" data-test="api-key-secret-dismiss" on:click=move |_| secret.set(None)>{t!(i18n, api_keys.dismiss)}</button>
            </div>
        })}
        <form class="panel" data-test="api-key-form" on:submit=on_submit novalidate=true>
            <h2>{t!(i18n, api_keys.create_title)}</h2>
            <div class="form-grid">
                <TextField id="api-key-name" field="name" required=true
                    label=Signal::derive(move || t_string!(i18n, api_keys.name).to_string()) value=name errors />
                <SelectField id="api-key-role"
                    label=Signal::derive(move || t_string!(i18n, api_keys.role).to_string())
                    value=role options=Signal::derive(move || labels::role_options(i18n)) />
                <fieldset class="field">
                    <legend>{t!(i18n, api_keys.scopes)}</legend>
                    <div class="checks">
                        <label><input type="checkbox" data-test="api-key-read" prop:checked=move || read.get()
                            on:change=move |ev| read.set(event_target_checked(&ev)) />" "{t!(i18n, api_keys.read)}</label>
                        <label><input type="checkbox" data-test="api-key-write" prop:checked=move || write.get()
                            on:change=move |ev| write.set(event_target_checked(&ev)) />" "{t!(i18n, api_keys.write)}</label>
                    </div>
                    {move || scopes_error.get().map(|m| view! { <span class="field-error" data-test="field-error-scopes">{m}</span> })}
                </fieldset>
                <TextField id="api-key-expires" field="expires_at" kind="date"
                    label=Signal::derive(move || t_string!(i18n, api_keys.expires).to_string()) value=expires errors />
            </div>
            <ErrorAlert error=failure />
            <div class="actions">
                <button type="submit" data-test="api-key-submit" disabled=move || create.pending().get()>{t!(i18n, api_keys.submit)}</button>
            </div>
        </form>
    }
}
