//! Schedules: shift templates (local start and end times, breaks as offsets), shifts
//! (instants in UTC with their breaks, planned in a time zone) and time off.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{created_at, index, org_fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn agent_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_agent"))
        .from(table, "agent_id")
        .to("agents", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("shift_templates")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(string_len("name", 80))
                .col(string_len("name_key", 80))
                .col(string_len("start_time", 5))
                .col(string_len("end_time", 5))
                .col(text("breaks"))
                .col(created_at())
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut org_fk("shift_templates"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "shift_templates",
            "ux_shift_templates_org_name",
            &["organization_id", "name_key"],
            true,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("shifts")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(uuid("agent_id"))
                .col(timestamp_with_time_zone("start_at"))
                .col(timestamp_with_time_zone("end_at"))
                .col(text("breaks"))
                .col(uuid_null("template_id"))
                .col(string_len("time_zone", 64))
                .col(created_at())
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut org_fk("shifts"))
                .foreign_key(&mut agent_fk("shifts"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "shifts",
            "ix_shifts_org_agent_start",
            &["organization_id", "agent_id", "start_at"],
            false,
        ))
        .await?;
        m.create_index(index(
            "shifts",
            "ix_shifts_org_start",
            &["organization_id", "start_at"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["shifts", "shift_templates"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
