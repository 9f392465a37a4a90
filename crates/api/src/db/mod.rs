//! Database connection, migrations, paging, typed enum columns and the translation of
//! constraint violations.

pub mod enums;

use std::time::Duration;

use anyhow::Context;
use cc_types::page::DEFAULT_LIMIT;
use cc_types::{ErrorCode, Page};
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    PaginatorTrait, QuerySelect, Select, SqlErr,
};

use crate::config::Config;
use crate::error::{ApiError, ApiResult};

/// Opens the pool described by the configuration (creating the data folder for SQLite).
pub async fn connect(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let url = config.effective_database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating data folder {}", config.data_dir.display()))?;
    }
    let mut opts = ConnectOptions::new(url.clone());
    opts.max_connections(config.db_max_connections)
        .min_connections(config.db_min_connections.min(config.db_max_connections))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    let db = Database::connect(opts)
        .await
        .with_context(|| format!("connecting to {}", redact(&url)))?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers proceed while one writer commits.
        db.execute_unprepared(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        )
        .await
        .context("configuring SQLite")?;
    }
    Ok(db)
}

/// Key of the PostgreSQL advisory lock that migrations run under.
const MIGRATION_LOCK: i64 = 0x6363_6c69_7465; // "cclite"

/// Applies pending migrations. On PostgreSQL, instances that start together (a rolling
/// upgrade, a scaled-out deployment) take turns under a session advisory lock, so each
/// migration runs once, by one instance; the others find nothing pending.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Migrator::up(db, None).await.context("running migrations");
    }
    // The lock belongs to this connection's session; the migrations use others.
    let mut lock = db
        .get_postgres_connection_pool()
        .acquire()
        .await
        .context("taking a connection for the migration lock")?;
    sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *lock)
        .await
        .context("waiting for the migration lock")?;
    let result = Migrator::up(db, None).await.context("running migrations");
    if let Err(e) = sea_orm::sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *lock)
        .await
    {
        // Closing the connection ends the session, and with it the lock.
        tracing::warn!(error = %e, "migration lock not released; closing its connection");
        lock.close_on_drop();
    }
    result
}

/// Hides the password of a database URL for logs and errors.
pub fn redact(url: &str) -> String {
    crate::config::redact_url(url)
}

/// Maps a unique-key violation to a 409 naming `field` with `code`; any other error
/// passes through. `insert(db).await.map_err(on_unique(ErrorCode::NameTaken, "name"))`.
pub fn on_unique(code: ErrorCode, field: &'static str) -> impl FnOnce(DbErr) -> ApiError {
    move |e| {
        if is_unique_violation(&e) {
            ApiError::Conflict { code, field }
        } else {
            e.into()
        }
    }
}

/// A `LIKE` pattern matching `q` anywhere, case-insensitively (compare with a lower-cased
/// column), with `%`, `_` and `\\` taken literally.
pub fn like_pattern(q: &str) -> sea_orm::sea_query::LikeExpr {
    let escaped = q
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// The one paging shape of every list: `limit` (default 50) rows from `offset`, in the
/// select's order, and the total of matches. Offsets are bounded by validation
/// (`cc_types::page::MAX_OFFSET`); the large tables to come (contacts, calls, recordings)
/// page by a keyset cursor instead: `WHERE (created_at, id) < (last seen)` in the same
/// order, with the cursor an opaque string of the last row's key.
pub async fn paginate<E, C>(
    select: Select<E>,
    limit: Option<u64>,
    offset: Option<u64>,
    db: &C,
) -> Result<(Vec<E::Model>, u64, u64, u64), DbErr>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ConnectionTrait,
{
    let (limit, offset) = (limit.unwrap_or(DEFAULT_LIMIT), offset.unwrap_or(0));
    let total = select.clone().count(db).await?;
    let rows = if offset >= total {
        Vec::new()
    } else {
        select.limit(limit).offset(offset).all(db).await?
    };
    Ok((rows, total, limit, offset))
}

/// [`paginate`] into a [`Page`] of DTOs.
pub async fn page<E, C, T>(
    select: Select<E>,
    limit: Option<u64>,
    offset: Option<u64>,
    db: &C,
    to_dto: impl Fn(E::Model) -> T,
) -> ApiResult<Page<T>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ConnectionTrait,
{
    let (rows, total, limit, offset) = paginate(select, limit, offset, db).await?;
    Ok(Page {
        items: rows.into_iter().map(to_dto).collect(),
        total,
        limit,
        offset,
    })
}

/// Serializes one organization's changes to structures whose rules span rows (the team
/// tree, a team's members, skills held): two requests that are each valid alone cannot
/// interleave. A write to the organization's row, so SQLite takes its write lock too.
pub async fn lock_organization(
    tx: &sea_orm::DatabaseTransaction,
    org: uuid::Uuid,
) -> ApiResult<()> {
    use crate::organizations::entity as organization;
    use sea_orm::{ColumnTrait, QueryFilter, sea_query::Expr};
    organization::Entity::update_many()
        .col_expr(
            organization::Column::Name,
            Expr::col(organization::Column::Name),
        )
        .filter(organization::Column::Id.eq(org))
        .exec(tx)
        .await?;
    Ok(())
}

/// True when `e` violates the unique index that covers `column` (the error names the
/// index on PostgreSQL, the columns on SQLite; both carry the column's name).
pub fn is_unique_violation_on(e: &DbErr, column: &str) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(msg)) if msg.contains(column))
}

/// True when `e` is a unique-key violation (the one place this is decided).
pub fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Current pool usage for the metrics endpoint: (open, idle).
pub fn pool_usage(db: &DatabaseConnection) -> (u32, usize) {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            (p.size(), p.num_idle())
        }
        DbBackend::Sqlite => {
            let p = db.get_sqlite_connection_pool();
            (p.size(), p.num_idle())
        }
        _ => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_never_reach_logs() {
        assert_eq!(
            super::redact("postgres://u:secret@host/db"),
            "postgres://u:***@host/db"
        );
        assert_eq!(
            super::redact("sqlite://./data/x.db"),
            "sqlite://./data/x.db"
        );
    }
}
