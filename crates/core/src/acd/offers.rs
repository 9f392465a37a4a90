//! The life of an offer: a reservation made, accepted, declined or timed out (the contact
//! goes back to its original place and the agent is kept from it for a while), abandoned
//! by the caller, or turned into a callback; and re-serving idle agents after a tick.

use chrono::{DateTime, TimeDelta, Utc};

use super::engine::{AcdEngine, MAX_OVERFLOW_HOPS};
use super::model::{AcdError, AgentId, ContactId, Decision, QueueId, Why};
use super::state::Presence;

impl AcdEngine {
    /// Reserves the agent for the contact.
    pub(super) fn offer(
        &mut self,
        contact: ContactId,
        agent: AgentId,
        queue: QueueId,
        why: Why,
    ) -> Decision {
        self.set_presence(agent, Presence::Reserved { contact });
        let mut callback = false;
        if let Some(entry) = self.state.contacts.get_mut(&contact) {
            entry.offered_to = Some(agent);
            callback = entry.request.callback;
        }
        self.state.last_served.insert(queue, agent);
        Decision::Offer {
            contact,
            agent,
            queue,
            callback,
            why,
        }
    }

    pub(super) fn offered(&self, contact: ContactId) -> Result<AgentId, AcdError> {
        let entry = self
            .state
            .contacts
            .get(&contact)
            .ok_or(AcdError::UnknownContact(contact))?;
        entry.offered_to.ok_or(AcdError::NotOffered(contact))
    }

    pub(super) fn offer_accepted(&mut self, contact: ContactId) -> Result<Vec<Decision>, AcdError> {
        let agent = self.offered(contact)?;
        self.state.contacts.remove(&contact);
        self.set_presence(agent, Presence::Busy);
        if let Some(entry) = self.state.agents.get_mut(&agent) {
            entry.handled_today += 1;
        }
        Ok(Vec::new())
    }

    pub(super) fn offer_declined(
        &mut self,
        contact: ContactId,
        at: DateTime<Utc>,
    ) -> Result<Vec<Decision>, AcdError> {
        let agent = self.offered(contact)?;
        let block = self
            .state
            .contacts
            .get(&contact)
            .and_then(|c| self.state.queues.get(&c.queue));
        let until = at + TimeDelta::seconds(block.map_or(0, |q| i64::from(q.reoffer_block_secs)));
        if let Some(entry) = self.state.contacts.get_mut(&contact) {
            entry.declined.retain(|(a, u)| *a != agent && *u > at);
            entry.declined.push((agent, until));
        }
        self.index
            .unblocks
            .insert((until.timestamp_millis(), contact));
        self.set_presence(agent, Presence::Away);
        Ok(self.return_to_queue(contact, at))
    }

    /// An offered contact goes back to its original place and is matched again.
    pub(super) fn return_to_queue(
        &mut self,
        contact: ContactId,
        at: DateTime<Utc>,
    ) -> Vec<Decision> {
        if let Some(entry) = self.state.contacts.get_mut(&contact) {
            entry.offered_to = None;
        }
        self.place(contact, at, MAX_OVERFLOW_HOPS)
    }

    pub(super) fn contact_abandoned(
        &mut self,
        contact: ContactId,
    ) -> Result<Vec<Decision>, AcdError> {
        let entry = self
            .state
            .contacts
            .get(&contact)
            .ok_or(AcdError::UnknownContact(contact))?;
        match entry.offered_to {
            Some(agent) => self.set_presence(agent, Presence::Away),
            None => self.take_out_of_queue(contact),
        }
        self.state.contacts.remove(&contact);
        Ok(Vec::new())
    }

    pub(super) fn callback_accepted(
        &mut self,
        contact: ContactId,
    ) -> Result<Vec<Decision>, AcdError> {
        let entry = self
            .state
            .contacts
            .get_mut(&contact)
            .ok_or(AcdError::UnknownContact(contact))?;
        entry.request.callback = true;
        Ok(Vec::new())
    }

    /// Agents idle now, longest idle first.
    pub(super) fn idle_agents(&self) -> Vec<AgentId> {
        let mut idle: Vec<_> = self
            .state
            .agents
            .values()
            .filter_map(|a| match a.presence {
                Presence::Idle { since } => Some((since, a.profile.id)),
                _ => None,
            })
            .collect();
        idle.sort();
        idle.into_iter().map(|(_, id)| id).collect()
    }

    pub(super) fn serve_idle_agent(
        &mut self,
        agent: AgentId,
        at: DateTime<Utc>,
    ) -> Option<Decision> {
        let idle = self
            .state
            .agents
            .get(&agent)
            .is_some_and(|a| matches!(a.presence, Presence::Idle { .. }));
        if !idle {
            return None;
        }
        match self.serve_agent(agent, at) {
            offer @ Decision::Offer { .. } => Some(offer),
            _ => None,
        }
    }
}
