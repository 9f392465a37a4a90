//! Presence work that happens with time rather than requests, on whichever instance gets
//! to it first (the store hands each due item to one instance):
//! - a not-ready reason's longest duration: past it, one `agent_state_overrun` event;
//! - the disconnection grace: an agent whose desktop connections have all been gone
//!   longer than `[presence] grace_secs` is moved to offline (or not ready, by policy),
//!   and the event's `cause` says `disconnected`.

use std::time::Duration;

use actix_web::web;
use cc_core::agent::AgentEvent;
use cc_types::agent_state::{AgentStatus, NotReadyReason};
use cc_types::events::{DomainEvent, Topic};
use cc_types::presence::{AgentPresence, PresenceCause, PresenceState};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{reasons, service};
use crate::agents::entity::agent;
use crate::config::DisconnectPolicy;
use crate::state::AppState;

const OVERRUN: &str = "overrun";
const GRACE: &str = "grace";

/// After a change: a not-ready state with a longest duration is watched.
pub async fn schedule(state: &AppState, org: Uuid, p: &AgentPresence) {
    if p.state != PresenceState::NotReady {
        return;
    }
    let Some(code) = p.reason.as_deref() else {
        return;
    };
    let max = match reasons::max_duration(&state.infra.db, org, code).await {
        Ok(Some(max)) => max,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(error = %e, "could not read a not-ready reason");
            return;
        }
    };
    let due = p.since.timestamp_millis() + i64::from(max) * 1000;
    let member = format!("{org}:{}:{}", p.agent_id, p.version);
    if let Err(e) = state.presence.store.schedule(OVERRUN, &member, due).await {
        tracing::warn!(error = %e, "could not watch a not-ready duration");
    }
}

fn agent_key(org: Uuid, agent: Uuid) -> String {
    format!("{org}:{agent}")
}

/// A desktop of `user` connected: the agent is present again.
pub async fn connected(state: &AppState, org: Uuid, user: Uuid) {
    let Ok(Some(a)) = crate::agents::service::own_profile(&state.infra.db, org, user).await else {
        return;
    };
    let store = &state.presence.store;
    if let Err(e) = store.connected(org, a.id).await {
        tracing::warn!(error = %e, "could not count a desktop connection");
    }
    let _ = store.cancel(GRACE, &agent_key(org, a.id)).await;
}

/// A desktop of `user` disconnected: when it was the last one, the grace period starts.
pub async fn disconnected(state: &AppState, org: Uuid, user: Uuid) {
    let Ok(Some(a)) = crate::agents::service::own_profile(&state.infra.db, org, user).await else {
        return;
    };
    let store = &state.presence.store;
    match store.disconnected(org, a.id).await {
        Ok(0) => {
            let grace = state.infra.config.presence.grace_secs;
            let due = state.infra.clock.now().timestamp_millis()
                + i64::try_from(grace.saturating_mul(1000)).unwrap_or(i64::MAX / 2);
            if let Err(e) = store.schedule(GRACE, &agent_key(org, a.id), due).await {
                tracing::warn!(error = %e, "could not start the disconnection grace");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not count a desktop disconnection"),
    }
}

/// Starts the loop that fires due items, on the application's runtime.
pub fn start(state: web::Data<AppState>) {
    let tick = Duration::from_millis(state.infra.config.presence.tick_ms.max(10));
    let runtime = std::sync::Arc::clone(&state.infra.runtime);
    runtime.spawn("presence-timers", move |mut shutdown| async move {
        let mut ticker = tokio::time::interval(tick);
        loop {
            tokio::select! {
                () = shutdown.wait() => return,
                _ = ticker.tick() => {
                    if let Err(e) = fire(&state).await {
                        tracing::warn!(error = %e, "presence timers");
                    }
                }
            }
        }
    });
}

fn parse(member: &str) -> Option<(Uuid, Uuid, Option<u64>)> {
    let mut parts = member.split(':');
    let org = parts.next()?.parse().ok()?;
    let agent = parts.next()?.parse().ok()?;
    let version = parts.next().and_then(|v| v.parse().ok());
    Some((org, agent, version))
}

async fn fire(state: &AppState) -> anyhow::Result<()> {
    let now = state.infra.clock.now().timestamp_millis();
    let store = &state.presence.store;
    for member in store.take_due(OVERRUN, now).await? {
        if let Some((org, agent, Some(version))) = parse(&member) {
            overrun(state, org, agent, version).await?;
        }
    }
    for member in store.take_due(GRACE, now).await? {
        if let Some((org, agent, _)) = parse(&member) {
            grace_over(state, org, agent).await?;
        }
    }
    Ok(())
}

/// The agent is still in the not-ready state that was watched: one alert.
async fn overrun(state: &AppState, org: Uuid, agent_id: Uuid, version: u64) -> anyhow::Result<()> {
    let Some(p) = state.presence.store.get(org, agent_id).await? else {
        return Ok(());
    };
    if p.version != version || p.state != PresenceState::NotReady {
        return Ok(());
    }
    let code = p.reason.clone().unwrap_or_default();
    let max = reasons::max_duration(&state.infra.db, org, &code)
        .await
        .ok()
        .flatten()
        .unwrap_or(0);
    metrics::counter!("presence_overruns_total").increment(1);
    tracing::info!(%agent_id, reason = %code, max, "not-ready duration exceeded");
    let event = DomainEvent::AgentStateOverrun {
        agent_id,
        team_id: p.team_id,
        reason: code,
        since: p.since,
        max_duration_secs: max,
    };
    let bus = &state.infra.bus;
    bus.publish(org, Topic::Agent(agent_id), event.clone())
        .await;
    if let Some(team) = p.team_id {
        bus.publish(org, Topic::Team(team), event.clone()).await;
    }
    bus.publish(org, Topic::Organization, event).await;
    Ok(())
}

/// The grace period ended: an agent still without a desktop is moved.
async fn grace_over(state: &AppState, org: Uuid, agent_id: Uuid) -> anyhow::Result<()> {
    if state.presence.store.connections(org, agent_id).await? > 0 {
        return Ok(());
    }
    let Some(a) = agent::Entity::find_by_id(agent_id)
        .filter(agent::Column::OrganizationId.eq(org))
        .one(&state.infra.db)
        .await?
    else {
        return Ok(());
    };
    let cur = service::current(state, &a)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let to = match state.infra.config.presence.on_disconnect {
        DisconnectPolicy::Offline => AgentStatus::Offline,
        DisconnectPolicy::NotReady => AgentStatus::NotReady {
            reason: NotReadyReason::Custom("disconnected".into()),
        },
    };
    if cur.state == PresenceState::Offline || PresenceState::of(&to) == cur.state {
        return Ok(());
    }
    metrics::counter!("presence_disconnections_total").increment(1);
    let event = AgentEvent::SupervisorForce { to };
    match service::apply(state, &a, &event, PresenceCause::Disconnected, None).await {
        Ok(_) | Err(service::Refused::Invalid(_)) => Ok(()),
        Err(service::Refused::Api(e)) => Err(anyhow::anyhow!("{e}")),
    }
}
