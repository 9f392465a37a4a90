//! The sections of the configuration, one per domain that has settings of its own.

use serde::{Deserialize, Serialize};

/// `[retention]`: how long ended sessions and audit rows are kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionConfig {
    /// Days refresh tokens and sessions are kept after they ended
    /// (`CC_RETENTION__SESSION_DAYS`).
    pub session_days: u32,
    /// Days audit rows are kept (`CC_RETENTION__AUDIT_DAYS`).
    pub audit_days: u32,
    /// Seconds between retention runs (`CC_RETENTION__INTERVAL`).
    pub interval: u64,
}

/// `[presence]`: what happens to agents whose desktop went away.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PresenceConfig {
    /// Seconds an agent's desktop may be gone (every connection closed) before they are
    /// moved (`CC_PRESENCE__GRACE_SECS`).
    pub grace_secs: u64,
    /// Where such an agent goes: `offline` or `not_ready` (reason `disconnected`)
    /// (`CC_PRESENCE__ON_DISCONNECT`).
    pub on_disconnect: DisconnectPolicy,
    /// Milliseconds between checks of due timers: not-ready overruns, the grace
    /// (`CC_PRESENCE__TICK_MS`).
    pub tick_ms: u64,
}

/// Where an agent whose desktop is gone past the grace goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisconnectPolicy {
    /// Offline.
    Offline,
    /// Not ready, reason `disconnected`.
    NotReady,
}

impl Default for PresenceConfig {
    fn default() -> Self {
        PresenceConfig {
            grace_secs: 60,
            on_disconnect: DisconnectPolicy::Offline,
            tick_ms: 500,
        }
    }
}

impl Default for RetentionConfig {
    fn default() -> Self {
        RetentionConfig {
            session_days: 30,
            audit_days: 400,
            interval: 3600,
        }
    }
}
