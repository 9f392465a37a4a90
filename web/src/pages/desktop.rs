//! The agent desktop's state bar: always on screen for a person with an agent profile. It
//! shows the current state and the time in it (ticking in the browser), and offers what
//! the state allows: log in, ready, not ready for a reason, log out. A supervisor's forced
//! change arrives on the agent's topic and shows at once.

use cc_types::agents::Agent;
use cc_types::events::{DomainEvent, Topic};
use cc_types::presence::{
    AgentPresence, ChangeStateRequest, NotReadyReasonDef, PresenceState, StateEvent,
};
use leptos::prelude::*;

use crate::api::ApiError;
use crate::api::presence::{change_my_state, list_reasons, my_agent};
use crate::components::{ErrorAlert, clock};
use crate::context::use_api;
use crate::i18n::*;
use crate::labels;
use crate::realtime::use_topic;

/// The bar, when the signed-in person has an agent profile; nothing otherwise.
#[component]
pub fn StateBar() -> impl IntoView {
    let api = use_api();
    let profile = LocalResource::new(move || my_agent(api));
    move || {
        profile
            .get()
            .and_then(Result::ok)
            .map(|agent| view! { <Bar agent /> })
    }
}

/// Keeps `current` at the newest of what it holds and `incoming`.
fn newer(current: RwSignal<AgentPresence>, incoming: &AgentPresence) {
    if incoming.version > current.with_untracked(|c| c.version) {
        current.set(incoming.clone());
    }
}

#[component]
fn Bar(agent: Agent) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let id = agent.id;
    let presence = RwSignal::new(agent.presence.clone());
    let feed = use_topic(Topic::Agent(id));
    Effect::new(move |_| {
        for event in feed.events.get().iter().rev() {
            if let DomainEvent::AgentStateChanged(p) = event
                && p.agent_id == id
            {
                newer(presence, p);
            }
        }
    });
    let now = clock::ticking_now();
    let reasons = LocalResource::new(move || list_reasons(api));
    let reason = RwSignal::new("break".to_owned());
    let failure = RwSignal::new(None::<ApiError>);
    let change = Action::new_local(move |req: &ChangeStateRequest| {
        let req = req.clone();
        async move { change_my_state(api, &req).await }
    });
    Effect::new(move |_| match change.value().get() {
        Some(Ok(p)) => {
            failure.set(None);
            newer(presence, &p);
        }
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    let send = move |event: StateEvent| {
        let reason = (event == StateEvent::SetNotReady).then(|| reason.get_untracked());
        change.dispatch(ChangeStateRequest { event, reason });
    };
    let state = move || presence.with(|p| p.state);
    let label = move || {
        presence.with(|p| {
            let name = labels::presence_state(i18n, p.state);
            match &p.reason {
                Some(code) => format!("{name} · {}", labels::reason_name(i18n, code, &[])),
                None => name,
            }
        })
    };
    let options = Signal::derive(move || {
        let defs: Vec<NotReadyReasonDef> = reasons.get().and_then(Result::ok).unwrap_or_default();
        defs.iter()
            .map(|d| (d.code.clone(), labels::reason_name(i18n, &d.code, &defs)))
            .collect::<Vec<_>>()
    });
    view! {
        <section class="state-bar" data-test="state-bar" data-state=move || state().as_str()
            aria-label=move || t_string!(i18n, desktop.label).to_string()>
            <span class=move || format!("badge state-{}", state().as_str())
                data-test="state-bar-state" role="status">{label}</span>
            <span class="muted" data-test="state-bar-time">
                {move || clock::elapsed(presence.with(|p| p.since), now.get())}
            </span>
            {move || presence.with(|p| p.forced).then(|| view! {
                <span class="muted" data-test="state-bar-forced">{t!(i18n, desktop.forced)}</span>
            })}
            <span class="row-actions">
                {move || (state() == PresenceState::Offline).then(|| view! {
                    <button data-test="state-log-in" on:click=move |_| send(StateEvent::LogIn)>{t!(i18n, desktop.log_in)}</button>
                })}
                {move || matches!(state(), PresenceState::NotReady | PresenceState::WrapUp).then(|| view! {
                    <button data-test="state-ready" on:click=move |_| send(StateEvent::SetReady)>{t!(i18n, desktop.ready)}</button>
                })}
                {move || matches!(state(), PresenceState::Available | PresenceState::NotReady | PresenceState::WrapUp).then(|| view! {
                    <label>
                        <span class="visually-hidden">{t!(i18n, desktop.reason)}</span>
                        <select data-test="state-reason" prop:value=move || reason.get()
                            on:change=move |ev| reason.set(event_target_value(&ev))>
                            {move || options.get().into_iter().map(|(v, l)| {
                                let selected = reason.get_untracked() == v;
                                view! { <option value=v selected=selected>{l}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <button class="secondary" data-test="state-not-ready" on:click=move |_| send(StateEvent::SetNotReady)>{t!(i18n, desktop.not_ready)}</button>
                    <button class="secondary" data-test="state-log-out" on:click=move |_| send(StateEvent::LogOut)>{t!(i18n, desktop.log_out)}</button>
                })}
            </span>
            <ErrorAlert error=failure />
        </section>
    }
}
