//! Which agent profiles a caller sees and which they may change.
//!
//! - Admins and analysts see every profile; admins change every one.
//! - A supervisor sees the members of the teams they manage and of every team below, the
//!   agents not yet in any team (the pool they staff their teams from) and their own
//!   profile; they change the profiles of agents (not other supervisors) among those.
//! - An agent sees their own profile and the members of their own team; they change none.

use std::collections::HashSet;

use cc_types::Role;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};
use uuid::Uuid;

use super::entity::agent;
use crate::auth::Principal;
use crate::db::enums::DbRole;
use crate::error::ApiResult;
use crate::teams::service::{self as teams, Scope};

/// The caller's reach over agent profiles.
pub struct Reach {
    role: Role,
    teams: Scope,
    existing: HashSet<Uuid>,
    unassigned: bool,
    own_user: Option<Uuid>,
}

impl Reach {
    /// Works out the caller's reach from the team tree and their own profile.
    pub async fn of<C: ConnectionTrait>(db: &C, caller: &Principal) -> ApiResult<Reach> {
        let (rows, teams) = teams::scope_of(db, caller).await?;
        Ok(Reach {
            role: caller.role,
            teams,
            existing: rows.iter().map(|t| t.id).collect(),
            unassigned: caller.role == Role::Supervisor,
            own_user: caller.user_id,
        })
    }

    /// The teams the caller sees.
    pub fn teams(&self) -> &Scope {
        &self.teams
    }

    /// The rows the caller sees, as a query condition.
    pub fn condition(&self) -> Condition {
        let set = match &self.teams {
            Scope::All => return Condition::all(),
            Scope::Only(set) => set,
        };
        let ids: Vec<Uuid> = set.iter().copied().collect();
        let mut any = Condition::any().add(agent::Column::TeamId.is_in(ids));
        if self.unassigned {
            any = any.add(agent::Column::TeamId.is_null());
        }
        if let Some(user) = self.own_user {
            any = any.add(agent::Column::UserId.eq(user));
        }
        any
    }

    /// True when the caller sees the profile.
    pub fn sees(&self, row: &agent::Model) -> bool {
        match row.team_id {
            _ if Some(row.user_id) == self.own_user => true,
            Some(team) => self.teams.sees(team),
            None => self.unassigned || matches!(self.teams, Scope::All),
        }
    }

    /// True when the caller may change the profile, in `team`, of a user with `role`.
    pub fn manages(&self, team: Option<Uuid>, role: &DbRole) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Supervisor => {
                *role == DbRole::Agent
                    && match team {
                        Some(team) => self.teams.sees(team),
                        None => true,
                    }
            }
            Role::Agent | Role::Analyst => false,
        }
    }

    /// True when the caller may put agents into `team` (`None`: out of any team).
    pub fn may_staff(&self, team: Option<Uuid>) -> bool {
        match (self.role, team) {
            (Role::Admin | Role::Supervisor, None) => true,
            (Role::Admin | Role::Supervisor, Some(t)) => {
                self.existing.contains(&t) && self.teams.sees(t)
            }
            _ => false,
        }
    }
}
