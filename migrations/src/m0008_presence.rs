//! Live presence: the agent-state log (append-only; `(agent_id, version)` unique, so two
//! changes computed from the same state cannot both be written) and the organization's
//! not-ready reasons.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{created_at, index, org_fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("agent_state_log")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(uuid("agent_id"))
                .col(big_integer("version"))
                .col(string_len("state", 16))
                .col(string_len_null("reason", 40))
                .col(boolean("forced"))
                .col(string_len("cause", 16))
                .col(uuid_null("actor_id"))
                .col(uuid_null("team_id"))
                .col(timestamp_with_time_zone("at"))
                .col(string_len_null("previous_state", 16))
                .col(double_null("previous_secs"))
                .foreign_key(&mut org_fk("agent_state_log"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "agent_state_log",
            "ux_agent_state_log_agent_version",
            &["agent_id", "version"],
            true,
        ))
        .await?;
        m.create_index(index(
            "agent_state_log",
            "ix_agent_state_log_org_at",
            &["organization_id", "at"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("not_ready_reasons")
                .col(uuid("organization_id"))
                .col(string_len("code", 40))
                .col(string_len_null("name", 80))
                .col(integer_null("max_duration_secs"))
                .col(created_at())
                .primary_key(Index::create().col("organization_id").col("code"))
                .foreign_key(&mut org_fk("not_ready_reasons"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["not_ready_reasons", "agent_state_log"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
