//! Which agents qualify for a contact at the relaxation step in force. Relaxation only ever
//! widens the set of qualified agents, so the first step at which an agent qualifies tells
//! how long a contact must have waited before that agent may take it.

use cc_types::skills::SkillRequirement;
use serde::{Deserialize, Serialize};

use super::model::{AgentProfile, Relax, RelaxStep};

/// What a group of contacts needs: skills and language (the routing-relevant part).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Signature {
    /// Required skills, sorted.
    pub skills: Vec<SkillRequirement>,
    /// Required language.
    pub language: Option<String>,
}

impl Signature {
    /// The signature of a contact's needs.
    pub fn new(skills: &[SkillRequirement], language: Option<&str>) -> Self {
        let mut skills = skills.to_vec();
        skills.sort();
        Self {
            skills,
            language: language.map(str::to_owned),
        }
    }
}

/// Number of steps in force after waiting `waited_ms` in the queue.
pub fn steps_in_force(steps: &[RelaxStep], waited_ms: i64) -> usize {
    steps
        .iter()
        .take_while(|s| i64::from(s.after_secs) * 1000 <= waited_ms)
        .count()
}

/// Does the agent qualify when the first `in_force` steps apply?
pub fn qualifies(
    agent: &AgentProfile,
    need: &Signature,
    steps: &[RelaxStep],
    in_force: usize,
) -> bool {
    if let Some(lang) = &need.language
        && !agent.languages.iter().any(|l| l == lang)
    {
        return false;
    }
    let active = steps.get(..in_force).unwrap_or(steps);
    let cap = active
        .iter()
        .filter_map(|s| match s.relax {
            Relax::MinLevel { level } => Some(level),
            _ => None,
        })
        .min();
    let meets = |reqs: &[SkillRequirement]| {
        reqs.iter()
            .all(|r| agent.level(r.skill) >= cap.map_or(r.min_level, |c| r.min_level.min(c)))
    };
    meets(&need.skills)
        || active
            .iter()
            .any(|s| matches!(&s.relax, Relax::AlternativeSkills { skills } if meets(skills)))
}

/// The fewest steps that must be in force for the agent to qualify, or `None` if even the
/// last step does not let them.
pub fn first_qualifying_step(
    agent: &AgentProfile,
    need: &Signature,
    steps: &[RelaxStep],
) -> Option<usize> {
    (0..=steps.len()).find(|&k| qualifies(agent, need, steps, k))
}

/// Milliseconds a contact must have waited for `k` steps to be in force.
pub fn wait_for_step_ms(steps: &[RelaxStep], k: usize) -> i64 {
    k.checked_sub(1)
        .and_then(|i| steps.get(i))
        .map_or(0, |s| i64::from(s.after_secs) * 1000)
}

/// Sum of the agent's levels in the required skills (the "most skilled" score).
pub fn skill_score(agent: &AgentProfile, need: &Signature) -> u32 {
    need.skills
        .iter()
        .map(|r| u32::from(agent.level(r.skill)))
        .sum()
}
