//! Dates and numbers in the reader's language, through the browser's `Intl`.

use chrono::{DateTime, Utc};
use js_sys::{Date, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::i18n::Locale;

fn tag(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        Locale::es => "es",
        Locale::cs => "cs",
    }
}

/// A date and time, e.g. `25 Nov 2026, 14:05` / `25. 11. 2026 14:05`.
pub fn date_time(locale: Locale, at: &DateTime<Utc>) -> String {
    let options = Object::new();
    let _ = Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let date = Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    date.to_locale_string(tag(locale), &options).into()
}

/// A whole number with the locale's grouping, e.g. `12,345` / `12 345`.
pub fn number(locale: Locale, n: u64) -> String {
    js_sys::Number::from(n as f64)
        .to_locale_string(tag(locale))
        .into()
}
