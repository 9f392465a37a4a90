//! Which free agent gets an arriving (or returned) contact: the preferred agent if free,
//! else the queue's selection policy over the free agents who qualify. When the contact
//! needs a skill, only free agents with that skill at the level in force are examined.

use cc_types::agents::MAX_SKILL_LEVEL;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::model::{AgentId, AgentProfile, Relax, RelaxStep, Rule, SelectionPolicy};
use super::requirement::{Signature, qualifies, skill_score, steps_in_force};
use super::select::{AgentPick, declined_by};
use super::state::{AcdState, ContactEntry, IdleAgent, Indexes, Presence, QueueIndex};

/// The required skill and level that narrow the search, unless relaxation in force accepts
/// alternative skills or lowers a level to nothing (then every free agent is examined).
fn narrowing(need: &Signature, steps: &[RelaxStep], in_force: usize) -> Option<(Uuid, u8)> {
    let active = steps.get(..in_force).unwrap_or(steps);
    if active
        .iter()
        .any(|s| matches!(s.relax, Relax::AlternativeSkills { .. }))
    {
        return None;
    }
    let cap = active.iter().filter_map(|s| match s.relax {
        Relax::MinLevel { level } => Some(level),
        _ => None,
    });
    let cap = cap.min().unwrap_or(u8::MAX);
    let (skill, level) = need
        .skills
        .iter()
        .map(|r| (r.skill, r.min_level.min(cap)))
        .max_by_key(|(_, l)| *l)?;
    (level > 0).then_some((skill, level))
}

/// Smaller is better: the policy's order, ties to the longest idle.
fn policy_key(
    policy: SelectionPolicy,
    since: i64,
    id: AgentId,
    agent: &IdleAgent,
    score: u32,
    last: Option<AgentId>,
) -> (i64, i64, AgentId) {
    let score = -i64::from(score);
    match policy {
        SelectionPolicy::LongestIdle => (since, 0, id),
        SelectionPolicy::MostSkilled => (score, since, id),
        SelectionPolicy::LeastBusyToday => (i64::from(agent.handled_today), since, id),
        SelectionPolicy::RoundRobin => (score, i64::from(last.is_some_and(|l| id <= l)), id),
    }
}

struct Best<'a> {
    policy: SelectionPolicy,
    last: Option<AgentId>,
    need: &'a Signature,
    best: Option<((i64, i64, AgentId), AgentId)>,
    considered: usize,
}

impl Best<'_> {
    fn consider(&mut self, since: i64, id: AgentId, agent: &IdleAgent, usable: bool) {
        self.considered += 1;
        if !usable {
            return;
        }
        let key = policy_key(
            self.policy,
            since,
            id,
            agent,
            skill_score(&agent.profile, self.need),
            self.last,
        );
        if self.best.is_none_or(|(b, _)| key < b) {
            self.best = Some((key, id));
        }
    }
}

fn preferred<'a>(state: &AcdState, queue: &'a QueueIndex, agent: AgentId) -> Option<&'a IdleAgent> {
    match state.agents.get(&agent)?.presence {
        Presence::Idle { since } => queue.idle.get(&(since.timestamp_millis(), agent)),
        _ => None,
    }
}

/// The free agent a contact should be offered to, or the rule that says why it waits.
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
    if let Some(agent) = contact.request.preferred_agent {
        if preferred(state, queue, agent).is_some_and(|a| usable(agent, &a.profile)) {
            return Ok(AgentPick {
                agent,
                rule: Rule::PreferredAgent,
                step,
            });
        }
        if waited < i64::from(config.sticky_wait_secs) * 1000 {
            return Err(Rule::WaitingForPreferredAgent);
        }
    }
    let last = state.last_served.get(&contact.queue).copied();
    let mut best = Best {
        policy: config.policy,
        last,
        need: &need,
        best: None,
        considered: 0,
    };
    match narrowing(&need, steps, step) {
        Some((skill, level)) => {
            // Buckets from the highest level down, each longest idle first: longest idle
            // needs only the first usable agent of each bucket, and with a single required
            // skill the most skilled is the first usable agent of the highest bucket.
            let single = need.skills.len() == 1;
            for lvl in (level..=MAX_SKILL_LEVEL).rev() {
                let bucket = (skill, lvl, i64::MIN, AgentId(Uuid::nil()))
                    ..=(skill, lvl, i64::MAX, AgentId(Uuid::max()));
                for ((_, _, since, id), agent) in queue.idle_by_skill.range(bucket) {
                    let ok = usable(*id, &agent.profile);
                    best.consider(*since, *id, agent, ok);
                    if ok && config.policy == SelectionPolicy::LongestIdle {
                        break;
                    }
                }
                if single && config.policy == SelectionPolicy::MostSkilled && best.best.is_some() {
                    break;
                }
            }
        }
        None => {
            for ((since, id), agent) in &queue.idle {
                best.consider(*since, *id, agent, usable(*id, &agent.profile));
                // Free agents come longest idle first, so the first usable one wins.
                if config.policy == SelectionPolicy::LongestIdle && best.best.is_some() {
                    break;
                }
            }
        }
    }
    let rule = Rule::SelectionPolicy {
        policy: config.policy,
        considered: best.considered,
    };
    best.best
        .map(|(_, agent)| AgentPick { agent, rule, step })
        .ok_or(Rule::NoQualifiedAgent)
}
