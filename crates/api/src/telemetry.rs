//! Structured logs, metrics and the per-request context (correlation id, language).
//!
//! The request context lives in a task-local set by the request middleware, so error
//! rendering deep inside a handler knows the request id and the caller's language
//! without threading them through every function.

use std::sync::OnceLock;

use cc_types::Language;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

use crate::config::Config;

/// What every part of a request may need to know about it.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// Correlation id (`X-Request-Id`).
    pub request_id: String,
    /// Language negotiated from `Accept-Language`.
    pub language: Language,
}

tokio::task_local! {
    static CONTEXT: RequestContext;
}

/// The current request's context; outside a request, an empty id and English.
pub fn request_context() -> RequestContext {
    CONTEXT
        .try_with(Clone::clone)
        .unwrap_or_else(|_| RequestContext {
            request_id: String::new(),
            language: Language::En,
        })
}

/// Runs `fut` with `ctx` as the request context.
pub async fn with_context<F: std::future::Future>(ctx: RequestContext, fut: F) -> F::Output {
    CONTEXT.scope(ctx, fut).await
}

/// Installs the JSON (or pretty) log subscriber once per process.
pub fn init_logging(config: &Config) {
    let filter = EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let result = if config.log_format == "json" {
        builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .flatten_event(true)
            .try_init()
    } else {
        builder.try_init()
    };
    // A second initialisation (tests start many apps in one process) keeps the first.
    drop(result);
}

/// Seconds buckets for request latency: fine below 10 ms where our targets are.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

static RECORDER: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process-wide Prometheus recorder. The `metrics` facade is global by design, so
/// this is the one process-global the server keeps; every app in a process shares it.
pub fn metrics_handle() -> Option<PrometheusHandle> {
    RECORDER
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("duration_seconds".into()), LATENCY_BUCKETS)
                .ok()?;
            match builder.install_recorder() {
                Ok(handle) => Some(handle),
                Err(e) => {
                    tracing::warn!(error = %e, "metrics recorder not installed");
                    None
                }
            }
        })
        .clone()
}
