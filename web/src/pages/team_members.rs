//! A team's members with their live states, opened from the team's row: it follows the
//! team's own topic, so a member going ready or on a break shows at once, and the time in
//! the state ticks without polling.

use cc_types::agents::AgentListQuery;
use cc_types::events::Topic;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api::agents::list_agents;
use crate::components::clock;
use crate::context::use_api;
use crate::i18n::*;
use crate::pages::agents::StateCell;
use crate::realtime::use_topic;

#[component]
pub fn TeamMembers(team: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let feed = use_topic(Topic::Team(team));
    let now = clock::ticking_now();
    let members = LocalResource::new(move || {
        feed.changes.track();
        let query = AgentListQuery {
            limit: Some(500),
            team_id: Some(team),
            ..Default::default()
        };
        async move { list_agents(api, &query).await }
    });
    view! {
        <div class="team-members" data-test="team-members">
            {move || match members.get() {
                None => view! { <p class="muted">{t!(i18n, common.loading)}</p> }.into_any(),
                Some(Err(_)) => view! { <p class="muted">{t!(i18n, teams.members.unavailable)}</p> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => {
                    view! { <p class="muted" data-test="team-members-empty">{t!(i18n, teams.members.empty)}</p> }.into_any()
                }
                Some(Ok(page)) => view! {
                    <ul class="plain">
                        {page.items.into_iter().map(|a| {
                            let presence = Signal::stored(a.presence.clone());
                            view! {
                                <li data-test="team-member" data-email=a.email.clone()>
                                    <strong>{a.display_name.clone()}</strong>" "
                                    <StateCell presence now />
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </div>
    }
}
