//! The signed-in session: tokens, kept in `localStorage` so a reload stays signed in.

use cc_types::auth::TokenResponse;
use serde::{Deserialize, Serialize};

const KEY: &str = "cc-lite.session";

/// Why the last session ended, for the login form to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedOutReason {
    Expired,
    PasswordChanged,
}

/// Refresh this long before the access token expires.
const REFRESH_MARGIN_MS: f64 = 60_000.0;

/// An access token, the refresh token that renews it, and when the access token ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
    /// Milliseconds since the epoch (browser clock).
    pub expires_at_ms: f64,
}

impl Tokens {
    pub fn from_response(r: TokenResponse) -> Tokens {
        Tokens {
            access: r.access_token,
            refresh: r.refresh_token,
            expires_at_ms: now_ms() + r.expires_in as f64 * 1000.0,
        }
    }

    /// Whether the access token should be renewed before it is used.
    pub fn needs_refresh(&self) -> bool {
        now_ms() + REFRESH_MARGIN_MS >= self.expires_at_ms
    }
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn load() -> Option<Tokens> {
    let raw = storage()?.get_item(KEY).ok()??;
    serde_json::from_str(&raw).ok()
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
