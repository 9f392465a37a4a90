//! Organizations, users, refresh tokens, API keys and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn created_at() -> ColumnDef {
    timestamp_with_time_zone("created_at")
}

fn org_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_organization"))
        .from(table, "organization_id")
        .to("organizations", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(
    table: &'static str,
    name: &str,
    cols: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(*c);
    }
    if unique {
        idx.unique();
    }
    idx.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("organizations")
                .col(pk_uuid("id"))
                .col(string_len("name", 120))
                .col(created_at())
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "organizations",
            "ux_organizations_name",
            &["name"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("users")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(string_len("email", 254))
                .col(string_len("display_name", 120))
                .col(string_len("role", 16))
                .col(string_len("language", 8))
                .col(string_len("password_hash", 200))
                .col(boolean("active"))
                .col(created_at())
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut org_fk("users"))
                .to_owned(),
        )
        .await?;
        // Login is by email alone, so an email names one account across organizations.
        m.create_index(index("users", "ux_users_email", &["email"], true))
            .await?;
        m.create_index(index(
            "users",
            "ix_users_org_created",
            &["organization_id", "created_at"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("refresh_tokens")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(uuid("user_id"))
                .col(uuid("family_id"))
                .col(string_len("token_hash", 64))
                .col(uuid("access_jti"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .col(created_at())
                .foreign_key(&mut org_fk("refresh_tokens"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_refresh_tokens_user")
                        .from("refresh_tokens", "user_id")
                        .to("users", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "refresh_tokens",
            "ux_refresh_tokens_hash",
            &["token_hash"],
            true,
        ))
        .await?;
        m.create_index(index(
            "refresh_tokens",
            "ix_refresh_tokens_family",
            &["organization_id", "family_id"],
            false,
        ))
        .await?;
        m.create_index(index(
            "refresh_tokens",
            "ix_refresh_tokens_user",
            &["organization_id", "user_id"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("api_keys")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(string_len("name", 120))
                .col(string_len("prefix", 16))
                .col(string_len("key_hash", 64))
                .col(string_len("role", 16))
                .col(string_len("scopes", 64))
                .col(uuid("created_by"))
                .col(timestamp_with_time_zone_null("expires_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .col(created_at())
                .foreign_key(&mut org_fk("api_keys"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("api_keys", "ux_api_keys_hash", &["key_hash"], true))
            .await?;
        m.create_index(index(
            "api_keys",
            "ux_api_keys_org_name",
            &["organization_id", "name"],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("audit_log")
                .col(pk_uuid("id"))
                .col(uuid("organization_id"))
                .col(uuid_null("actor_user_id"))
                .col(uuid_null("actor_api_key_id"))
                .col(string_len_null("actor_label", 254))
                .col(string_len("action", 80))
                .col(string_len("route", 200))
                .col(string_len_null("target_id", 64))
                .col(small_integer("status"))
                .col(string_len("outcome", 16))
                .col(string_len("request_id", 64))
                .col(string_len_null("ip", 64))
                .col(created_at())
                .foreign_key(&mut org_fk("audit_log"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "audit_log",
            "ix_audit_org_created",
            &["organization_id", "created_at"],
            false,
        ))
        .await?;
        m.create_index(index(
            "audit_log",
            "ix_audit_org_action",
            &["organization_id", "action"],
            false,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "audit_log",
            "api_keys",
            "refresh_tokens",
            "users",
            "organizations",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
