//! The queue snapshot the supervisor cockpit shows, read from the engine's live state and
//! indexes (never from history).

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::engine::AcdEngine;
use super::model::QueueId;
use super::state::Presence;

/// Agents serving a queue, by ACD presence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentsByState {
    /// Free.
    pub idle: u32,
    /// Holding an offer.
    pub reserved: u32,
    /// Handling a contact.
    pub busy: u32,
    /// Not taking contacts.
    pub away: u32,
}

/// A queue at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueSnapshot {
    /// The queue.
    pub queue: QueueId,
    /// Contacts waiting (offered ones excluded).
    pub waiting: u32,
    /// Longest current wait in this queue.
    pub longest_wait: TimeDelta,
    /// Agents serving the queue by presence.
    pub agents: AgentsByState,
    /// Waiting contacts per priority; index 0 is priority 1.
    pub per_priority: [u32; 10],
}

impl AcdEngine {
    /// The snapshot of one queue at `at`, or `None` for an unknown queue.
    pub fn queue_snapshot(&self, queue: QueueId, at: DateTime<Utc>) -> Option<QueueSnapshot> {
        let index = self.index().queues.get(&queue)?;
        let oldest = index.by_entry.first().map(|(entered, _, _)| *entered);
        let longest_wait = oldest.map_or(TimeDelta::zero(), |e| {
            TimeDelta::milliseconds(at.timestamp_millis() - e)
        });
        let mut agents = AgentsByState::default();
        for agent in index
            .agents
            .iter()
            .filter_map(|id| self.state().agents.get(id))
        {
            match agent.presence {
                Presence::Idle { .. } => agents.idle += 1,
                Presence::Reserved { .. } => agents.reserved += 1,
                Presence::Busy => agents.busy += 1,
                Presence::Away => agents.away += 1,
            }
        }
        Some(QueueSnapshot {
            queue,
            waiting: u32::try_from(index.waiting()).unwrap_or(u32::MAX),
            longest_wait,
            agents,
            per_priority: index.per_priority,
        })
    }
}
