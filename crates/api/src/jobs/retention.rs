//! The retention job: deletes what the organization no longer needs to keep — refresh
//! tokens and sessions long after they ended, audit rows past the audit retention. It runs
//! across every organization (a system job, not a request), is idempotent, and counts what
//! it removed (`cc_retention_pruned_total{table}`).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use crate::audit::entity as audit_log;
use crate::auth::entity as refresh_token;
use crate::auth::session;
use crate::config::Config;

/// A request to prune, as queued.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RetentionJob {
    /// When it was asked for.
    pub requested_at: DateTime<Utc>,
}

/// How long each kind of row is kept.
#[derive(Debug, Clone, Copy)]
pub struct RetentionPolicy {
    /// Refresh tokens and sessions, after they expired or were revoked.
    pub sessions: Duration,
    /// Audit rows, after they were written.
    pub audit: Duration,
    /// A session's absolute lifetime (it has ended this long after its start).
    pub session_max_age: Duration,
}

impl RetentionPolicy {
    /// The policy the configuration states.
    pub fn from_config(config: &Config) -> RetentionPolicy {
        RetentionPolicy {
            sessions: Duration::days(i64::from(config.retention.session_days)),
            audit: Duration::days(i64::from(config.retention.audit_days)),
            session_max_age: Duration::seconds(config.session_max_age_secs as i64),
        }
    }
}

/// Rows removed by one run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    /// Refresh tokens.
    pub refresh_tokens: u64,
    /// Sessions.
    pub sessions: u64,
    /// Audit rows.
    pub audit: u64,
}

/// Deletes what `policy` no longer keeps at `now`.
pub async fn prune(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    policy: RetentionPolicy,
) -> Result<Pruned, sea_orm::DbErr> {
    let ended_before = now - policy.sessions;
    let refresh_tokens = refresh_token::Entity::delete_many()
        .filter(
            Condition::any()
                .add(refresh_token::Column::ExpiresAt.lt(ended_before))
                .add(refresh_token::Column::RevokedAt.lt(ended_before)),
        )
        .exec(db)
        .await?
        .rows_affected;
    let sessions = session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::RevokedAt.lt(ended_before))
                .add(session::Column::CreatedAt.lt(ended_before - policy.session_max_age)),
        )
        .exec(db)
        .await?
        .rows_affected;
    let audit = audit_log::Entity::delete_many()
        .filter(audit_log::Column::CreatedAt.lt(now - policy.audit))
        .exec(db)
        .await?
        .rows_affected;
    for (table, n) in [
        ("refresh_tokens", refresh_tokens),
        ("sessions", sessions),
        ("audit_log", audit),
    ] {
        metrics::counter!("cc_retention_pruned_total", "table" => table).increment(n);
    }
    Ok(Pruned {
        refresh_tokens,
        sessions,
        audit,
    })
}
