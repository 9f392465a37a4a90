//! Staffing forecasts: a team's expected calls per interval of one local day, with the
//! handle time, service-level target and callers' patience the Erlang formulas need.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{created_at, index, org_fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("staffing_forecasts")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(uuid("team_id"))
                .col(string_len("local_date", 10))
                .col(string_len("time_zone", 64))
                .col(timestamp_with_time_zone("start_at"))
                .col(timestamp_with_time_zone("end_at"))
                .col(integer("interval_secs"))
                .col(text("calls"))
                .col(double("aht_secs"))
                .col(double("service_level"))
                .col(double("answer_within_secs"))
                .col(double("patience_secs"))
                .col(uuid_null("updated_by"))
                .col(created_at())
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut org_fk("staffing_forecasts"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_staffing_forecasts_team")
                        .from("staffing_forecasts", "team_id")
                        .to("teams", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "staffing_forecasts",
            "ux_staffing_forecasts_team_date",
            &["team_id", "local_date"],
            true,
        ))
        .await?;
        m.create_index(index(
            "staffing_forecasts",
            "ix_staffing_forecasts_org_team_start",
            &["organization_id", "team_id", "start_at"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("staffing_forecasts").to_owned())
            .await
    }
}
