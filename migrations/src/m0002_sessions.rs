//! Sessions (one per sign-in) as rows of their own, so that rotating a refresh token and
//! revoking the session serialize on one row, and a session can have an absolute
//! lifetime. Existing refresh-token families become sessions.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{created_at, exec, index, org_fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("sessions")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(uuid("user_id"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .col(created_at())
                .foreign_key(&mut org_fk("sessions"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_sessions_user")
                        .from("sessions", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "sessions",
            "ix_sessions_user",
            &["organization_id", "user_id"],
            false,
        ))
        .await?;
        // A family is revoked when none of its tokens is left unrevoked.
        exec(
            m,
            "INSERT INTO sessions (id, organization_id, user_id, revoked_at, created_at) \
             SELECT family_id, organization_id, user_id, \
               CASE WHEN SUM(CASE WHEN revoked_at IS NULL THEN 1 ELSE 0 END) = 0 \
                 THEN MAX(revoked_at) END, \
               MIN(created_at) \
             FROM refresh_tokens GROUP BY family_id, organization_id, user_id",
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("sessions").to_owned())
            .await
    }
}
