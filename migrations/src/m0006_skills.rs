//! The skill catalogue per organization; `name_key` (the name in lower case) keeps names
//! unique whatever their case.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{created_at, index, org_fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("skills")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(string_len("name", 80))
                .col(string_len("name_key", 80))
                .col(created_at())
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut org_fk("skills"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "skills",
            "ux_skills_org_name",
            &["organization_id", "name_key"],
            true,
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("skills").to_owned()).await
    }
}
