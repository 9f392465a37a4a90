//! Waiting for a condition in the cc-sim integration tests: poll it every 20 ms until it holds,
//! and fail with what was awaited at a 20 s deadline (never a bare sleep).
#![allow(dead_code)]

use std::future::Future;
use std::time::{Duration, Instant};

/// Waits until `condition()` holds.
pub async fn until(what: &str, mut condition: impl FnMut() -> bool) {
    until_async(what, || std::future::ready(condition())).await;
}

/// Waits until the future `condition()` makes resolves to true.
pub async fn until_async<F, Fut>(what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(20);
    while !condition().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
