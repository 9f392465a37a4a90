//! Admin user management: a filtered, paged list; create; change role; deactivate and
//! reactivate. The list follows the organization's live events.

use cc_types::Role;
use cc_types::events::Topic;
use cc_types::users::{UpdateUserRequest, User, UserListQuery};
use leptos::prelude::*;
use uuid::Uuid;

use crate::api::{Api, ApiError, deactivate_user, list_users, reactivate_user, update_user};
use crate::components::{ErrorAlert, PageTitle, Pager};
use crate::format;
use crate::i18n::*;
use crate::labels;
use crate::realtime::use_topic;

mod create;

const PAGE: u64 = 20;

/// A change to one row.
#[derive(Clone)]
enum RowChange {
    Role(Uuid, Role),
    Deactivate(Uuid),
    Reactivate(Uuid),
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = expect_context::<Api>();
    // User changes are organization events: the list follows them, and only them.
    let organization = use_topic(Topic::Organization);
    let q = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let offset = RwSignal::new(0u64);
    let reload = RwSignal::new(0u64);
    // A new filter starts from the first page.
    Effect::new(move |_| {
        q.track();
        role.track();
        status.track();
        offset.set(0);
    });
    let users = LocalResource::new(move || {
        reload.track();
        organization.changes.track();
        let query = UserListQuery {
            limit: Some(PAGE),
            offset: Some(offset.get()),
            role: Role::parse(&role.get()),
            active: match status.get().as_str() {
                "active" => Some(true),
                "inactive" => Some(false),
                _ => None,
            },
            q: Some(q.get().trim().to_owned()).filter(|s| !s.is_empty()),
        };
        async move { list_users(api, &query).await }
    });
    let change = Action::new_local(move |c: &RowChange| {
        let c = c.clone();
        async move {
            match c {
                RowChange::Role(id, role) => {
                    let req = UpdateUserRequest {
                        role: Some(role),
                        ..Default::default()
                    };
                    update_user(api, id, &req).await
                }
                RowChange::Deactivate(id) => deactivate_user(api, id).await,
                RowChange::Reactivate(id) => reactivate_user(api, id).await,
            }
        }
    });
    let failure = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| match change.value().get() {
        Some(Ok(_)) => {
            failure.set(None);
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => {
            failure.set(Some(e));
            reload.update(|n| *n += 1);
        }
        None => {}
    });
    let total = Signal::derive(move || {
        users
            .get()
            .and_then(|r| r.ok())
            .map(|p| p.total)
            .unwrap_or_default()
    });
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, users.title).to_string()) />
        <create::CreateUser on_created=move || reload.update(|n| *n += 1) />
        <Filters q role status />
        <ErrorAlert error=failure />
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, app.loading)}</p> }>
            {move || users.get().map(|r| match r {
                Ok(page) => view! { <UserTable users=page.items change /> }.into_any(),
                Err(e) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
            })}
        </Transition>
        <Pager total offset limit=PAGE />
    }
}

#[component]
fn Filters(q: RwSignal<String>, role: RwSignal<String>, status: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let role_options = move || {
        let mut o = vec![(String::new(), t_string!(i18n, users.any_role).to_string())];
        o.extend(labels::role_options(i18n));
        o
    };
    view! {
        <form class="panel form-grid" role="search" aria-label=move || t_string!(i18n, users.filters).to_string()
            on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="users-q">{t!(i18n, users.search)}</label>
                <input id="users-q" data-test="users-q" type="search" prop:value=move || q.get()
                    on:change=move |ev| q.set(event_target_value(&ev)) />
            </div>
            <crate::components::SelectField id="users-role-filter"
                label=Signal::derive(move || t_string!(i18n, users.role_filter).to_string())
                value=role options=Signal::derive(role_options) />
            <crate::components::SelectField id="users-status-filter"
                label=Signal::derive(move || t_string!(i18n, users.status_filter).to_string())
                value=status options=Signal::derive(move || vec![
                    (String::new(), t_string!(i18n, users.any_status).to_string()),
                    ("active".into(), t_string!(i18n, users.active).to_string()),
                    ("inactive".into(), t_string!(i18n, users.inactive).to_string()),
                ]) />
        </form>
    }
}

#[component]
fn UserTable(users: Vec<User>, change: Action<RowChange, Result<User, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    if users.is_empty() {
        return view! { <p class="muted" data-test="users-empty">{t!(i18n, users.empty)}</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table data-test="users-table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, users.name)}</th>
                        <th scope="col">{t!(i18n, users.email)}</th>
                        <th scope="col">{t!(i18n, users.role)}</th>
                        <th scope="col">{t!(i18n, users.status)}</th>
                        <th scope="col">{t!(i18n, users.created)}</th>
                        <th scope="col">{t!(i18n, users.actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {users.into_iter().map(|u| view! { <UserRow user=u change /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn UserRow(user: User, change: Action<RowChange, Result<User, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let id = user.id;
    let role_label_id = format!("role-{id}");
    let name = user.display_name.clone();
    let created = user.created_at;
    let active = user.active;
    let current_role = user.role;
    view! {
        <tr data-test="user-row" data-email=user.email.clone() data-active=active.to_string()>
            <td>{user.display_name.clone()}</td>
            <td>{user.email.clone()}</td>
            <td>
                <label class="visually-hidden" for=role_label_id.clone()>
                    {move || t_string!(i18n, users.role_of, name = name.clone()).to_string()}
                </label>
                <select id=role_label_id data-test="user-role"
                    on:change=move |ev| {
                        if let Some(r) = Role::parse(&event_target_value(&ev)) {
                            change.dispatch(RowChange::Role(id, r));
                        }
                    }>
                    {move || labels::role_options(i18n).into_iter().map(|(v, l)| {
                        let selected = v == current_role.as_str();
                        view! { <option value=v selected=selected>{l}</option> }
                    }).collect_view()}
                </select>
            </td>
            <td>
                {move || if active {
                    view! { <span class="badge">{t!(i18n, users.active)}</span> }.into_any()
                } else {
                    view! { <span class="badge inactive">{t!(i18n, users.inactive)}</span> }.into_any()
                }}
            </td>
            <td>{move || format::date_time(i18n.get_locale(), &created)}</td>
            <td>
                {if active {
                    view! { <button class="danger" data-test="user-deactivate"
                        on:click=move |_| { change.dispatch(RowChange::Deactivate(id)); }>{t!(i18n, users.deactivate)}</button> }.into_any()
                } else {
                    view! { <button class="secondary" data-test="user-reactivate"
                        on:click=move |_| { change.dispatch(RowChange::Reactivate(id)); }>{t!(i18n, users.reactivate)}</button> }.into_any()
                }}
            </td>
        </tr>
    }
}
