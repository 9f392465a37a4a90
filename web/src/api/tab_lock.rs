//! Mutual exclusion across the browser's tabs of this origin, through the Web Locks API
//! (`navigator.locks.request`).
//!
//! web-sys has `LockManager` only behind `--cfg=web_sys_unstable_apis`, so the one call
//! needed is made through `Reflect`. Where the API is missing (an insecure origin, an old
//! browser) the work runs without the cross-tab lock; callers keep their own in-tab
//! serialization either way.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures::channel::oneshot;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{JsFuture, future_to_promise};

type Job<T> = Pin<Box<dyn Future<Output = T>>>;

/// `navigator.locks` and its `request` method, when the browser has them.
fn lock_manager() -> Option<(JsValue, Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    let request = Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    Some((locks, request))
}

/// Runs `work` while this tab holds the lock `name`: no other tab's `exclusive(name, ..)`
/// runs meanwhile. The lock is released when `work` ends, or when the tab goes away.
///
/// Once granted, `work` runs to its end even if the caller stops waiting, so a lock is
/// never left held by a dropped future. `None` only if the browser granted the lock but the
/// work's answer was lost, which it does not do.
pub async fn exclusive<T: 'static>(
    name: &str,
    work: impl Future<Output = T> + 'static,
) -> Option<T> {
    let job: Rc<RefCell<Option<Job<T>>>> = Rc::new(RefCell::new(Some(Box::pin(work))));
    if let Some((locks, request)) = lock_manager() {
        let (tx, mut rx) = oneshot::channel();
        let granted_job = job.clone();
        // Called by the browser once the lock is ours; the lock is held until the promise
        // it answers settles.
        let on_granted = Closure::once_into_js(move |_lock: JsValue| -> Promise {
            let taken = granted_job.borrow_mut().take();
            future_to_promise(async move {
                if let Some(work) = taken {
                    let _ = tx.send(work.await);
                }
                Ok(JsValue::UNDEFINED)
            })
        });
        if let Ok(pending) = request.call2(&locks, &JsValue::from_str(name), &on_granted) {
            // Settles after the work's promise, so a granted lock has its answer by now.
            let _ = JsFuture::from(Promise::from(pending)).await;
            if let Ok(Some(out)) = rx.try_recv() {
                return Some(out);
            }
        }
    }
    // No Web Locks, or the request failed before the lock was granted.
    let work = job.borrow_mut().take()?;
    Some(work.await)
}
