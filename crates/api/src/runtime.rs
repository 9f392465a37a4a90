//! The registry of long-lived tasks: subscribers today; per-organization ACD engines,
//! per-campaign dialers and per-call actors as they arrive. Every task is spawned through
//! [`Runtime::spawn`] with a [`Shutdown`] it must watch; [`Runtime::drain`] signals them
//! all and waits for them (on SIGTERM, and when a test's application stops), aborting
//! what does not finish in time. Nothing long-lived is spawned with a bare `tokio::spawn`.

use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Told when the application is stopping.
#[derive(Clone)]
pub struct Shutdown(watch::Receiver<bool>);

impl Shutdown {
    /// Resolves once shutdown has begun (at once if it has).
    pub async fn wait(&mut self) {
        // An error means the runtime is gone: that is a shutdown too.
        let _ = self.0.wait_for(|stopping| *stopping).await;
    }

    /// True once shutdown has begun.
    pub fn is_stopping(&self) -> bool {
        *self.0.borrow()
    }
}

/// The long-lived tasks of one application.
pub struct Runtime {
    stop: watch::Sender<bool>,
    tasks: Mutex<Vec<(String, JoinHandle<()>)>>,
}

impl Default for Runtime {
    fn default() -> Self {
        Runtime {
            stop: watch::channel(false).0,
            tasks: Mutex::new(Vec::new()),
        }
    }
}

impl Runtime {
    /// Spawns `task(shutdown)` under `name` (for logs and [`Runtime::running`]).
    pub fn spawn<F, Fut>(&self, name: impl Into<String>, task: F)
    where
        F: FnOnce(Shutdown) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let name = name.into();
        let handle = tokio::spawn(task(Shutdown(self.stop.subscribe())));
        let mut tasks = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        tasks.retain(|(_, h)| !h.is_finished());
        tasks.push((name, handle));
        metrics::gauge!("cc_runtime_tasks").set(tasks.len() as f64);
    }

    /// Names of the tasks still running.
    pub fn running(&self) -> Vec<String> {
        let tasks = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        tasks
            .iter()
            .filter(|(_, h)| !h.is_finished())
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// Signals every task to stop and waits up to `grace` for them; aborts the rest.
    /// Answers how many had to be aborted.
    pub async fn drain(&self, grace: Duration) -> usize {
        self.stop.send_replace(true);
        let tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|p| p.into_inner()));
        let deadline = tokio::time::Instant::now() + grace;
        let mut aborted = 0;
        for (name, mut handle) in tasks {
            if tokio::time::timeout_at(deadline, &mut handle)
                .await
                .is_err()
            {
                tracing::warn!(task = %name, "task did not stop in time; aborted");
                handle.abort();
                aborted += 1;
            }
        }
        metrics::gauge!("cc_runtime_tasks").set(0.0);
        aborted
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn drain_stops_tasks_that_watch_shutdown_and_aborts_the_rest() {
        let runtime = Runtime::default();
        runtime.spawn(
            "polite",
            |mut shutdown| async move { shutdown.wait().await },
        );
        runtime.spawn("stubborn", |_| std::future::pending());
        assert_eq!(runtime.running().len(), 2);
        assert_eq!(runtime.drain(Duration::from_millis(100)).await, 1);
        assert!(runtime.running().is_empty());
    }
}
