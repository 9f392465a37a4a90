//! Automatic contact distribution: queues with priorities and aging, skills with levels,
//! timed skill relaxation, queue limits with overflow, sticky routing, callbacks, offers as
//! reservations, and per-queue agent selection policies. It owns who gets which contact and
//! why; it does not own agent statuses (that is `agent`, whose events the caller turns into
//! `AgentAvailable`/`AgentUnavailable` commands) nor timers (the caller sends `Tick`).
//!
//! The engine is plain data plus derived indexes: every change is an [`AcdCommand`], so a
//! server instance that takes a queue over rebuilds the engine from the command log or from
//! a serialized snapshot and nobody loses their place.

mod engine;
mod model;
mod offers;
mod overflow;
mod pick;
mod requirement;
mod select;
mod snapshot;
mod state;

pub use engine::AcdEngine;
pub use model::*;
pub use requirement::{Signature, qualifies, steps_in_force};
pub use snapshot::{AgentsByState, QueueSnapshot};
pub use state::{AcdState, AgentEntry, ContactEntry, Presence};

#[cfg(test)]
mod tests;
