//! Agent profiles: one per user (agents and supervisors), with their skills at a level
//! and the queues they may serve in tables of their own, so routing can ask "who holds
//! skill X" and "who serves queue Q" by index.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{created_at, index, org_fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("agents")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(uuid("user_id"))
                .col(uuid_null("team_id"))
                .col(string_len_null("extension", 15))
                // BCP 47 tags as a JSON array: read with the profile, never filtered on.
                .col(text("languages"))
                .col(string_len_null("time_zone", 64))
                .col(integer_null("wrap_up_secs"))
                .col(boolean("accepts_ai_handoff"))
                .col(created_at())
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut org_fk("agents"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_agents_user")
                        .from("agents", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                // A team is deleted only once its members moved (NO ACTION: checked at
                // the end of the statement, so an organization's cascade still works).
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_agents_team")
                        .from("agents", "team_id")
                        .to("teams", "id"),
                )
                .to_owned(),
        )
        .await?;
        for (name, cols, unique) in [
            (
                "ux_agents_org_user",
                &["organization_id", "user_id"][..],
                true,
            ),
            (
                "ux_agents_org_extension",
                &["organization_id", "extension"][..],
                true,
            ),
            (
                "ix_agents_org_team",
                &["organization_id", "team_id"][..],
                false,
            ),
        ] {
            m.create_index(index("agents", name, cols, unique)).await?;
        }
        m.create_table(
            Table::create()
                .table("agent_skills")
                .col(uuid("organization_id"))
                .col(uuid("agent_id"))
                .col(uuid("skill_id"))
                .col(small_integer("level"))
                .primary_key(Index::create().col("agent_id").col("skill_id"))
                .foreign_key(&mut org_fk("agent_skills"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_agent_skills_agent")
                        .from("agent_skills", "agent_id")
                        .to("agents", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                // A skill agents hold is never deleted, even by a request racing the check.
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_agent_skills_skill")
                        .from("agent_skills", "skill_id")
                        .to("skills", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "agent_skills",
            "ix_agent_skills_org_skill",
            &["organization_id", "skill_id"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("agent_queues")
                .col(uuid("organization_id"))
                .col(uuid("agent_id"))
                // The queue arrives with live calls; the assignment is kept until then.
                .col(uuid("queue_id"))
                .primary_key(Index::create().col("agent_id").col("queue_id"))
                .foreign_key(&mut org_fk("agent_queues"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_agent_queues_agent")
                        .from("agent_queues", "agent_id")
                        .to("agents", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "agent_queues",
            "ix_agent_queues_org_queue",
            &["organization_id", "queue_id"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["agent_queues", "agent_skills", "agents"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
