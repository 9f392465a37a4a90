//! Teams: a hierarchy per organization. `name_key` (the name in lower case) makes names
//! unique per organization whatever their case.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{created_at, index, org_fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("teams")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(string_len("name", 120))
                .col(string_len("name_key", 120))
                .col(uuid_null("parent_team_id"))
                .col(uuid_null("manager_id"))
                .col(created_at())
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut org_fk("teams"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "teams",
            "ux_teams_org_name",
            &["organization_id", "name_key"],
            true,
        ))
        .await?;
        m.create_index(index(
            "teams",
            "ix_teams_org_parent",
            &["organization_id", "parent_team_id"],
            false,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("teams").to_owned()).await
    }
}
