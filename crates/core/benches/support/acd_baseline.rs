//! The baseline the ACD bench compares against: the straightforward design that keeps
//! agents and contacts in plain lists and scans all of them for every decision, applying
//! the same qualification, relaxation, aging and policy rules as the engine.

use std::collections::BTreeMap;

use cc_core::acd::{
    AcdCommand, AgentId, AgentProfile, ContactId, ContactRequest, Decision, QueueConfig, QueueId,
    Rule, SelectionPolicy, Signature, Why, qualifies, steps_in_force,
};
use chrono::{DateTime, Utc};

use super::Acd;

struct Agent {
    profile: AgentProfile,
    idle_since: Option<DateTime<Utc>>,
    reserved: Option<ContactId>,
    handled: u32,
}

struct Contact {
    request: ContactRequest,
    arrived: DateTime<Utc>,
    offered: bool,
}

#[derive(Default)]
pub struct ScanAcd {
    queues: BTreeMap<QueueId, QueueConfig>,
    agents: Vec<Agent>,
    contacts: Vec<Contact>,
}

fn why(rule: Rule) -> Why {
    Why {
        rule,
        relaxation_step: 0,
    }
}

impl ScanAcd {
    fn agent_index(&self, id: AgentId) -> Option<usize> {
        self.agents.iter().position(|a| a.profile.id == id)
    }

    fn contact_index(&self, id: ContactId) -> Option<usize> {
        self.contacts.iter().position(|c| c.request.id == id)
    }

    fn offer(&mut self, contact: usize, agent: usize, rule: Rule) -> Decision {
        self.contacts[contact].offered = true;
        self.agents[agent].reserved = Some(self.contacts[contact].request.id);
        self.agents[agent].idle_since = None;
        let c = &self.contacts[contact].request;
        Decision::Offer {
            contact: c.id,
            agent: self.agents[agent].profile.id,
            queue: c.queue,
            callback: c.callback,
            why: why(rule),
        }
    }

    fn arrive(&mut self, request: ContactRequest, at: DateTime<Utc>) -> Decision {
        let Some(config) = self.queues.get(&request.queue) else {
            return Decision::AgentIdle {
                agent: AgentId(uuid::Uuid::nil()),
                why: why(Rule::NoQualifiedAgent),
            };
        };
        let need = Signature::new(&request.skills, request.language.as_deref());
        let step = steps_in_force(&config.relaxation, 0);
        let mut best: Option<(usize, (u32, i64))> = None;
        for (i, a) in self.agents.iter().enumerate() {
            let Some(since) = a.idle_since else { continue };
            if !a.profile.queues.contains(&request.queue)
                || !qualifies(&a.profile, &need, &config.relaxation, step)
            {
                continue;
            }
            let score: u32 = need
                .skills
                .iter()
                .map(|r| u32::from(a.profile.level(r.skill)))
                .sum();
            let key = match config.policy {
                SelectionPolicy::LongestIdle => (0, -since.timestamp_millis()),
                SelectionPolicy::MostSkilled | SelectionPolicy::RoundRobin => {
                    (score, -since.timestamp_millis())
                }
                SelectionPolicy::LeastBusyToday => {
                    (u32::MAX - a.handled, -since.timestamp_millis())
                }
            };
            if best.is_none_or(|(_, b)| key > b) {
                best = Some((i, key));
            }
        }
        self.contacts.push(Contact {
            request,
            arrived: at,
            offered: false,
        });
        let last = self.contacts.len() - 1;
        match best {
            Some((agent, _)) => self.offer(last, agent, Rule::NoQualifiedAgent),
            None => Decision::Enqueued {
                contact: self.contacts[last].request.id,
                queue: self.contacts[last].request.queue,
                why: why(Rule::NoQualifiedAgent),
            },
        }
    }

    fn available(&mut self, agent: usize, at: DateTime<Utc>) -> Decision {
        if self.agents[agent].idle_since.is_none() {
            self.agents[agent].idle_since = Some(at);
        }
        let profile = &self.agents[agent].profile;
        let mut best: Option<(usize, (i64, i64))> = None;
        for (i, c) in self.contacts.iter().enumerate() {
            if c.offered || !profile.queues.contains(&c.request.queue) {
                continue;
            }
            let Some(config) = self.queues.get(&c.request.queue) else {
                continue;
            };
            let waited = (at - c.arrived).num_milliseconds();
            let need = Signature::new(&c.request.skills, c.request.language.as_deref());
            if !qualifies(
                profile,
                &need,
                &config.relaxation,
                steps_in_force(&config.relaxation, waited),
            ) {
                continue;
            }
            let aging = config
                .aging_secs_per_level
                .map_or(0, |s| waited * 1000 / i64::from(s));
            let key = (
                i64::from(c.request.priority) * 1_000_000 + aging,
                -c.arrived.timestamp_millis(),
            );
            if best.is_none_or(|(_, b)| key > b) {
                best = Some((i, key));
            }
        }
        match best {
            Some((contact, _)) => self.offer(contact, agent, Rule::NothingToOffer),
            None => Decision::AgentIdle {
                agent: self.agents[agent].profile.id,
                why: why(Rule::NothingToOffer),
            },
        }
    }
}

impl Acd for ScanAcd {
    fn apply(&mut self, command: AcdCommand) -> Vec<Decision> {
        match command {
            AcdCommand::UpsertQueue { config } => {
                self.queues.insert(config.id, config);
                vec![]
            }
            AcdCommand::UpsertAgent { profile } => {
                self.agents.push(Agent {
                    profile,
                    idle_since: None,
                    reserved: None,
                    handled: 0,
                });
                vec![]
            }
            AcdCommand::ContactArrived { contact, at } => vec![self.arrive(contact, at)],
            AcdCommand::AgentAvailable { agent, at } => match self.agent_index(agent) {
                Some(i) if self.agents[i].reserved.is_none() => vec![self.available(i, at)],
                _ => vec![],
            },
            AcdCommand::OfferAccepted { contact, .. } => {
                if let Some(i) = self.contact_index(contact) {
                    self.contacts.swap_remove(i);
                }
                if let Some(a) = self.agents.iter_mut().find(|a| a.reserved == Some(contact)) {
                    a.reserved = None;
                    a.handled += 1;
                }
                vec![]
            }
            _ => vec![],
        }
    }

    fn reserved(&self, agent: AgentId) -> Option<ContactId> {
        self.agent_index(agent)
            .and_then(|i| self.agents[i].reserved)
    }
}
