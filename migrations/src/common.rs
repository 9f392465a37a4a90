//! Helpers every migration shares, so that tables are declared the same way: the
//! `created_at` column, the organization foreign key, named indexes, and SQL that must
//! read the same on PostgreSQL and SQLite. Migrations already released keep their own
//! copies: a migration's file is never edited once it has run anywhere.

use sea_orm_migration::{prelude::*, schema::*};

/// `created_at`, UTC.
pub fn created_at() -> ColumnDef {
    timestamp_with_time_zone("created_at")
}

/// The foreign key to `organizations`, deleted with it.
pub fn org_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_organization"))
        .from(table, "organization_id")
        .to("organizations", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// A named index over `cols`.
pub fn index(
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

/// Runs one SQL statement written in the subset PostgreSQL and SQLite share.
pub async fn exec(m: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    m.get_connection().execute_unprepared(sql).await.map(|_| ())
}
