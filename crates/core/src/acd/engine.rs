//! The ACD engine: applies commands to its state and answers decisions. Every change goes
//! through [`AcdEngine::apply`], so the log of accepted commands rebuilds the same engine.

use std::sync::Arc;

use cc_types::agents::MAX_SKILL_LEVEL;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::model::{
    AcdCommand, AcdError, AgentId, AgentProfile, ContactId, ContactRequest, Decision, QueueConfig,
    Rule, Why,
};
use super::pick::best_agent_for;
use super::select::best_contact_for;
use super::state::{AcdState, AgentEntry, ContactEntry, Indexes, Presence};

/// The ACD: queues, agents and waiting contacts, with indexes for fast decisions.
///
/// ```
/// use cc_core::acd::*;
/// use chrono::{TimeZone, Utc};
/// use uuid::Uuid;
/// let now = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
/// let queue = QueueId(Uuid::from_u128(1));
/// let agent = AgentId(Uuid::from_u128(2));
/// let mut acd = AcdEngine::new();
/// acd.apply(AcdCommand::UpsertQueue { config: QueueConfig::new(queue, SelectionPolicy::LongestIdle) }).unwrap();
/// let profile = AgentProfile { id: agent, skills: vec![], queues: vec![queue], languages: vec![] };
/// acd.apply(AcdCommand::UpsertAgent { profile }).unwrap();
/// acd.apply(AcdCommand::AgentAvailable { agent, at: now }).unwrap();
/// let contact = ContactRequest { id: ContactId(Uuid::from_u128(3)), queue, priority: 5, skills: vec![],
///     preferred_agent: None, language: None, callback: false };
/// let decisions = acd.apply(AcdCommand::ContactArrived { contact, at: now }).unwrap();
/// assert!(matches!(decisions[0], Decision::Offer { agent: a, .. } if a == agent));
/// ```
#[derive(Debug, Default)]
pub struct AcdEngine {
    pub(super) state: AcdState,
    pub(super) index: Indexes,
}

impl PartialEq for AcdEngine {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state
    }
}

impl Serialize for AcdEngine {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.state.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for AcdEngine {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        AcdState::deserialize(deserializer).map(Self::from_state)
    }
}

/// How many queue-to-queue overflows one decision may chain before the contact stays put.
pub(super) const MAX_OVERFLOW_HOPS: usize = 8;

impl AcdEngine {
    /// An empty engine.
    pub fn new() -> Self {
        Self::default()
    }

    /// An engine restored from its plain-data state (indexes are rebuilt).
    pub fn from_state(state: AcdState) -> Self {
        let index = Indexes::build(&state);
        Self { state, index }
    }

    /// Rebuilds an engine by replaying a log of accepted commands.
    pub fn replay(log: impl IntoIterator<Item = AcdCommand>) -> Result<Self, AcdError> {
        let mut engine = Self::new();
        for command in log {
            engine.apply(command)?;
        }
        Ok(engine)
    }

    /// The plain-data state.
    pub fn state(&self) -> &AcdState {
        &self.state
    }

    pub(super) fn index(&self) -> &Indexes {
        &self.index
    }

    /// Applies one command; on error nothing changed.
    pub fn apply(&mut self, command: AcdCommand) -> Result<Vec<Decision>, AcdError> {
        match command {
            AcdCommand::UpsertQueue { config } => self.upsert_queue(config),
            AcdCommand::UpsertAgent { profile } => self.upsert_agent(profile),
            AcdCommand::AgentAvailable { agent, at } => self.agent_available(agent, at),
            AcdCommand::AgentUnavailable { agent, at } => self.agent_unavailable(agent, at),
            AcdCommand::ContactArrived { contact, at } => self.contact_arrived(contact, at),
            AcdCommand::OfferAccepted { contact, .. } => self.offer_accepted(contact),
            AcdCommand::OfferDeclined { contact, at } => self.offer_declined(contact, at),
            AcdCommand::ContactAbandoned { contact, .. } => self.contact_abandoned(contact),
            AcdCommand::CallbackAccepted { contact } => self.callback_accepted(contact),
            AcdCommand::Tick { at } => Ok(self.tick(at)),
            AcdCommand::ResetDailyCounters => {
                self.state
                    .agents
                    .values_mut()
                    .for_each(|a| a.handled_today = 0);
                Ok(Vec::new())
            }
        }
    }

    fn upsert_queue(&mut self, config: QueueConfig) -> Result<Vec<Decision>, AcdError> {
        if config
            .relaxation
            .windows(2)
            .any(|w| matches!(w, [a, b] if a.after_secs > b.after_secs))
        {
            return Err(AcdError::UnorderedRelaxation(config.id));
        }
        self.state.dirty_queues.insert(config.id);
        self.state.queues.insert(config.id, config);
        self.index = Indexes::build(&self.state);
        Ok(Vec::new())
    }

    fn upsert_agent(&mut self, profile: AgentProfile) -> Result<Vec<Decision>, AcdError> {
        if let Some(bad) = profile
            .skills
            .iter()
            .find(|s| !(1..=MAX_SKILL_LEVEL).contains(&s.level))
        {
            return Err(AcdError::InvalidLevel(bad.level));
        }
        let entry = match self.state.agents.remove(&profile.id) {
            Some(old) => {
                self.index.remove_agent(&old);
                AgentEntry {
                    profile: Arc::new(profile),
                    ..old
                }
            }
            None => AgentEntry {
                profile: Arc::new(profile),
                presence: Presence::Away,
                handled_today: 0,
            },
        };
        self.index.add_agent(&entry);
        if matches!(entry.presence, Presence::Idle { .. }) {
            self.state
                .dirty_queues
                .extend(entry.profile.queues.iter().copied());
        }
        self.state.agents.insert(entry.profile.id, entry);
        Ok(Vec::new())
    }

    pub(super) fn set_presence(&mut self, agent: AgentId, presence: Presence) {
        if let Some(entry) = self.state.agents.get_mut(&agent) {
            self.index.remove_agent(entry);
            entry.presence = presence;
            self.index.add_agent(entry);
        }
    }

    fn agent_available(
        &mut self,
        agent: AgentId,
        at: DateTime<Utc>,
    ) -> Result<Vec<Decision>, AcdError> {
        let entry = self
            .state
            .agents
            .get(&agent)
            .ok_or(AcdError::UnknownAgent(agent))?;
        match entry.presence {
            Presence::Reserved { .. } => return Err(AcdError::AgentHoldsOffer(agent)),
            Presence::Idle { .. } => {}
            Presence::Away | Presence::Busy => {
                self.set_presence(agent, Presence::Idle { since: at })
            }
        }
        Ok(vec![self.serve_agent(agent, at)])
    }

    /// Offers the best waiting contact to an idle agent, or says why not.
    pub(super) fn serve_agent(&mut self, agent: AgentId, at: DateTime<Utc>) -> Decision {
        let pick = self
            .state
            .agents
            .get(&agent)
            .and_then(|entry| best_contact_for(&self.state, &self.index, entry, at));
        match pick {
            Some(pick) => {
                self.take_out_of_queue(pick.contact);
                let why = Why {
                    rule: Rule::HighestEffectivePriority {
                        effective_micro: pick.effective,
                    },
                    relaxation_step: pick.step,
                };
                self.offer(pick.contact, agent, pick.queue, why)
            }
            None => Decision::AgentIdle {
                agent,
                why: Why {
                    rule: Rule::NothingToOffer,
                    relaxation_step: 0,
                },
            },
        }
    }

    fn agent_unavailable(
        &mut self,
        agent: AgentId,
        at: DateTime<Utc>,
    ) -> Result<Vec<Decision>, AcdError> {
        let entry = self
            .state
            .agents
            .get(&agent)
            .ok_or(AcdError::UnknownAgent(agent))?;
        let held = match entry.presence {
            Presence::Reserved { contact } => Some(contact),
            _ => None,
        };
        self.set_presence(agent, Presence::Away);
        match held {
            Some(contact) => Ok(self.return_to_queue(contact, at)),
            None => Ok(Vec::new()),
        }
    }

    fn contact_arrived(
        &mut self,
        request: ContactRequest,
        at: DateTime<Utc>,
    ) -> Result<Vec<Decision>, AcdError> {
        if !(1..=10).contains(&request.priority) {
            return Err(AcdError::InvalidPriority(request.priority));
        }
        if let Some(bad) = request
            .skills
            .iter()
            .find(|s| !(1..=MAX_SKILL_LEVEL).contains(&s.min_level))
        {
            return Err(AcdError::InvalidLevel(bad.min_level));
        }
        if !self.state.queues.contains_key(&request.queue) {
            return Err(AcdError::UnknownQueue(request.queue));
        }
        if self.state.contacts.contains_key(&request.id) {
            return Err(AcdError::DuplicateContact(request.id));
        }
        let id = request.id;
        let seq = self.state.next_seq;
        self.state.next_seq += 1;
        let entry = ContactEntry {
            queue: request.queue,
            request,
            arrived_at: at,
            entered_at: at,
            seq,
            declined: Vec::new(),
            offered_to: None,
            overflowed: false,
        };
        self.state.contacts.insert(id, entry);
        Ok(self.place(id, at, 0))
    }

    /// Places a contact that is in no index: offer it, queue it, or overflow it.
    pub(super) fn place(&mut self, id: ContactId, at: DateTime<Utc>, hops: usize) -> Vec<Decision> {
        let Some(contact) = self.state.contacts.get(&id) else {
            return Vec::new();
        };
        let queue = contact.queue;
        let full = self
            .state
            .queues
            .get(&queue)
            .and_then(|c| c.max_size)
            .is_some_and(|max| {
                self.index
                    .queues
                    .get(&queue)
                    .is_some_and(|q| q.waiting() >= max as usize)
            });
        if full && hops < MAX_OVERFLOW_HOPS {
            return self.overflow(id, at, Rule::QueueFull, hops);
        }
        match best_agent_for(&self.state, &self.index, contact, at) {
            Ok(pick) => {
                let why = Why {
                    rule: pick.rule,
                    relaxation_step: pick.step,
                };
                vec![self.offer(id, pick.agent, queue, why)]
            }
            Err(rule) => {
                self.put_in_queue(id);
                vec![Decision::Enqueued {
                    contact: id,
                    queue,
                    why: Why {
                        rule,
                        relaxation_step: 0,
                    },
                }]
            }
        }
    }

    pub(super) fn put_in_queue(&mut self, id: ContactId) {
        if let Some(contact) = self.state.contacts.get(&id)
            && let Some(config) = self.state.queues.get(&contact.queue)
        {
            self.index.insert_contact(config, contact);
        }
    }

    pub(super) fn take_out_of_queue(&mut self, id: ContactId) {
        if let Some(contact) = self.state.contacts.get(&id)
            && let Some(config) = self.state.queues.get(&contact.queue)
        {
            self.index.remove_contact(config, contact);
        }
    }

    pub(super) fn state_mut(&mut self) -> &mut AcdState {
        &mut self.state
    }
}
