//! State changes: every one goes through `cc_core::agent::transition`, is appended to the
//! agent-state log under the next version (unique per agent, so of two changes computed
//! from the same state only one is written; the other is computed again from the newer
//! state), then stored (compare-and-set on the version) and published on `agent:{id}`,
//! `team:{id}` and `organization`.

use cc_core::agent::{AgentEvent, transition};
use cc_types::ErrorCode;
use cc_types::agent_state::{AgentStatus, NotReadyReason};
use cc_types::events::{DomainEvent, Topic};
use cc_types::presence::{
    AgentPresence, ChangeStateRequest, PresenceCause, PresenceState, StateEvent, reason_code,
    reason_of,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::entity::state_log;
use super::reasons;
use crate::agents::entity::agent;
use crate::agents::scope::Reach;
use crate::agents::service::own_profile;
use crate::auth::Principal;
use crate::db::is_unique_violation;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::users::entity as user;

/// Tries before a change that keeps losing races is given up (each loss means another
/// change of the same agent was written meanwhile).
const ATTEMPTS: usize = 8;

/// The state of an agent who never changed it: offline since the profile exists.
pub fn initial(a: &agent::Model) -> AgentPresence {
    AgentPresence {
        agent_id: a.id,
        team_id: a.team_id,
        state: PresenceState::Offline,
        reason: None,
        since: a.created_at,
        forced: false,
        cause: PresenceCause::Agent,
        previous: None,
        previous_secs: None,
        version: 0,
    }
}

fn parse_state(s: &str) -> PresenceState {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .unwrap_or(PresenceState::Offline)
}

fn parse_cause(s: &str) -> PresenceCause {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).unwrap_or(PresenceCause::Agent)
}

fn cause_str(c: PresenceCause) -> &'static str {
    match c {
        PresenceCause::Agent => "agent",
        PresenceCause::Supervisor => "supervisor",
        PresenceCause::Disconnected => "disconnected",
    }
}

/// A log row as the state it records.
pub fn from_log(row: &state_log::Model) -> AgentPresence {
    AgentPresence {
        agent_id: row.agent_id,
        team_id: row.team_id,
        state: parse_state(&row.state),
        reason: row.reason.clone(),
        since: row.at,
        forced: row.forced,
        cause: parse_cause(&row.cause),
        previous: row.previous_state.as_deref().map(parse_state),
        previous_secs: row.previous_secs,
        version: u64::try_from(row.version).unwrap_or(0),
    }
}

/// The status the state machine works on.
pub fn status_of(p: &AgentPresence) -> AgentStatus {
    match p.state {
        PresenceState::Offline => AgentStatus::Offline,
        PresenceState::Available => AgentStatus::Available,
        PresenceState::Reserved => AgentStatus::Reserved { accepted: false },
        PresenceState::OnCall => AgentStatus::OnCall { on_hold: false },
        PresenceState::WrapUp => AgentStatus::WrapUp,
        PresenceState::NotReady => AgentStatus::NotReady {
            reason: reason_of(p.reason.as_deref().unwrap_or("unspecified")),
        },
    }
}

/// The newest logged state of an agent, if any.
pub async fn latest_logged<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    agent_id: Uuid,
) -> ApiResult<Option<AgentPresence>> {
    Ok(state_log::Entity::find()
        .filter(state_log::Column::OrganizationId.eq(org))
        .filter(state_log::Column::AgentId.eq(agent_id))
        .order_by_desc(state_log::Column::Version)
        .one(db)
        .await?
        .as_ref()
        .map(from_log))
}

/// An agent's current state: the store's, else the log's (written back), else offline.
pub async fn current(state: &AppState, a: &agent::Model) -> ApiResult<AgentPresence> {
    let org = a.organization_id;
    if let Some(p) = state.presence.store.get(org, a.id).await? {
        return Ok(p);
    }
    match latest_logged(&state.infra.db, org, a.id).await? {
        Some(p) => {
            state.presence.store.put_if_newer(org, &p).await?;
            Ok(p)
        }
        None => Ok(initial(a)),
    }
}

/// Who asks for a change.
pub enum Target {
    /// The caller, for themselves.
    Me,
    /// A supervisor or admin, for an agent (forced).
    Agent(Uuid),
}

/// The agent a change is for, checked against the caller's reach.
async fn resolve(state: &AppState, caller: &Principal, target: &Target) -> ApiResult<agent::Model> {
    let db = &state.infra.db;
    let org = caller.organization_id;
    match target {
        Target::Me => {
            let user = caller
                .user_id
                .ok_or(ApiError::Client(ErrorCode::NotFound))?;
            own_profile(db, org, user)
                .await?
                .ok_or(ApiError::Client(ErrorCode::NotFound))
        }
        Target::Agent(id) => {
            let (a, u) = agent::Entity::find_by_id(*id)
                .filter(agent::Column::OrganizationId.eq(org))
                .find_also_related(user::Entity)
                .one(db)
                .await?
                .and_then(|(a, u)| u.map(|u| (a, u)))
                .ok_or(ApiError::Client(ErrorCode::NotFound))?;
            let reach = Reach::of(db, caller).await?;
            if !reach.sees(&a) {
                return Err(ErrorCode::NotFound.into());
            }
            // A supervisor forces their agents (and their own state, like any agent).
            if caller.user_id != Some(a.user_id) && !reach.manages(a.team_id, &u.role) {
                return Err(ErrorCode::Forbidden.into());
            }
            Ok(a)
        }
    }
}

/// The machine's event for a request; a forced one goes straight to the status asked.
fn event_for(req: &ChangeStateRequest, reason: Option<NotReadyReason>, forced: bool) -> AgentEvent {
    let wanted = match req.event {
        StateEvent::LogIn => AgentEvent::LogIn,
        StateEvent::SetReady => AgentEvent::SetReady,
        StateEvent::LogOut => AgentEvent::LogOut,
        StateEvent::SetNotReady => AgentEvent::SetNotReady {
            reason: reason
                .clone()
                .unwrap_or(NotReadyReason::Custom("unspecified".into())),
        },
    };
    if !forced {
        return wanted;
    }
    let to = match wanted {
        AgentEvent::LogIn | AgentEvent::SetReady => AgentStatus::Available,
        AgentEvent::LogOut => AgentStatus::Offline,
        AgentEvent::SetNotReady { reason } => AgentStatus::NotReady { reason },
        _ => AgentStatus::Offline,
    };
    AgentEvent::SupervisorForce { to }
}

fn event_name(e: StateEvent) -> &'static str {
    match e {
        StateEvent::LogIn => "log_in",
        StateEvent::SetReady => "set_ready",
        StateEvent::SetNotReady => "set_not_ready",
        StateEvent::LogOut => "log_out",
    }
}

/// A change asked for over the API.
pub async fn change(
    state: &AppState,
    caller: &Principal,
    target: Target,
    req: &ChangeStateRequest,
) -> ApiResult<AgentPresence> {
    let a = resolve(state, caller, &target).await?;
    let forced = matches!(target, Target::Agent(_)) && caller.user_id != Some(a.user_id);
    let reason = match (req.event, &req.reason) {
        (StateEvent::SetNotReady, Some(code)) => {
            if !reasons::exists(&state.infra.db, a.organization_id, code).await? {
                return Err(ApiError::MissingReference("reason"));
            }
            Some(reason_of(code))
        }
        _ => None,
    };
    let event = event_for(req, reason, forced);
    let cause = if forced {
        PresenceCause::Supervisor
    } else {
        PresenceCause::Agent
    };
    apply(state, &a, &event, cause, caller.user_id)
        .await
        .map_err(|e| match e {
            Refused::Invalid(from) => ApiError::InvalidTransition {
                state: from.as_str(),
                event: event_name(req.event),
            },
            Refused::Api(e) => e,
        })
}

/// Why a change did not happen.
pub enum Refused {
    /// The machine refuses the event in this state.
    Invalid(PresenceState),
    /// Something else.
    Api(ApiError),
}

impl From<ApiError> for Refused {
    fn from(e: ApiError) -> Self {
        Refused::Api(e)
    }
}

impl From<anyhow::Error> for Refused {
    fn from(e: anyhow::Error) -> Self {
        Refused::Api(ApiError::Internal(e))
    }
}

impl From<sea_orm::DbErr> for Refused {
    fn from(e: sea_orm::DbErr) -> Self {
        Refused::Api(e.into())
    }
}

/// Applies `event` to the agent's current state: logged, stored, published.
pub async fn apply(
    state: &AppState,
    a: &agent::Model,
    event: &AgentEvent,
    cause: PresenceCause,
    actor: Option<Uuid>,
) -> Result<AgentPresence, Refused> {
    let org = a.organization_id;
    let policy = state.presence.policy.clone();
    let mut cur = current(state, a).await?;
    for _ in 0..ATTEMPTS {
        let t = transition(&status_of(&cur), event, &policy)
            .map_err(|_| Refused::Invalid(cur.state))?;
        let now = state.infra.clock.now();
        let next = next_state(a, &cur, &t.to, t.forced, cause, now);
        match log(state, org, &next, actor).await {
            Ok(()) => {
                state.presence.store.put_if_newer(org, &next).await?;
                announce(state, org, &next).await;
                return Ok(next);
            }
            Err(e) if is_unique_violation(&e) => {
                // Another change of this agent was written first: start from it.
                metrics::counter!("presence_transition_retries_total").increment(1);
                cur = latest_logged(&state.infra.db, org, a.id)
                    .await?
                    .unwrap_or_else(|| initial(a));
                state.presence.store.put_if_newer(org, &cur).await?;
            }
            Err(e) => return Err(Refused::Api(e.into())),
        }
    }
    Err(Refused::Api(ErrorCode::ServiceUnavailable.into()))
}

fn next_state(
    a: &agent::Model,
    cur: &AgentPresence,
    to: &AgentStatus,
    forced: bool,
    cause: PresenceCause,
    now: DateTime<Utc>,
) -> AgentPresence {
    let reason = match to {
        AgentStatus::NotReady { reason } => Some(reason_code(reason)),
        _ => None,
    };
    AgentPresence {
        agent_id: a.id,
        team_id: a.team_id,
        state: PresenceState::of(to),
        reason,
        since: now,
        // The machine forces whatever does not come from the agent; only a person forcing
        // it is "forced" (the grace's move says `disconnected` instead).
        forced: forced && cause == PresenceCause::Supervisor,
        cause,
        previous: (cur.version > 0).then_some(cur.state),
        previous_secs: (cur.version > 0)
            .then(|| (now - cur.since).num_milliseconds().max(0) as f64 / 1000.0),
        version: cur.version + 1,
    }
}

async fn log(
    state: &AppState,
    org: Uuid,
    p: &AgentPresence,
    actor: Option<Uuid>,
) -> Result<(), sea_orm::DbErr> {
    state_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org),
        agent_id: Set(p.agent_id),
        version: Set(i64::try_from(p.version).unwrap_or(i64::MAX)),
        state: Set(p.state.as_str().to_owned()),
        reason: Set(p.reason.clone()),
        forced: Set(p.forced),
        cause: Set(cause_str(p.cause).to_owned()),
        actor_id: Set(actor),
        team_id: Set(p.team_id),
        at: Set(p.since),
        previous_state: Set(p.previous.map(|s| s.as_str().to_owned())),
        previous_secs: Set(p.previous_secs),
    }
    .insert(&state.infra.db)
    .await
    .map(|_| ())
}

async fn announce(state: &AppState, org: Uuid, p: &AgentPresence) {
    metrics::counter!(
        "presence_transitions_total",
        "state" => p.state.as_str(),
        "cause" => cause_str(p.cause)
    )
    .increment(1);
    tracing::info!(
        agent_id = %p.agent_id,
        state = p.state.as_str(),
        reason = p.reason.as_deref().unwrap_or(""),
        forced = p.forced,
        version = p.version,
        "agent state changed"
    );
    let event = DomainEvent::AgentStateChanged(p.clone());
    let bus = &state.infra.bus;
    bus.publish(org, Topic::Agent(p.agent_id), event.clone())
        .await;
    if let Some(team) = p.team_id {
        bus.publish(org, Topic::Team(team), event.clone()).await;
    }
    bus.publish(org, Topic::Organization, event).await;
    super::timers::schedule(state, org, p).await;
}
