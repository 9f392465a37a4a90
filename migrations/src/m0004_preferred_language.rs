//! A user's interface language becomes a choice: `preferred_language` is NULL until the
//! person (or an admin) picks one, and an unset language follows the browser. Languages
//! other than English were chosen, so they carry over; English was the default for
//! everybody who never chose, so it is not. The old `language` column stays (written as
//! the choice or English) so that the previous version can still serve during a roll.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::exec;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("users")
                .add_column(string_len_null("preferred_language", 8))
                .to_owned(),
        )
        .await?;
        exec(
            m,
            "UPDATE users SET preferred_language = language WHERE language <> 'en'",
        )
        .await
    }

    async fn down(&self, _: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
