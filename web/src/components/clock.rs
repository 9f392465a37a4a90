//! Time that moves on screen without asking the server: a `now` that ticks every second
//! while the component using it lives, and durations as people read them.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// The browser's current time (`SystemTime` does not exist in the browser's wasm).
pub fn browser_now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The current time, moving once a second until the calling component goes away.
pub fn ticking_now() -> Signal<DateTime<Utc>> {
    let now = RwSignal::new(browser_now());
    let interval = gloo_timers::callback::Interval::new(1_000, move || now.set(browser_now()));
    let interval = StoredValue::new_local(Some(interval));
    on_cleanup(move || {
        interval.update_value(|i| {
            if let Some(i) = i.take() {
                i.cancel();
            }
        });
    });
    now.into()
}

/// `1:02:03` past an hour, `2:03` below it.
pub fn elapsed(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - since).num_seconds().max(0);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}
