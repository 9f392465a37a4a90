//! The start screen: who is signed in, and the organization's live activity.

use cc_types::events::{DomainEvent, Topic};
use leptos::prelude::*;

use crate::components::PageTitle;
use crate::context::use_current_user;
use crate::i18n::*;
use crate::labels;
use crate::realtime::use_topic;
use leptos_i18n::I18nContext;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    let organization = use_topic(Topic::Organization);
    let name = move || user.0.with(|m| m.user.display_name.clone());
    let title = Signal::derive(move || t_string!(i18n, home.title, name = name()).to_string());
    let events = move || {
        organization
            .events
            .with(|list| list.iter().map(|e| describe(i18n, e)).collect::<Vec<_>>())
    };
    view! {
        <PageTitle text=title />
        <dl class="panel">
            <dt>{t!(i18n, home.organization)}</dt>
            <dd data-test="org-name">{move || user.0.with(|m| m.organization_name.clone())}</dd>
            <dt>{t!(i18n, home.role)}</dt>
            <dd data-test="user-role">{move || labels::role(i18n, user.role())}</dd>
        </dl>
        <section class="panel" aria-labelledby="events-title">
            <h2 id="events-title">{t!(i18n, home.events.title)}</h2>
            <Show
                when=move || !events().is_empty()
                fallback=move || view! { <p class="muted">{t!(i18n, home.events.empty)}</p> }
            >
                <ul class="events" data-test="events" aria-live="polite">
                    {move || events().into_iter().map(|e| view! { <li data-test="event">{e}</li> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

fn describe(i18n: I18nContext<Locale>, event: &DomainEvent) -> String {
    match event {
        DomainEvent::UserCreated { .. } => t_string!(i18n, home.events.user_created).to_string(),
        DomainEvent::UserUpdated { .. } => t_string!(i18n, home.events.user_updated).to_string(),
        DomainEvent::UserDeactivated { .. } => {
            t_string!(i18n, home.events.user_deactivated).to_string()
        }
        DomainEvent::TeamChanged { .. } => t_string!(i18n, home.events.team_changed).to_string(),
        DomainEvent::AgentChanged { .. } => t_string!(i18n, home.events.agent_changed).to_string(),
        DomainEvent::AgentStateChanged(p) => t_string!(
            i18n,
            home.events.agent_state_changed,
            state = crate::labels::presence_state(i18n, p.state)
        )
        .to_string(),
        DomainEvent::AgentStateOverrun { .. } => {
            t_string!(i18n, home.events.agent_state_overrun).to_string()
        }
        DomainEvent::ShiftsChanged { .. } => {
            t_string!(i18n, home.events.shifts_changed).to_string()
        }
        DomainEvent::Notice { message } => {
            t_string!(i18n, home.events.notice, message = message.clone()).to_string()
        }
    }
}
