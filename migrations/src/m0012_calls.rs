//! Call records, in the shape `docs/calls.md` proposes: one row per call leg an agent (or
//! nobody) handled. Workforce reports read calls handled and handle times from it; the
//! live-calls work writes it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{created_at, index, org_fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("calls")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(string_len("direction", 16))
                .col(string_len("outcome", 16))
                .col(string_len_null("from_number", 32))
                .col(string_len_null("to_number", 32))
                .col(uuid_null("queue_id"))
                .col(uuid_null("agent_id"))
                .col(uuid_null("team_id"))
                .col(uuid_null("customer_id"))
                .col(timestamp_with_time_zone("started_at"))
                .col(timestamp_with_time_zone_null("answered_at"))
                .col(timestamp_with_time_zone_null("ended_at"))
                .col(double("talk_secs").default(0.0))
                .col(double("hold_secs").default(0.0))
                .col(double("wrap_up_secs").default(0.0))
                .col(string_len_null("disposition", 64))
                .col(created_at())
                .foreign_key(&mut org_fk("calls"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "calls",
            "ix_calls_org_agent_answered",
            &["organization_id", "agent_id", "answered_at"],
            false,
        ))
        .await?;
        m.create_index(index(
            "calls",
            "ix_calls_org_started",
            &["organization_id", "started_at"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("calls").to_owned()).await
    }
}
