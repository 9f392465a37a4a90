//! The two questions the ACD answers: which free agent gets an arriving contact, and which
//! waiting contact a newly free agent gets. Both walk indexes, never the whole state.

use chrono::{DateTime, Utc};

use super::model::AgentProfile;
use super::model::{AgentId, ContactId, QueueId, Rule, SelectionPolicy};
use super::requirement::{
    Signature, first_qualifying_step, qualifies, skill_score, steps_in_force, wait_for_step_ms,
};
use super::state::{
    AcdState, AgentEntry, ContactEntry, IdleAgent, Indexes, Presence, aging_credit,
};

/// A chosen agent with the rule that chose them and the relaxation steps in force.
pub struct AgentPick {
    /// The agent.
    pub agent: AgentId,
    /// Why.
    pub rule: Rule,
    /// Steps in force for the contact.
    pub step: usize,
}

/// A chosen contact.
pub struct ContactPick {
    /// The contact.
    pub contact: ContactId,
    /// Its queue.
    pub queue: QueueId,
    /// Effective priority in millionths of a level.
    pub effective: i64,
    /// Steps in force for it.
    pub step: usize,
}

fn declined_by(contact: &ContactEntry, agent: AgentId, at: DateTime<Utc>) -> bool {
    contact
        .declined
        .iter()
        .any(|(a, until)| *a == agent && *until > at)
}

/// The free agent an arriving (or returned) contact should be offered to, if any.
pub fn best_agent_for(
    state: &AcdState,
    index: &Indexes,
    contact: &ContactEntry,
    at: DateTime<Utc>,
) -> Result<AgentPick, Rule> {
    let (Some(config), Some(queue)) = (
        state.queues.get(&contact.queue),
        index.queues.get(&contact.queue),
    ) else {
        return Err(Rule::NoQualifiedAgent);
    };
    let steps = &config.relaxation;
    let waited = (at - contact.entered_at).num_milliseconds();
    let step = steps_in_force(steps, waited);
    let need = Signature::new(&contact.request.skills, contact.request.language.as_deref());
    let usable = |id: AgentId, profile: &AgentProfile| {
        qualifies(profile, &need, steps, step) && !declined_by(contact, id, at)
    };
    if let Some(preferred) = contact.request.preferred_agent {
        let idle = state.agents.get(&preferred).and_then(|a| match a.presence {
            Presence::Idle { since } => queue.idle.get(&(since.timestamp_millis(), preferred)),
            _ => None,
        });
        if idle.is_some_and(|a| usable(preferred, &a.profile)) {
            return Ok(AgentPick {
                agent: preferred,
                rule: Rule::PreferredAgent,
                step,
            });
        }
        if waited < i64::from(config.sticky_wait_secs) * 1000 {
            return Err(Rule::WaitingForPreferredAgent);
        }
    }
    let mut best: Option<(AgentId, &IdleAgent, u32)> = None;
    let mut considered = 0;
    let last = state.last_served.get(&contact.queue).copied();
    for ((_, id), agent) in &queue.idle {
        considered += 1;
        if !usable(*id, &agent.profile) {
            continue;
        }
        let score = skill_score(&agent.profile, &need);
        let better = match (config.policy, best) {
            (_, None) => true,
            (SelectionPolicy::LongestIdle, Some(_)) => false,
            (SelectionPolicy::MostSkilled, Some((_, _, s))) => score > s,
            (SelectionPolicy::LeastBusyToday, Some((_, b, _))) => {
                agent.handled_today < b.handled_today
            }
            (SelectionPolicy::RoundRobin, Some((b, _, s))) => {
                score > s || (score == s && round_robin_before(*id, b, last))
            }
        };
        if better {
            best = Some((*id, agent, score));
        }
        if config.policy == SelectionPolicy::LongestIdle {
            break;
        }
    }
    let policy = config.policy;
    best.map(|(agent, _, _)| AgentPick {
        agent,
        rule: Rule::SelectionPolicy { policy, considered },
        step,
    })
    .ok_or(Rule::NoQualifiedAgent)
}

/// In cyclic id order starting after `last`, does `a` come before `b`?
fn round_robin_before(a: AgentId, b: AgentId, last: Option<AgentId>) -> bool {
    let after = |x: AgentId| last.is_none_or(|l| x > l);
    match (after(a), after(b)) {
        (true, false) => true,
        (false, true) => false,
        _ => a < b,
    }
}

/// The waiting contact a free agent should be offered: the highest effective priority
/// among those the agent qualifies for at their relaxation step, first come first served.
pub fn best_contact_for(
    state: &AcdState,
    index: &Indexes,
    agent: &AgentEntry,
    at: DateTime<Utc>,
) -> Option<ContactPick> {
    let at_ms = at.timestamp_millis();
    let mut best: Option<(ContactPick, i64, u64)> = None;
    for queue_id in &agent.profile.queues {
        let (Some(config), Some(queue)) = (state.queues.get(queue_id), index.queues.get(queue_id))
        else {
            continue;
        };
        let credit = aging_credit(config, at);
        let steps = &config.relaxation;
        let sticky_ms = i64::from(config.sticky_wait_secs) * 1000;
        for (need, group) in &queue.groups {
            let Some(k) = first_qualifying_step(&agent.profile, need, steps) else {
                continue;
            };
            let cutoff = at_ms - wait_for_step_ms(steps, k);
            for (rank, seq, id) in group {
                let effective = rank.0 + credit;
                if best
                    .as_ref()
                    .is_some_and(|(b, _, _)| effective < b.effective)
                {
                    break;
                }
                let Some(contact) = state.contacts.get(id) else {
                    continue;
                };
                let entered = contact.entered_at.timestamp_millis();
                let sticky_other = contact
                    .request
                    .preferred_agent
                    .is_some_and(|p| p != agent.profile.id)
                    && at_ms - entered < sticky_ms;
                if entered > cutoff || sticky_other || declined_by(contact, agent.profile.id, at) {
                    continue;
                }
                let arrived = contact.arrived_at.timestamp_millis();
                let wins = best.as_ref().is_none_or(|(b, b_arrived, b_seq)| {
                    (effective, -arrived, std::cmp::Reverse(*seq))
                        > (b.effective, -*b_arrived, std::cmp::Reverse(*b_seq))
                });
                if wins {
                    let step = steps_in_force(steps, at_ms - entered);
                    best = Some((
                        ContactPick {
                            contact: *id,
                            queue: *queue_id,
                            effective,
                            step,
                        },
                        arrived,
                        *seq,
                    ));
                }
                break;
            }
        }
    }
    best.map(|(pick, _, _)| pick)
}
