//! The signed-in session: tokens, kept in `localStorage` so a reload stays signed in and
//! every tab of the browser shares one session.
//!
//! Storage is the truth between tabs: a tab re-reads it before renewing (another tab may
//! have renewed already) and hears through the `storage` event when another tab signs in,
//! renews or signs out.

use cc_types::auth::TokenResponse;
use leptos::ev;
use leptos::prelude::{WindowListenerHandle, window_event_listener};
use serde::{Deserialize, Serialize};

const KEY: &str = "cc-lite.session";

/// Why the last session ended, for the login form to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedOutReason {
    Expired,
    PasswordChanged,
}

/// How long before its expiry an access token is renewed: a minute, or half the token's
/// lifetime when that is shorter. A minute keeps a token from expiring in flight; half the
/// lifetime keeps a short-lived token (the server's minimum is 60 s) from being renewed on
/// every call, which with a flat minute would happen from the moment it is issued.
pub fn renewal_margin_ms(lifetime_ms: f64) -> f64 {
    (lifetime_ms / 2.0).min(60_000.0)
}

/// An access token, the refresh token that renews it, and when the access token ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
    /// Milliseconds since the epoch (browser clock).
    pub expires_at_ms: f64,
    /// When to renew ([`renewal_margin_ms`] before expiry). Missing in sessions stored by
    /// an older version of the app: they renew on their next call.
    #[serde(default)]
    pub renew_at_ms: f64,
}

impl Tokens {
    pub fn from_response(r: TokenResponse) -> Tokens {
        let now = now_ms();
        let lifetime_ms = r.expires_in as f64 * 1000.0;
        Tokens {
            access: r.access_token,
            refresh: r.refresh_token,
            expires_at_ms: now + lifetime_ms,
            renew_at_ms: now + lifetime_ms - renewal_margin_ms(lifetime_ms),
        }
    }

    /// Whether the access token should be renewed before it is used.
    pub fn needs_refresh(&self) -> bool {
        now_ms() >= self.renew_at_ms
    }

    /// The server-side session (refresh family) the access token belongs to: its `sid`
    /// claim. Only compared, never trusted: the server checks the signature.
    pub fn session_id(&self) -> Option<String> {
        let payload = self.access.split('.').nth(1)?;
        let base64 = payload.replace('-', "+").replace('_', "/");
        let padded = format!("{base64}{}", "=".repeat((4 - base64.len() % 4) % 4));
        let json = web_sys::window()?.atob(&padded).ok()?;
        let claims: serde_json::Value = serde_json::from_str(&json).ok()?;
        claims.get("sid")?.as_str().map(str::to_owned)
    }
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn parse(raw: &str) -> Option<Tokens> {
    serde_json::from_str(raw).ok()
}

pub fn load() -> Option<Tokens> {
    parse(&storage()?.get_item(KEY).ok()??)
}

/// There is no `localStorage` (blocked by the browser): tabs cannot share a session.
#[derive(Debug)]
pub struct NoStorage;

/// The session as stored now, which another tab may have changed since this one read it.
pub fn load_shared() -> Result<Option<Tokens>, NoStorage> {
    let storage = storage().ok_or(NoStorage)?;
    let raw = storage.get_item(KEY).map_err(|_| NoStorage)?;
    Ok(raw.as_deref().and_then(parse))
}

pub fn save(tokens: &Tokens) {
    if let (Some(s), Ok(raw)) = (storage(), serde_json::to_string(tokens)) {
        let _ = s.set_item(KEY, &raw);
    }
}

pub fn clear() {
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
    }
}

/// Calls `changed` with the stored session whenever another tab changes it (`None`: that
/// tab signed out). The browser does not tell a tab about its own writes.
pub fn watch(changed: impl Fn(Option<Tokens>) + 'static) -> WindowListenerHandle {
    window_event_listener(ev::storage, move |e| {
        // `key` is null when the whole storage was cleared.
        if e.key().is_none_or(|k| k == KEY) {
            changed(e.new_value().as_deref().and_then(parse));
        }
    })
}
