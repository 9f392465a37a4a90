//! Teams: the organization's hierarchy as a tree, live. Admins and supervisors create
//! teams, move one by choosing its new parent, and delete one, saying where its child
//! teams go; everyone else reads.

use std::collections::HashMap;

use cc_types::events::Topic;
use cc_types::teams::{CreateTeamRequest, Team, TeamListQuery, UpdateTeamRequest};
use cc_types::{Page, Role};
use leptos::prelude::*;
use uuid::Uuid;
use validator::Validate;

use crate::api::ApiError;
use crate::api::teams::{create_team, delete_team, list_teams, update_team};
use crate::components::{ErrorAlert, FieldErrors, PageTitle, SelectField, TextField};
use crate::context::{use_api, use_current_user};
use crate::i18n::*;
use crate::realtime::use_topic;

/// The teams in tree order (each after its parent), with their depth.
fn tree_order(teams: &[Team]) -> Vec<(Team, usize)> {
    let known: std::collections::HashSet<Uuid> = teams.iter().map(|t| t.id).collect();
    let mut below: HashMap<Option<Uuid>, Vec<&Team>> = HashMap::new();
    for t in teams {
        // A parent the reader cannot see makes the team a root of what they see.
        let parent = t.parent_team_id.filter(|p| known.contains(p));
        below.entry(parent).or_default().push(t);
    }
    let mut out = Vec::new();
    let mut stack: Vec<(&Team, usize)> = below
        .get(&None)
        .into_iter()
        .flatten()
        .rev()
        .map(|t| (*t, 0))
        .collect();
    while let Some((team, depth)) = stack.pop() {
        out.push((team.clone(), depth));
        for child in below.get(&Some(team.id)).into_iter().flatten().rev() {
            stack.push((child, depth + 1));
        }
    }
    out
}

/// `team` and every team below it.
fn with_descendants(teams: &[Team], team: Uuid) -> Vec<Uuid> {
    let mut found = vec![team];
    let mut i = 0;
    while i < found.len() {
        let at = found[i];
        found.extend(
            teams
                .iter()
                .filter(|t| t.parent_team_id == Some(at))
                .map(|t| t.id),
        );
        i += 1;
    }
    found
}

#[component]
pub fn TeamsPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let user = use_current_user();
    let organization = use_topic(Topic::Organization);
    let reload = RwSignal::new(0u64);
    // A change from any instance, or a resync, reloads the tree for every reader.
    let teams = LocalResource::new(move || {
        reload.track();
        organization.changes.track();
        let query = TeamListQuery {
            limit: Some(500),
            ..Default::default()
        };
        async move { list_teams(api, &query).await }
    });
    let editor = move || matches!(user.role(), Role::Admin | Role::Supervisor);
    // Which teams show their members; kept here, so a reload of the tree keeps them open.
    let open = RwSignal::new(std::collections::HashSet::<Uuid>::new());
    let loaded = Signal::derive(move || {
        teams
            .get()
            .and_then(Result::ok)
            .map(|p: Page<Team>| p.items)
            .unwrap_or_default()
    });
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, teams.title).to_string()) />
        {move || editor().then(|| view! { <CreateTeam teams=loaded on_done=move || reload.update(|n| *n += 1) /> })}
        <section class="panel" data-test="teams">
            {move || match teams.get() {
                None => view! { <p class="muted">{t!(i18n, common.loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorAlert error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => {
                    view! { <p class="muted" data-test="teams-empty">{t!(i18n, teams.empty)}</p> }.into_any()
                }
                Some(Ok(page)) => view! {
                    <ul class="tree" data-test="teams-tree">
                        {tree_order(&page.items).into_iter().map(|(team, depth)| view! {
                            <TeamRow team depth teams=loaded open editable=editor() on_done=move || reload.update(|n| *n += 1) />
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn TeamRow(
    team: Team,
    depth: usize,
    teams: Signal<Vec<Team>>,
    open: RwSignal<std::collections::HashSet<Uuid>>,
    editable: bool,
    on_done: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let id = team.id;
    let parent = RwSignal::new(
        team.parent_team_id
            .map(|p| p.to_string())
            .unwrap_or_default(),
    );
    let heir = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<ApiError>);
    // Where this team may go: anywhere but itself and below it.
    let targets = Signal::derive(move || {
        let all = teams.get();
        let excluded = with_descendants(&all, id);
        let top = (String::new(), t_string!(i18n, teams.top_level).to_string());
        std::iter::once(top)
            .chain(
                all.iter()
                    .filter(|t| !excluded.contains(&t.id))
                    .map(|t| (t.id.to_string(), t.name.clone())),
            )
            .collect::<Vec<_>>()
    });
    let has_children =
        Signal::derive(move || teams.with(|all| all.iter().any(|t| t.parent_team_id == Some(id))));
    let move_team = Action::new_local(move |to: &Option<Uuid>| {
        let req = UpdateTeamRequest {
            parent_team_id: Some(*to),
            ..Default::default()
        };
        async move { update_team(api, id, &req).await.map(|_| ()) }
    });
    let remove = Action::new_local(move |to: &Option<Uuid>| {
        let to = *to;
        async move { delete_team(api, id, to).await }
    });
    for action in [move_team, remove] {
        Effect::new(move |_| match action.value().get() {
            Some(Ok(())) => {
                failure.set(None);
                on_done();
            }
            Some(Err(e)) => failure.set(Some(e)),
            None => {}
        });
    }
    let (name, label) = (team.name.clone(), team.name.clone());
    let indent = format!("padding-left: {}rem", depth as f32 * 1.5);
    view! {
        <li class="tree-row" style=indent data-test="team-row" data-name=name>
            <strong>{label}</strong>" "
            <button type="button" class="link" data-test="team-members-toggle"
                aria-expanded=move || open.with(|o| o.contains(&id)).to_string()
                on:click=move |_| open.update(|o| { if !o.remove(&id) { o.insert(id); } })>
                {t!(i18n, teams.members.show)}
            </button>
            {editable.then(|| view! {
                <span class="row-actions">
                    <label>
                        {t!(i18n, teams.move_under)}" "
                        <select data-test="team-parent" prop:value=move || parent.get()
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                parent.set(value.clone());
                                move_team.dispatch(value.parse().ok());
                            }>
                            {move || targets.get().into_iter().map(|(v, l)| {
                                let selected = parent.get_untracked() == v;
                                view! { <option value=v selected=selected>{l}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    {move || has_children.get().then(|| view! {
                        <label>
                            {t!(i18n, teams.children_go_to)}" "
                            <select data-test="team-heir" prop:value=move || heir.get()
                                on:change=move |ev| heir.set(event_target_value(&ev))>
                                <option value="">"—"</option>
                                {move || targets.get().into_iter().skip(1).map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                            </select>
                        </label>
                    })}
                    <button class="danger" data-test="team-delete"
                        on:click=move |_| { remove.dispatch(heir.get_untracked().parse().ok()); }>
                        {t!(i18n, teams.delete)}
                    </button>
                </span>
            })}
            <ErrorAlert error=failure />
            {move || open.with(|o| o.contains(&id)).then(|| view! { <crate::pages::team_members::TeamMembers team=id /> })}
        </li>
    }
}

#[component]
fn CreateTeam(teams: Signal<Vec<Team>>, on_done: impl Fn() + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let name = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let create = Action::new_local(move |req: &CreateTeamRequest| {
        let req = req.clone();
        async move { create_team(api, &req).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            name.set(String::new());
            failure.set(None);
            on_done();
        }
        Some(Err(e)) if !errors.set_server(&e) => failure.set(Some(e)),
        Some(Err(_)) => {}
        None => {}
    });
    let parents = Signal::derive(move || {
        let top = (String::new(), t_string!(i18n, teams.top_level).to_string());
        std::iter::once(top)
            .chain(teams.get().into_iter().map(|t| (t.id.to_string(), t.name)))
            .collect::<Vec<_>>()
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = CreateTeamRequest {
            name: name.get_untracked().trim().to_owned(),
            parent_team_id: parent.get_untracked().parse().ok(),
            manager_id: None,
        };
        match req.validate() {
            Ok(()) => {
                errors.clear();
                create.dispatch(req);
            }
            Err(e) => errors.set_local(i18n, &e),
        }
    };
    view! {
        <form class="panel" data-test="team-form" on:submit=on_submit novalidate=true>
            <h2>{t!(i18n, teams.create.title)}</h2>
            <div class="form-grid">
                <TextField id="team-name" field="name" required=true
                    label=Signal::derive(move || t_string!(i18n, teams.create.name).to_string()) value=name errors />
                <SelectField id="team-parent-new"
                    label=Signal::derive(move || t_string!(i18n, teams.create.parent).to_string())
                    value=parent options=parents />
            </div>
            <ErrorAlert error=failure />
            <div class="actions">
                <button type="submit" data-test="team-submit" disabled=move || create.pending().get()>{t!(i18n, teams.create.submit)}</button>
            </div>
        </form>
    }
}
