//! Admin user management: a filtered, paged list; create; change role; deactivate and
//! reactivate. The list follows the organization's live events.

use cc_types::Role;
use cc_types::events::Topic;
use cc_types::users::{UpdateUserRequest, User, UserListQuery};
use leptos::prelude::*;
use uuid::Uuid;

use crate::api::ApiError;
use crate::api::users::{deactivate_user, list_users, reactivate_user, update_user};
use crate::components::{
    Column, DataTable, ErrorAlert, FilterBar, FilterInput, PageTitle, Paging, SelectField,
};
use crate::context::use_api;
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
    let api = use_api();
    // User changes are organization events: the list follows them, and only them.
    let organization = use_topic(Topic::Organization);
    let q = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let paging = Paging::new(PAGE);
    paging.restart_on(move || {
        q.track();
        role.track();
        status.track();
    });
    let reload = RwSignal::new(0u64);
    let users = LocalResource::new(move || {
        reload.track();
        organization.changes.track();
        let query = UserListQuery {
            limit: Some(paging.limit),
            offset: Some(paging.offset.get()),
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
    let columns = vec![
        Column::new(move || t_string!(i18n, users.list.name).to_string()),
        Column::new(move || t_string!(i18n, users.list.email).to_string()),
        Column::new(move || t_string!(i18n, users.list.role).to_string()),
        Column::new(move || t_string!(i18n, users.list.status).to_string()),
        Column::new(move || t_string!(i18n, users.list.created).to_string()),
        Column::new(move || t_string!(i18n, users.list.actions).to_string()),
    ];
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, users.list.title).to_string()) />
        <create::CreateUser on_created=move || reload.update(|n| *n += 1) />
        <Filters q role status />
        <ErrorAlert error=failure />
        <DataTable list=users paging name="users" columns
            empty=Signal::derive(move || t_string!(i18n, users.list.empty).to_string())
            row=move |user| view! { <UserRow user change /> } />
    }
}

#[component]
fn Filters(q: RwSignal<String>, role: RwSignal<String>, status: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let role_options = move || {
        let mut o = vec![(
            String::new(),
            t_string!(i18n, users.list.any_role).to_string(),
        )];
        o.extend(labels::role_options(i18n));
        o
    };
    view! {
        <FilterBar label=Signal::derive(move || t_string!(i18n, users.list.filters).to_string())>
            <FilterInput id="users-q" value=q
                label=Signal::derive(move || t_string!(i18n, users.list.search).to_string()) />
            <SelectField id="users-role-filter"
                label=Signal::derive(move || t_string!(i18n, users.list.role_filter).to_string())
                value=role options=Signal::derive(role_options) />
            <SelectField id="users-status-filter"
                label=Signal::derive(move || t_string!(i18n, users.list.status_filter).to_string())
                value=status options=Signal::derive(move || vec![
                    (String::new(), t_string!(i18n, users.list.any_status).to_string()),
                    ("active".into(), t_string!(i18n, users.list.active).to_string()),
                    ("inactive".into(), t_string!(i18n, users.list.inactive).to_string()),
                ]) />
        </FilterBar>
    }
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
                    {move || t_string!(i18n, users.list.role_of, name = name.clone()).to_string()}
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
                    view! { <span class="badge">{t!(i18n, users.list.active)}</span> }.into_any()
                } else {
                    view! { <span class="badge inactive">{t!(i18n, users.list.inactive)}</span> }.into_any()
                }}
            </td>
            <td>{move || format::date_time(i18n.get_locale(), &created)}</td>
            <td>
                {if active {
                    view! { <button class="danger" data-test="user-deactivate"
                        on:click=move |_| { change.dispatch(RowChange::Deactivate(id)); }>{t!(i18n, users.list.deactivate)}</button> }.into_any()
                } else {
                    view! { <button class="secondary" data-test="user-reactivate"
                        on:click=move |_| { change.dispatch(RowChange::Reactivate(id)); }>{t!(i18n, users.list.reactivate)}</button> }.into_any()
                }}
            </td>
        </tr>
    }
}
