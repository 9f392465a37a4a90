//! Time off: an agent's absence over a span, requested and then approved, denied or
//! cancelled (rows are never deleted: the decision and who took it stay).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{created_at, index, org_fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("time_off")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(uuid("agent_id"))
                .col(timestamp_with_time_zone("start_at"))
                .col(timestamp_with_time_zone("end_at"))
                .col(string_len_null("reason", 200))
                .col(string_len("status", 16))
                .col(uuid_null("requested_by"))
                .col(uuid_null("decided_by"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(string_len_null("note", 200))
                .col(created_at())
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut org_fk("time_off"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_time_off_agent")
                        .from("time_off", "agent_id")
                        .to("agents", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "time_off",
            "ix_time_off_org_agent_start",
            &["organization_id", "agent_id", "start_at"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("time_off").to_owned())
            .await
    }
}
