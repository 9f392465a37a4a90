//! Durable jobs: work that must survive a restart and run once however many instances
//! serve (imports, dialing, scheduled reports, retention). Jobs are queued with apalis 1.0
//! in the application's own database — apalis-sqlite for the embedded default,
//! apalis-postgres in production — on the same sqlx pool sea-orm uses, so there is no
//! broker to run and a job is committed like any other row. One worker per job kind runs
//! in the [`Runtime`](crate::runtime::Runtime) and stops at shutdown; a job a dead worker
//! held is picked up again by apalis' heartbeat and orphan recovery.
//!
//! Adding a job: a `serde` argument type and an `async fn` handler in a module here, a
//! queue in [`JobsState`], its worker started in [`JobsState::new`].

pub mod retention;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use apalis::prelude::*;
use apalis_postgres::PostgresStorage;
use apalis_sqlite::SqliteStorage;
use sea_orm::{DatabaseConnection, DbBackend};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Mutex;

use crate::clock::Clock;
use crate::runtime::Shutdown;
use crate::state::Infra;
use retention::{RetentionJob, RetentionPolicy};

/// A queue of one job kind in the application's database.
pub enum Queue<T> {
    /// The embedded default.
    Sqlite(SqliteStorage<T>),
    /// Production.
    Postgres(PostgresStorage<T>),
}

impl<T> Queue<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + Unpin + 'static,
{
    /// Queues `job`; it is durable once this returns.
    pub async fn push(&mut self, job: T) -> anyhow::Result<()> {
        match self {
            Queue::Sqlite(s) => s.push(job).await.map_err(|e| anyhow::anyhow!("{e}")),
            Queue::Postgres(s) => s.push(job).await.map_err(|e| anyhow::anyhow!("{e}")),
        }
        .context("queueing a job")
    }
}

/// A worker's name, unique per process: apalis registers workers by name, and every
/// instance runs one worker per job kind.
fn worker_name(kind: &str) -> String {
    format!("{kind}-{}", uuid::Uuid::now_v7().simple())
}

/// How often an idle worker looks for queued jobs.
const POLL: Duration = Duration::from_secs(1);

/// What a retention run needs.
#[derive(Clone)]
struct RetentionContext {
    db: DatabaseConnection,
    clock: Clock,
    policy: RetentionPolicy,
}

async fn run_retention(_job: RetentionJob, ctx: Data<RetentionContext>) -> Result<(), BoxDynError> {
    let pruned = retention::prune(&ctx.db, ctx.clock.now(), ctx.policy).await?;
    tracing::info!(
        refresh_tokens = pruned.refresh_tokens,
        sessions = pruned.sessions,
        audit = pruned.audit,
        "retention pruned"
    );
    Ok(())
}

/// The job queues, and their workers in the runtime.
pub struct JobsState {
    retention: Arc<Mutex<Queue<RetentionJob>>>,
    clock: Clock,
}

/// Stops a worker when the runtime shuts down.
async fn stop_on(mut shutdown: Shutdown) -> Result<(), std::io::Error> {
    shutdown.wait().await;
    Ok(())
}

impl JobsState {
    /// Prepares the job tables, starts one worker per job kind and the retention schedule.
    pub async fn new(infra: &Infra) -> anyhow::Result<JobsState> {
        let ctx = RetentionContext {
            db: infra.db.clone(),
            clock: infra.clock.clone(),
            policy: RetentionPolicy::from_config(&infra.config),
        };
        // The worker is the same on both backends; only the storage type differs, and
        // apalis' bounds on it are long, so a macro writes the spawn once.
        macro_rules! spawn_worker {
            ($storage:expr) => {{
                let worker = WorkerBuilder::new(worker_name("retention"))
                    .backend($storage.clone().poll_with_interval(POLL))
                    .data(ctx)
                    .build(run_retention);
                infra
                    .runtime
                    .spawn("retention worker", |shutdown| async move {
                        if let Err(e) = worker.run_until(stop_on(shutdown)).await {
                            tracing::error!(error = %e, "retention worker stopped");
                        }
                    });
            }};
        }
        let queue = match infra.db.get_database_backend() {
            DbBackend::Postgres => {
                let pool = infra.db.get_postgres_connection_pool();
                PostgresStorage::migrations()
                    .run(pool)
                    .await
                    .context("preparing the job tables")?;
                let storage = PostgresStorage::<RetentionJob>::new(pool);
                spawn_worker!(storage);
                Queue::Postgres(storage)
            }
            _ => {
                let pool = infra.db.get_sqlite_connection_pool();
                // apalis' own setup also switches SQLite to synchronous=OFF; its
                // migrations alone keep our durability settings.
                SqliteStorage::migrations()
                    .run(pool)
                    .await
                    .context("preparing the job tables")?;
                let storage = SqliteStorage::<RetentionJob>::new(pool);
                spawn_worker!(storage);
                Queue::Sqlite(storage)
            }
        };
        let jobs = JobsState {
            retention: Arc::new(Mutex::new(queue)),
            clock: infra.clock.clone(),
        };
        jobs.schedule_retention(infra);
        Ok(jobs)
    }

    /// Queues a retention run now.
    pub async fn enqueue_retention(&self) -> anyhow::Result<()> {
        push_retention(&self.retention, &self.clock).await
    }

    /// Queues a retention run every `CC_RETENTION__INTERVAL` until shutdown (every
    /// instance does; a run is idempotent, so several in one interval only repeat a cheap
    /// delete).
    fn schedule_retention(&self, infra: &Infra) {
        let interval = Duration::from_secs(infra.config.retention.interval);
        let (queue, clock) = (Arc::clone(&self.retention), self.clock.clone());
        infra
            .runtime
            .spawn("retention schedule", |mut shutdown| async move {
                loop {
                    tokio::select! {
                        () = tokio::time::sleep(interval) => {}
                        () = shutdown.wait() => return,
                    }
                    if let Err(e) = push_retention(&queue, &clock).await {
                        tracing::warn!(
                            error = format!("{e:#}"),
                            "could not queue the retention job"
                        );
                    }
                }
            });
    }
}

async fn push_retention(queue: &Mutex<Queue<RetentionJob>>, clock: &Clock) -> anyhow::Result<()> {
    queue
        .lock()
        .await
        .push(RetentionJob {
            requested_at: clock.now(),
        })
        .await
}
