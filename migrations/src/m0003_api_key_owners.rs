//! An API key created by another key now records the person behind that key, so every
//! key answers to a user whose deactivation ends it. Keys created by keys before this
//! change are re-pointed at that key's creator.

use sea_orm_migration::prelude::*;

use crate::common::exec;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        exec(
            m,
            "UPDATE api_keys SET created_by = \
               (SELECT parent.created_by FROM api_keys parent WHERE parent.id = api_keys.created_by) \
             WHERE created_by IN (SELECT id FROM api_keys)",
        )
        .await
    }

    async fn down(&self, _: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
