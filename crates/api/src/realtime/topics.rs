//! Who may follow which topic. One function per topic kind, so that each domain states
//! its own rule where it lives: the live-calls work replaces [`call`] with "the agent on
//! the call and supervisors", campaigns and queues grow theirs. Every topic is inside the
//! caller's own organization already (the hub never crosses organizations); these rules
//! decide within it. Agent and team topics follow the workforce visibility
//! (`agents::scope`): an agent follows their own agent topic and their own team;
//! supervisors the teams they manage and below, and those teams' agents; admins and
//! analysts everything.

use cc_types::Role;
use cc_types::events::Topic;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::connection::Caller;
use crate::agents::entity::agent;
use crate::agents::scope::Reach;
use crate::auth::Principal;

/// Whether `caller` may follow `topic`.
pub async fn may_subscribe(db: &DatabaseConnection, caller: &Caller, topic: &Topic) -> bool {
    match topic {
        Topic::Organization => organization(caller),
        Topic::Agent(id) => agent(db, caller, *id).await,
        Topic::Team(id) => team(db, caller, *id).await,
        Topic::Call(id) => call(caller, *id),
        Topic::Queue(id) => queue(caller, *id),
        Topic::Campaign(id) => campaign(caller, *id),
    }
}

fn staff(caller: &Caller) -> bool {
    matches!(caller.role, Role::Admin | Role::Supervisor)
}

fn reads_all(caller: &Caller) -> bool {
    matches!(caller.role, Role::Admin | Role::Analyst)
}

fn principal(caller: &Caller) -> Principal {
    Principal {
        organization_id: caller.org,
        user_id: caller.user_id,
        api_key_id: None,
        role: caller.role,
        label: None,
        token: None,
        session_id: caller.session_id,
        scopes: None,
    }
}

async fn reach(db: &DatabaseConnection, caller: &Caller) -> Option<Reach> {
    match Reach::of(db, &principal(caller)).await {
        Ok(r) => Some(r),
        Err(e) => {
            tracing::warn!(error = %e, "could not work out a caller's reach");
            None
        }
    }
}

/// Organization-wide notices: everyone in it.
fn organization(_: &Caller) -> bool {
    true
}

/// An agent's presence and work: the agent, the supervisors of their teams, admins and
/// analysts. A colleague in the same team follows the team topic, not the agent's.
async fn agent(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> bool {
    if reads_all(caller) {
        return true;
    }
    let Ok(Some(row)) = agent::Entity::find_by_id(id)
        .filter(agent::Column::OrganizationId.eq(caller.org))
        .one(db)
        .await
    else {
        return false;
    };
    if caller.user_id == Some(row.user_id) {
        return true;
    }
    caller.role == Role::Supervisor && reach(db, caller).await.is_some_and(|r| r.sees(&row))
}

/// A team's members' states: the team's members, its supervisors (managing it or a team
/// above it), admins and analysts.
async fn team(db: &DatabaseConnection, caller: &Caller, id: Uuid) -> bool {
    if reads_all(caller) {
        return true;
    }
    reach(db, caller).await.is_some_and(|r| r.teams().sees(id))
}

/// A call's live events (transcript, sentiment): staff. Until calls exist nobody else
/// can be on one; the live-calls work adds the agent on the call.
fn call(caller: &Caller, _call: Uuid) -> bool {
    staff(caller)
}

/// A queue's load and waiting times: everyone in the organization (agents see what waits
/// for them, analysts read it).
fn queue(_: &Caller, _queue: Uuid) -> bool {
    true
}

/// A campaign's progress: everyone but agents (who see their own work, not the list).
fn campaign(caller: &Caller, _campaign: Uuid) -> bool {
    caller.role != Role::Agent
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_role(role: Role, me: Uuid) -> Caller {
        Caller {
            org: Uuid::nil(),
            user_id: Some(me),
            role,
            session_id: None,
        }
    }

    /// The rules that need no database (agent and team topics are tested over the API:
    /// `tests/api/presence.rs`).
    #[test]
    fn each_topic_kind_admits_exactly_its_roles() {
        let me = Uuid::now_v7();
        let someone = Uuid::now_v7();
        for (role, (call_ok, campaign_ok)) in
            Role::ALL
                .into_iter()
                .zip([(true, true), (true, true), (false, false), (false, true)])
        {
            let c = as_role(role, me);
            assert!(organization(&c), "{role:?}");
            assert!(queue(&c, someone), "{role:?}");
            assert_eq!(call(&c, someone), call_ok, "{role:?}");
            assert_eq!(campaign(&c, someone), campaign_ok, "{role:?}");
        }
    }
}
