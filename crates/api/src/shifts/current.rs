//! Who is scheduled now, and whether each is logged in, on a break, or missing: the
//! shifts under way joined with the agents' live states.

use std::collections::HashMap;

use cc_types::presence::{AgentPresence, PresenceState};
use cc_types::shifts::{Attendance, CurrentShifts, CurrentShiftsQuery, ScheduledAgent};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait,
};
use uuid::Uuid;

use super::entity::{shift, time_off};
use super::service::{breaks_of, to_dto};
use crate::agents::entity::agent;
use crate::agents::scope::Reach;
use crate::auth::Principal;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::users::entity as user;

/// At most this many agents are answered (a very large floor pages by team).
const MAX_CURRENT: u64 = 2000;

/// Where an agent is against a shift: a scheduled break or not ready is a break; offline
/// is missing; any other state is logged in.
pub fn attendance(in_break: bool, state: PresenceState) -> Attendance {
    match state {
        _ if in_break => Attendance::OnBreak,
        PresenceState::NotReady => Attendance::OnBreak,
        PresenceState::Offline => Attendance::Missing,
        _ => Attendance::LoggedIn,
    }
}

fn in_break(row: &shift::Model, now: DateTime<Utc>) -> bool {
    breaks_of(row).iter().any(|b| b.start <= now && now < b.end)
}

/// The agents the caller sees who are scheduled now.
pub async fn now(
    state: &AppState,
    caller: &Principal,
    q: &CurrentShiftsQuery,
) -> ApiResult<CurrentShifts> {
    let db = &state.infra.db;
    let org = caller.organization_id;
    let at = state.infra.clock.now();
    let reach = Reach::of(db, caller).await?;
    let mut cond = Condition::all()
        .add(shift::Column::OrganizationId.eq(org))
        .add(shift::Column::StartAt.lte(at))
        .add(shift::Column::EndAt.gt(at))
        .add(reach.condition());
    if let Some(team) = q.team_id {
        cond = cond.add(agent::Column::TeamId.eq(team));
    }
    let rows: Vec<(shift::Model, Option<agent::Model>)> = shift::Entity::find()
        .join(JoinType::InnerJoin, shift::Relation::Agent.def())
        .filter(cond)
        .select_also(agent::Entity)
        .limit(MAX_CURRENT)
        .all(db)
        .await?;
    let agents: Vec<agent::Model> = rows.iter().filter_map(|(_, a)| a.clone()).collect();
    let names: HashMap<Uuid, String> = user::Entity::find()
        .filter(user::Column::OrganizationId.eq(org))
        .filter(user::Column::Id.is_in(agents.iter().map(|a| a.user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let ids: Vec<Uuid> = agents.iter().map(|a| a.id).collect();
    let live: HashMap<Uuid, AgentPresence> = state
        .presence
        .store
        .many(org, &ids)
        .await?
        .into_iter()
        .map(|p| (p.agent_id, p))
        .collect();
    let away: std::collections::HashSet<Uuid> = time_off::Entity::find()
        .filter(time_off::Column::OrganizationId.eq(org))
        .filter(time_off::Column::AgentId.is_in(ids.clone()))
        .filter(time_off::Column::Status.eq("approved"))
        .filter(time_off::Column::StartAt.lte(at))
        .filter(time_off::Column::EndAt.gt(at))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.agent_id)
        .collect();
    let mut items: Vec<ScheduledAgent> = rows
        .into_iter()
        .filter_map(|(s, a)| a.map(|a| (s, a)))
        .map(|(s, a)| {
            let presence = live
                .get(&a.id)
                .cloned()
                .unwrap_or_else(|| crate::presence::service::initial(&a));
            let brk = in_break(&s, at);
            ScheduledAgent {
                display_name: names.get(&a.user_id).cloned().unwrap_or_default(),
                team_id: a.team_id,
                in_break: brk,
                attendance: if away.contains(&a.id) {
                    Attendance::TimeOff
                } else {
                    attendance(brk, presence.state)
                },
                presence,
                shift: to_dto(s),
            }
        })
        .collect();
    items.sort_by_key(|i| (i.display_name.to_lowercase(), i.shift.agent_id));
    let count = |w: Attendance| items.iter().filter(|i| i.attendance == w).count() as u32;
    Ok(CurrentShifts {
        at,
        logged_in: count(Attendance::LoggedIn),
        on_break: count(Attendance::OnBreak),
        missing: count(Attendance::Missing),
        time_off: count(Attendance::TimeOff),
        items,
    })
}
