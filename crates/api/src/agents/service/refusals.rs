//! Agents as what blocks a change elsewhere: a team's members, a skill's holders.

use cc_types::Conflict;
use sea_orm::sea_query::{Expr, Query as SqlQuery};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::agents::entity::{agent, agent_skill};
use crate::error::ApiResult;
use crate::users::entity as user;

/// At most this many blocking rows are named in a refusal.
const MAX_CONFLICTS: u64 = 100;

/// The agents matching `cond`, named, as the rows that block a change.
async fn named<C: ConnectionTrait>(db: &C, cond: Condition) -> ApiResult<Vec<Conflict>> {
    Ok(agent::Entity::find()
        .filter(cond)
        .find_also_related(user::Entity)
        .order_by_asc(agent::Column::Id)
        .limit(MAX_CONFLICTS)
        .all(db)
        .await?
        .into_iter()
        .map(|(a, u)| Conflict {
            kind: "agent".into(),
            id: a.id,
            name: u.map(|u| u.display_name).unwrap_or_default(),
        })
        .collect())
}

/// The members of a team, as the rows that keep it from being deleted.
pub async fn members_blocking<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    team: Uuid,
) -> ApiResult<Vec<Conflict>> {
    named(
        db,
        Condition::all()
            .add(agent::Column::OrganizationId.eq(org))
            .add(agent::Column::TeamId.eq(team)),
    )
    .await
}

/// Moves every member of `from` into `to`.
pub async fn move_members(
    tx: &DatabaseTransaction,
    org: Uuid,
    from: Uuid,
    to: Uuid,
) -> ApiResult<()> {
    agent::Entity::update_many()
        .col_expr(agent::Column::TeamId, Expr::value(to))
        .filter(agent::Column::OrganizationId.eq(org))
        .filter(agent::Column::TeamId.eq(from))
        .exec(tx)
        .await?;
    Ok(())
}

/// The agents holding a skill, as the rows that keep it from being deleted.
pub async fn holders_of<C: ConnectionTrait>(
    db: &C,
    org: Uuid,
    skill_id: Uuid,
) -> ApiResult<Vec<Conflict>> {
    named(
        db,
        Condition::all()
            .add(agent::Column::OrganizationId.eq(org))
            .add(
                agent::Column::Id.in_subquery(
                    SqlQuery::select()
                        .column(agent_skill::Column::AgentId)
                        .from(agent_skill::Entity)
                        .and_where(agent_skill::Column::OrganizationId.eq(org))
                        .and_where(agent_skill::Column::SkillId.eq(skill_id))
                        .to_owned(),
                ),
            ),
    )
    .await
}
