//! Agents: the profiles the reader sees, filtered by team, skill and name, live. Admins and
//! supervisors move agents between teams and edit a profile (extension, languages, skills
//! with levels, time zone, wrap-up, AI handoffs); admins give users a profile.

use std::collections::HashMap;

use cc_types::agents::{Agent, AgentListQuery};
use cc_types::events::{DomainEvent, Topic};
use cc_types::presence::{AgentPresence, ChangeStateRequest, PresenceState, StateEvent};
use cc_types::skills::{Skill, SkillListQuery};
use cc_types::teams::{Team, TeamListQuery};
use cc_types::{Page, Role};
use leptos::prelude::*;
use uuid::Uuid;

use crate::api::ApiError;
use crate::api::agents::{assign_agent, list_agents};
use crate::api::presence::{force_state, list_reasons};
use crate::api::skills::list_skills;
use crate::api::teams::list_teams;
use crate::components::{
    Column, DataTable, ErrorAlert, FilterBar, FilterInput, PageTitle, Paging, SelectField, clock,
};
use crate::context::{use_api, use_current_user};
use crate::i18n::*;
use crate::labels;
use crate::realtime::use_topic;

mod create;
mod editor;
mod import;

const PAGE: u64 = 25;
/// The team filter's value for "agents in no team".
const UNASSIGNED: &str = "none";

/// The catalogues a row needs: the teams and skills the reader sees.
#[derive(Clone, Copy)]
pub(crate) struct Catalogues {
    pub teams: Signal<Vec<Team>>,
    pub skills: Signal<Vec<Skill>>,
}

/// States as they arrive on the organization topic, newer than the loaded page, and the
/// clock their time in state is measured on.
#[derive(Clone, Copy)]
struct Live {
    states: RwSignal<HashMap<uuid::Uuid, AgentPresence>>,
    now: Signal<chrono::DateTime<chrono::Utc>>,
}

impl Live {
    /// The newest known state of an agent whose page showed `loaded`.
    fn of(self, loaded: &AgentPresence) -> AgentPresence {
        self.states.with(|m| match m.get(&loaded.agent_id) {
            Some(p) if p.version > loaded.version => p.clone(),
            _ => loaded.clone(),
        })
    }
}

#[component]
pub fn AgentsPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let user = use_current_user();
    let organization = use_topic(Topic::Organization);
    let q = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let skill = RwSignal::new(String::new());
    let state = RwSignal::new(String::new());
    let paging = Paging::new(PAGE);
    paging.restart_on(move || {
        q.track();
        team.track();
        skill.track();
        state.track();
    });
    let reload = RwSignal::new(0u64);
    // State changes update rows in place; other organization events reload the page.
    let live = Live {
        states: RwSignal::new(HashMap::new()),
        now: clock::ticking_now(),
    };
    Effect::new(move |_| {
        let events = organization.events.get();
        match events.first() {
            Some(DomainEvent::AgentStateChanged(_)) => {
                for e in events.iter().rev() {
                    if let DomainEvent::AgentStateChanged(p) = e {
                        live.states.update(|m| {
                            if m.get(&p.agent_id).is_none_or(|c| c.version < p.version) {
                                m.insert(p.agent_id, p.clone());
                            }
                        });
                    }
                }
            }
            Some(DomainEvent::AgentStateOverrun { .. } | DomainEvent::ShiftsChanged { .. })
            | None => {}
            Some(_) => reload.update(|n| *n += 1),
        }
    });
    let agents = LocalResource::new(move || {
        reload.track();
        let team = team.get();
        let query = AgentListQuery {
            limit: Some(paging.limit),
            offset: Some(paging.offset.get()),
            team_id: team.parse().ok(),
            unassigned: (team == UNASSIGNED).then_some(true),
            skill_id: skill.get().parse().ok(),
            state: PresenceState::ALL
                .into_iter()
                .find(|s| s.as_str() == state.get()),
            q: Some(q.get().trim().to_owned()).filter(|s| !s.is_empty()),
        };
        async move { list_agents(api, &query).await }
    });
    let catalogues = catalogues(organization.changes);
    let editor = matches!(user.role(), Role::Admin | Role::Supervisor);
    let mut columns = vec![
        Column::new(move || t_string!(i18n, agents.name).to_string()),
        Column::new(move || t_string!(i18n, agents.state).to_string()),
        Column::new(move || t_string!(i18n, agents.team).to_string()),
        Column::new(move || t_string!(i18n, agents.extension).to_string()),
        Column::new(move || t_string!(i18n, agents.skills).to_string()),
        Column::new(move || t_string!(i18n, agents.languages).to_string()),
    ];
    if editor {
        columns.push(Column::hidden(move || {
            t_string!(i18n, agents.actions).to_string()
        }));
    }
    let changed = move || reload.update(|n| *n += 1);
    view! {
        <PageTitle text=Signal::derive(move || t_string!(i18n, agents.title).to_string()) />
        <p class="muted">{t!(i18n, agents.intro)}</p>
        {(user.role() == Role::Admin).then(|| view! { <create::CreateAgent teams=catalogues.teams on_done=changed /> })}
        {(user.role() == Role::Admin).then(|| view! { <import::ImportAgents on_done=changed /> })}
        <Filters q team skill state catalogues />
        <DataTable list=agents paging name="agents" columns
            empty=Signal::derive(move || t_string!(i18n, agents.empty).to_string())
            row=move |agent| view! { <AgentRow agent editor catalogues live on_done=changed /> } />
    }
}

/// The teams and skills, reloaded when the organization changes.
fn catalogues(changes: Signal<u64>) -> Catalogues {
    let api = use_api();
    let teams = LocalResource::new(move || {
        changes.track();
        let query = TeamListQuery {
            limit: Some(500),
            ..Default::default()
        };
        async move { list_teams(api, &query).await }
    });
    let skills = LocalResource::new(move || {
        changes.track();
        let query = SkillListQuery {
            limit: Some(500),
            ..Default::default()
        };
        async move { list_skills(api, &query).await }
    });
    fn items<T: Clone>(r: Option<Result<Page<T>, ApiError>>) -> Vec<T> {
        r.and_then(Result::ok).map(|p| p.items).unwrap_or_default()
    }
    Catalogues {
        teams: Signal::derive(move || items(teams.get())),
        skills: Signal::derive(move || items(skills.get())),
    }
}

#[component]
fn Filters(
    q: RwSignal<String>,
    team: RwSignal<String>,
    skill: RwSignal<String>,
    state: RwSignal<String>,
    catalogues: Catalogues,
) -> impl IntoView {
    let i18n = use_i18n();
    let state_options = Signal::derive(move || {
        std::iter::once((String::new(), t_string!(i18n, agents.any_state).to_string()))
            .chain(
                PresenceState::ALL
                    .into_iter()
                    .map(|s| (s.as_str().to_owned(), labels::presence_state(i18n, s))),
            )
            .collect::<Vec<_>>()
    });
    let team_options = Signal::derive(move || {
        let mut o = vec![
            (String::new(), t_string!(i18n, agents.all_teams).to_string()),
            (
                UNASSIGNED.to_owned(),
                t_string!(i18n, agents.unassigned).to_string(),
            ),
        ];
        o.extend(
            catalogues
                .teams
                .get()
                .into_iter()
                .map(|t| (t.id.to_string(), t.name)),
        );
        o
    });
    let skill_options = Signal::derive(move || {
        let mut o = vec![(
            String::new(),
            t_string!(i18n, agents.all_skills).to_string(),
        )];
        o.extend(
            catalogues
                .skills
                .get()
                .into_iter()
                .map(|s| (s.id.to_string(), s.name)),
        );
        o
    });
    view! {
        <FilterBar label=Signal::derive(move || t_string!(i18n, agents.filters).to_string())>
            <FilterInput id="agents-q" value=q
                label=Signal::derive(move || t_string!(i18n, agents.search).to_string()) />
            <SelectField id="agents-team-filter"
                label=Signal::derive(move || t_string!(i18n, agents.team).to_string())
                value=team options=team_options />
            <SelectField id="agents-skill-filter"
                label=Signal::derive(move || t_string!(i18n, agents.skill).to_string())
                value=skill options=skill_options />
            <SelectField id="agents-state-filter"
                label=Signal::derive(move || t_string!(i18n, agents.state).to_string())
                value=state options=state_options />
        </FilterBar>
    }
}

#[component]
fn AgentRow(
    agent: Agent,
    editor: bool,
    catalogues: Catalogues,
    live: Live,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let id: Uuid = agent.id;
    let team = RwSignal::new(agent.team_id.map(|t| t.to_string()).unwrap_or_default());
    let open = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let move_agent = Action::new_local(move |to: &Option<Uuid>| {
        let to = *to;
        async move { assign_agent(api, id, to).await.map(|_| ()) }
    });
    Effect::new(move |_| match move_agent.value().get() {
        Some(Ok(())) => {
            failure.set(None);
            on_done();
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    let team_name = {
        let current = agent.team_id;
        move || {
            current
                .and_then(|t| catalogues.teams.get().into_iter().find(|x| x.id == t))
                .map(|t| t.name)
                .unwrap_or_else(|| t_string!(i18n, agents.no_team).to_string())
        }
    };
    let team_options = Signal::derive(move || {
        std::iter::once((String::new(), t_string!(i18n, agents.no_team).to_string()))
            .chain(
                catalogues
                    .teams
                    .get()
                    .into_iter()
                    .map(|t| (t.id.to_string(), t.name)),
            )
            .collect::<Vec<_>>()
    });
    let skills = agent
        .skills
        .iter()
        .map(|s| format!("{} {}", s.name, s.level))
        .collect::<Vec<_>>()
        .join(", ");
    let languages = agent
        .languages
        .iter()
        .map(|l| l.0.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let edited = agent.clone();
    let loaded = agent.presence.clone();
    let presence = Signal::derive(move || live.of(&loaded));
    view! {
        <tr data-test="agent-row" data-name=agent.display_name.clone() data-email=agent.email.clone()>
            <td>
                <strong>{agent.display_name.clone()}</strong><br />
                <span class="muted">{agent.email.clone()}</span>
                <ErrorAlert error=failure />
            </td>
            <td>
                <StateCell presence now=live.now />
                {editor.then(|| view! { <ForceState agent=id failure /> })}
            </td>
            <td data-test="agent-team-name">
                {if editor {
                    view! {
                        <select data-test="agent-team" aria-label=move || t_string!(i18n, agents.team).to_string()
                            prop:value=move || team.get()
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                team.set(value.clone());
                                move_agent.dispatch(value.parse().ok());
                            }>
                            {move || team_options.get().into_iter().map(|(v, l)| {
                                let selected = team.get_untracked() == v;
                                view! { <option value=v selected=selected>{l}</option> }
                            }).collect_view()}
                        </select>
                    }.into_any()
                } else {
                    view! { <span>{team_name}</span> }.into_any()
                }}
            </td>
            <td data-test="agent-extension">{agent.extension.clone().unwrap_or_default()}</td>
            <td data-test="agent-skills">{skills}</td>
            <td data-test="agent-languages">{languages}</td>
            {editor.then(|| view! {
                <td>
                    <button data-test="agent-edit" on:click=move |_| open.update(|o| *o = !*o)>
                        {move || if open.get() { t_string!(i18n, agents.close) } else { t_string!(i18n, agents.edit) }}
                    </button>
                </td>
            })}
        </tr>
        {move || open.get().then(|| view! {
            <tr class="editor-row">
                <td colspan="7">
                    <editor::AgentEditor agent=edited.clone() skills=catalogues.skills
                        on_done=move || { open.set(false); on_done(); } />
                </td>
            </tr>
        })}
    }
}

/// An agent's state and the time in it, ticking.
#[component]
pub(crate) fn StateCell(
    presence: Signal<AgentPresence>,
    now: Signal<chrono::DateTime<chrono::Utc>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = move || presence.with(|p| p.state);
    view! {
        <span class=move || format!("badge state-{}", state().as_str()) data-test="agent-state"
            data-state=move || state().as_str()>
            {move || presence.with(|p| match &p.reason {
                Some(code) => format!("{} · {}", labels::presence_state(i18n, p.state), labels::reason_name(i18n, code, &[])),
                None => labels::presence_state(i18n, p.state),
            })}
        </span>
        " "
        <span class="muted" data-test="agent-state-time">
            {move || clock::elapsed(presence.with(|p| p.since), now.get())}
        </span>
    }
}

/// A supervisor's or admin's control to force an agent's state.
#[component]
fn ForceState(agent: uuid::Uuid, failure: RwSignal<Option<ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let reasons = LocalResource::new(move || list_reasons(api));
    let force = Action::new_local(move |req: &ChangeStateRequest| {
        let req = req.clone();
        async move { force_state(api, agent, &req).await }
    });
    Effect::new(move |_| match force.value().get() {
        Some(Ok(_)) => failure.set(None),
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    let options = move || {
        let defs = reasons.get().and_then(Result::ok).unwrap_or_default();
        let mut o = vec![
            (
                String::new(),
                t_string!(i18n, agents.force_none).to_string(),
            ),
            (
                "available".to_owned(),
                labels::presence_state(i18n, PresenceState::Available),
            ),
            (
                "offline".to_owned(),
                labels::presence_state(i18n, PresenceState::Offline),
            ),
        ];
        o.extend(defs.iter().map(|d| {
            (
                format!("not_ready:{}", d.code),
                format!(
                    "{} · {}",
                    labels::presence_state(i18n, PresenceState::NotReady),
                    labels::reason_name(i18n, &d.code, &defs)
                ),
            )
        }));
        o
    };
    let on_change = move |value: String| {
        let req = match value.as_str() {
            "available" => ChangeStateRequest {
                event: StateEvent::SetReady,
                reason: None,
            },
            "offline" => ChangeStateRequest {
                event: StateEvent::LogOut,
                reason: None,
            },
            other => match other.strip_prefix("not_ready:") {
                Some(code) => ChangeStateRequest {
                    event: StateEvent::SetNotReady,
                    reason: Some(code.to_owned()),
                },
                None => return,
            },
        };
        force.dispatch(req);
    };
    view! {
        <select data-test="agent-force" aria-label=move || t_string!(i18n, agents.force).to_string()
            prop:value=""
            on:change=move |ev| on_change(event_target_value(&ev))>
            {move || options().into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
        </select>
    }
}
