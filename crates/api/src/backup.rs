//! Backups of the embedded SQLite database. `cc-api backup --to FILE` writes a consistent
//! copy while the server keeps running (`VACUUM INTO`: one read transaction, so the copy is
//! the database at one instant, compacted). `cc-api restore --from FILE` checks a copy
//! (integrity, CC-Lite's migrations) and puts it in place of the configured database, then
//! migrates it forward; the server must be stopped meanwhile. PostgreSQL deployments use
//! `pg_dump`/`pg_restore` (docs/OPERATIONS.md).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

use crate::config::Config;

/// The file of the configured SQLite database; an error for PostgreSQL.
fn sqlite_file(config: &Config) -> anyhow::Result<PathBuf> {
    let url = config.effective_database_url();
    let Some(rest) = url.strip_prefix("sqlite://") else {
        bail!(
            "the database is not the embedded SQLite file: back PostgreSQL up with pg_dump \
             (see docs/OPERATIONS.md)"
        );
    };
    Ok(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

/// Writes a consistent copy of the database to `to` (which must not exist); its size.
pub async fn backup(config: &Config, to: &Path) -> anyhow::Result<u64> {
    sqlite_file(config)?;
    if to.exists() {
        bail!("{} exists already; choose a new file", to.display());
    }
    let db = crate::db::connect(config).await?;
    let target = to.to_string_lossy().replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{target}'"))
        .await
        .with_context(|| format!("writing the backup to {}", to.display()))?;
    db.close().await.ok();
    let size = std::fs::metadata(to)?.len();
    Ok(size)
}

/// Checks `from` and makes it the configured database, migrated to this version.
pub async fn restore(config: &Config, from: &Path) -> anyhow::Result<()> {
    let target = sqlite_file(config)?;
    check(from).await?;
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // Copy beside the target, then rename: the database is never half written.
    let staging = target.with_extension("restoring");
    std::fs::copy(from, &staging)
        .with_context(|| format!("copying {} into place", from.display()))?;
    std::fs::File::open(&staging)?.sync_all()?;
    for stale in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{stale}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side)?;
        }
    }
    std::fs::rename(&staging, &target)?;
    let db = crate::db::connect(config).await?;
    crate::db::migrate(&db).await?;
    db.close().await.ok();
    Ok(())
}

/// A backup is an intact SQLite database that CC-Lite migrated.
async fn check(from: &Path) -> anyhow::Result<()> {
    if !from.is_file() {
        bail!("{} is not a file", from.display());
    }
    let url = format!("sqlite://{}?mode=ro", from.display());
    let db = Database::connect(url)
        .await
        .with_context(|| format!("{} is not a SQLite database", from.display()))?;
    let integrity = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await
        .with_context(|| format!("{} is not a SQLite database", from.display()))?
        .and_then(|row| row.try_get_by_index::<String>(0).ok());
    if integrity.as_deref() != Some("ok") {
        bail!("{} is damaged: {integrity:?}", from.display());
    }
    db.query_one_raw(Statement::from_string(
        DbBackend::Sqlite,
        "SELECT COUNT(*) FROM seaql_migrations",
    ))
    .await
    .with_context(|| format!("{} is not a CC-Lite database", from.display()))?;
    db.close().await.ok();
    Ok(())
}
