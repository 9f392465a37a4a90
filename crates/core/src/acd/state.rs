//! The engine's state as plain data, and the indexes derived from it. Only [`AcdState`] is
//! serialized and compared; the indexes are rebuilt from it, so a snapshot or a replayed
//! command log restores exactly the same engine on another server instance.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::{AgentId, AgentProfile, ContactId, ContactRequest, QueueConfig, QueueId};
use super::requirement::Signature;

/// Where an agent stands as far as the ACD is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "presence", rename_all = "snake_case")]
pub enum Presence {
    /// Not taking contacts.
    Away,
    /// Free since the given time.
    Idle {
        /// Since when.
        since: DateTime<Utc>,
    },
    /// Holding an offer.
    Reserved {
        /// The offered contact.
        contact: ContactId,
    },
    /// Handling a contact.
    Busy,
}

/// An agent in the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentEntry {
    /// Skills, queues, languages (shared with the idle index, which reads it on every
    /// arrival without a lookup).
    pub profile: Arc<AgentProfile>,
    /// ACD presence.
    pub presence: Presence,
    /// Contacts accepted since the last daily reset.
    pub handled_today: u32,
}

/// A contact in the engine, waiting or offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactEntry {
    /// What it asked for.
    pub request: ContactRequest,
    /// The queue it is in now (may differ from the request's after overflow).
    pub queue: QueueId,
    /// First arrival; drives first-come-first-served order and aging.
    pub arrived_at: DateTime<Utc>,
    /// Entry into the current queue; drives relaxation, stickiness and maximum wait.
    pub entered_at: DateTime<Utc>,
    /// Arrival sequence number, the tie-breaker for equal times.
    pub seq: u64,
    /// Agents who declined it, and until when they are not offered it again.
    pub declined: Vec<(AgentId, DateTime<Utc>)>,
    /// The agent it is offered to, if any.
    pub offered_to: Option<AgentId>,
    /// The overflow action already fired for this contact in this queue.
    pub overflowed: bool,
}

/// The engine's state as plain data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcdState {
    /// Queues by id.
    pub queues: BTreeMap<QueueId, QueueConfig>,
    /// Agents by id.
    pub agents: BTreeMap<AgentId, AgentEntry>,
    /// Contacts by id.
    pub contacts: BTreeMap<ContactId, ContactEntry>,
    /// Next arrival sequence number.
    pub next_seq: u64,
    /// The agent each queue offered to last (round robin).
    pub last_served: BTreeMap<QueueId, AgentId>,
    /// When the last tick ran; the next one re-serves only queues where something changed
    /// since then.
    pub last_tick: Option<DateTime<Utc>>,
    /// Queues whose configuration or agents changed since the last tick; the next tick
    /// re-serves their idle agents.
    pub dirty_queues: BTreeSet<QueueId>,
}

/// A contact's place in a queue: higher rank first, then earlier arrival.
pub type Place = (Reverse<i64>, u64, ContactId);

/// What the arrival decision needs of a free agent, kept in the idle index.
#[derive(Debug, Clone)]
pub struct IdleAgent {
    /// The agent's profile.
    pub profile: Arc<AgentProfile>,
    /// Contacts accepted today (unchanged while idle).
    pub handled_today: u32,
}

/// Derived per-queue index.
#[derive(Debug, Default)]
pub struct QueueIndex {
    /// Waiting contacts per signature, best first.
    pub groups: BTreeMap<Signature, BTreeSet<Place>>,
    /// Waiting contacts by entry time into the queue.
    pub by_entry: BTreeSet<(i64, u64, ContactId)>,
    /// Free agents serving the queue, longest idle first, with what selection reads.
    pub idle: BTreeMap<(i64, AgentId), IdleAgent>,
    /// The same free agents once per skill they have, by skill, level and idle time: an
    /// arrival needing a skill at a level looks only at agents who have it.
    pub idle_by_skill: BTreeMap<(Uuid, u8, i64, AgentId), IdleAgent>,
    /// Waiting contacts per priority (index 0 = priority 1).
    pub per_priority: [u32; 10],
    /// Agents serving the queue.
    pub agents: BTreeSet<AgentId>,
}

impl QueueIndex {
    /// Waiting contacts (not counting offered ones).
    pub fn waiting(&self) -> usize {
        self.by_entry.len()
    }
}

/// The rank that orders a queue: priority in millionths of a level minus the aging credit
/// of the arrival time. Effective priority now is `rank + aging_credit(now)`, so the order
/// of a queue never changes with time and needs no re-sorting.
pub fn rank(config: &QueueConfig, priority: u8, arrived_at: DateTime<Utc>) -> i64 {
    i64::from(priority) * 1_000_000 - aging_credit(config, arrived_at)
}

/// Aging credit of an instant in millionths of a level.
pub fn aging_credit(config: &QueueConfig, at: DateTime<Utc>) -> i64 {
    match config.aging_secs_per_level {
        Some(secs) if secs > 0 => at.timestamp_millis().saturating_mul(1000) / i64::from(secs),
        _ => 0,
    }
}

/// All indexes.
#[derive(Debug, Default)]
pub struct Indexes {
    /// Per queue.
    pub queues: BTreeMap<QueueId, QueueIndex>,
    /// When reoffer blocks end, so a tick knows which contacts became offerable again.
    pub unblocks: BTreeSet<(i64, ContactId)>,
}

impl Indexes {
    /// Builds the indexes of a state.
    pub fn build(state: &AcdState) -> Self {
        let mut index = Self::default();
        for id in state.queues.keys() {
            index.queues.insert(*id, QueueIndex::default());
        }
        for agent in state.agents.values() {
            index.add_agent(agent);
        }
        for contact in state.contacts.values() {
            let last_tick = state.last_tick.map_or(i64::MIN, |t| t.timestamp_millis());
            for (_, until) in &contact.declined {
                if until.timestamp_millis() > last_tick {
                    index
                        .unblocks
                        .insert((until.timestamp_millis(), contact.request.id));
                }
            }
            if contact.offered_to.is_none()
                && let Some(config) = state.queues.get(&contact.queue)
            {
                index.insert_contact(config, contact);
            }
        }
        index
    }

    /// Registers an agent with its queues (and as idle when it is).
    pub fn add_agent(&mut self, agent: &AgentEntry) {
        for q in &agent.profile.queues {
            if let Some(queue) = self.queues.get_mut(q) {
                queue.agents.insert(agent.profile.id);
                if let Presence::Idle { since } = agent.presence {
                    let entry = IdleAgent {
                        profile: Arc::clone(&agent.profile),
                        handled_today: agent.handled_today,
                    };
                    let (since, id) = (since.timestamp_millis(), agent.profile.id);
                    for s in &agent.profile.skills {
                        queue
                            .idle_by_skill
                            .insert((s.skill, s.level, since, id), entry.clone());
                    }
                    queue.idle.insert((since, id), entry);
                }
            }
        }
    }

    /// Removes an agent from its queues.
    pub fn remove_agent(&mut self, agent: &AgentEntry) {
        for q in &agent.profile.queues {
            if let Some(queue) = self.queues.get_mut(q) {
                queue.agents.remove(&agent.profile.id);
                if let Presence::Idle { since } = agent.presence {
                    let (since, id) = (since.timestamp_millis(), agent.profile.id);
                    for s in &agent.profile.skills {
                        queue.idle_by_skill.remove(&(s.skill, s.level, since, id));
                    }
                    queue.idle.remove(&(since, id));
                }
            }
        }
    }

    /// Puts a waiting contact in its queue's index.
    pub fn insert_contact(&mut self, config: &QueueConfig, contact: &ContactEntry) {
        let Some(queue) = self.queues.get_mut(&contact.queue) else {
            return;
        };
        let r = &contact.request;
        let place = (
            Reverse(rank(config, r.priority, contact.arrived_at)),
            contact.seq,
            r.id,
        );
        let sig = Signature::new(&r.skills, r.language.as_deref());
        queue.groups.entry(sig).or_default().insert(place);
        queue
            .by_entry
            .insert((contact.entered_at.timestamp_millis(), contact.seq, r.id));
        if let Some(n) = queue
            .per_priority
            .get_mut(usize::from(r.priority.saturating_sub(1)))
        {
            *n += 1;
        }
    }

    /// Takes a waiting contact out of its queue's index.
    pub fn remove_contact(&mut self, config: &QueueConfig, contact: &ContactEntry) {
        let Some(queue) = self.queues.get_mut(&contact.queue) else {
            return;
        };
        let r = &contact.request;
        let place = (
            Reverse(rank(config, r.priority, contact.arrived_at)),
            contact.seq,
            r.id,
        );
        let sig = Signature::new(&r.skills, r.language.as_deref());
        if let Some(group) = queue.groups.get_mut(&sig) {
            group.remove(&place);
            if group.is_empty() {
                queue.groups.remove(&sig);
            }
        }
        if queue
            .by_entry
            .remove(&(contact.entered_at.timestamp_millis(), contact.seq, r.id))
            && let Some(n) = queue
                .per_priority
                .get_mut(usize::from(r.priority.saturating_sub(1)))
        {
            *n = n.saturating_sub(1);
        }
    }
}
