//! The outbound dialer: dialing modes and predictive pacing under the abandon cap
//! ([`pacer`]), the regulators' abandon rule ([`abandon`]), what a campaign observes
//! ([`stats`]), and a simulator with a published model ([`sim`]). Contact selection,
//! retries and callbacks live in [`contacts`]; calling windows and do-not-call lists are
//! [`crate::windows`] and [`crate::dnc`]. Times here are seconds on a campaign clock
//! chosen by the caller (any fixed origin).

pub mod abandon;
pub mod contacts;
pub mod gate;
mod odds;
pub mod pacer;
pub mod preview;
pub mod retry;
pub mod sim;
pub mod stats;

pub use abandon::{AbandonLedger, is_abandoned};
pub use pacer::{AgentActivity, Observation, Pacer, PacerConfig, PacingBasis, PacingDecision};
pub use stats::{CampaignObserver, DialResult, RollingDistribution};
