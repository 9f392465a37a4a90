//! Which waiting contact a newly free agent gets (the other question, which free agent gets
//! an arriving contact, is `pick`). Both walk indexes, never the whole state.

use chrono::{DateTime, Utc};

use super::model::{AgentId, ContactId, QueueId, Rule};
use super::requirement::{first_qualifying_step, steps_in_force, wait_for_step_ms};
use super::state::{AcdState, AgentEntry, ContactEntry, Indexes, aging_credit};

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

/// Did the agent decline the contact recently enough to be kept from it?
pub fn declined_by(contact: &ContactEntry, agent: AgentId, at: DateTime<Utc>) -> bool {
    contact
        .declined
        .iter()
        .any(|(a, until)| *a == agent && *until > at)
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
