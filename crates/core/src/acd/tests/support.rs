//! A small world for ACD tests: an engine, a clock the test moves, and the log of accepted
//! commands for replay.

use cc_types::skills::SkillRequirement;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use uuid::Uuid;

use crate::acd::*;

pub fn queue(n: u128) -> QueueId {
    QueueId(Uuid::from_u128(0x1000 + n))
}
pub fn agent(n: u128) -> AgentId {
    AgentId(Uuid::from_u128(0x2000 + n))
}
pub fn contact(n: u128) -> ContactId {
    ContactId(Uuid::from_u128(0x3000 + n))
}
pub fn skill(n: u128) -> Uuid {
    Uuid::from_u128(0x4000 + n)
}
pub fn need(s: u128, min_level: u8) -> SkillRequirement {
    SkillRequirement {
        skill: skill(s),
        min_level,
    }
}
pub fn has(s: u128, level: u8) -> AgentSkill {
    AgentSkill {
        skill: skill(s),
        level,
    }
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap()
}

pub struct World {
    pub acd: AcdEngine,
    pub log: Vec<AcdCommand>,
    pub now: DateTime<Utc>,
}

impl World {
    pub fn new() -> Self {
        Self {
            acd: AcdEngine::new(),
            log: Vec::new(),
            now: t0(),
        }
    }

    pub fn run(&mut self, command: AcdCommand) -> Result<Vec<Decision>, AcdError> {
        let out = self.acd.apply(command.clone());
        if out.is_ok() {
            self.log.push(command);
        }
        out
    }

    pub fn ok(&mut self, command: AcdCommand) -> Vec<Decision> {
        self.run(command).unwrap()
    }

    pub fn advance(&mut self, secs: i64) {
        self.now += TimeDelta::seconds(secs);
    }

    pub fn queue(&mut self, config: QueueConfig) {
        self.ok(AcdCommand::UpsertQueue { config });
    }

    pub fn agent(&mut self, n: u128, skills: Vec<AgentSkill>, queues: Vec<QueueId>) {
        let profile = AgentProfile {
            id: agent(n),
            skills,
            queues,
            languages: vec!["en".into()],
        };
        self.ok(AcdCommand::UpsertAgent { profile });
    }

    pub fn available(&mut self, n: u128) -> Decision {
        let mut out = self.ok(AcdCommand::AgentAvailable {
            agent: agent(n),
            at: self.now,
        });
        out.remove(0)
    }

    pub fn arrive(&mut self, request: ContactRequest) -> Vec<Decision> {
        let at = self.now;
        self.ok(AcdCommand::ContactArrived {
            contact: request,
            at,
        })
    }

    pub fn tick(&mut self) -> Vec<Decision> {
        let at = self.now;
        self.ok(AcdCommand::Tick { at })
    }

    pub fn accept(&mut self, c: ContactId) {
        let at = self.now;
        self.ok(AcdCommand::OfferAccepted { contact: c, at });
    }

    pub fn decline(&mut self, c: ContactId) -> Vec<Decision> {
        let at = self.now;
        self.ok(AcdCommand::OfferDeclined { contact: c, at })
    }
}

pub fn request(n: u128, q: QueueId, priority: u8, skills: Vec<SkillRequirement>) -> ContactRequest {
    ContactRequest {
        id: contact(n),
        queue: q,
        priority,
        skills,
        preferred_agent: None,
        language: None,
        callback: false,
    }
}

/// The (contact, agent) of an offer decision.
pub fn offered(decision: &Decision) -> Option<(ContactId, AgentId)> {
    match decision {
        Decision::Offer { contact, agent, .. } => Some((*contact, *agent)),
        _ => None,
    }
}

pub fn offers(decisions: &[Decision]) -> Vec<(ContactId, AgentId)> {
    decisions.iter().filter_map(offered).collect()
}

/// A world with one queue using `policy`.
pub fn basic(policy: SelectionPolicy) -> World {
    let mut w = World::new();
    w.queue(QueueConfig::new(queue(1), policy));
    w
}

/// Written apart from the engine: the skills an offer must satisfy after `waited_ms`.
pub fn independently_qualified(
    profile: &AgentProfile,
    request: &ContactRequest,
    steps: &[RelaxStep],
    waited_ms: i64,
) -> bool {
    let active: Vec<&RelaxStep> = steps
        .iter()
        .filter(|s| i64::from(s.after_secs) * 1000 <= waited_ms)
        .collect();
    if request
        .language
        .as_ref()
        .is_some_and(|l| !profile.languages.contains(l))
    {
        return false;
    }
    let mut cap = cc_types::agents::MAX_SKILL_LEVEL;
    for step in &active {
        if let Relax::MinLevel { level } = step.relax {
            cap = cap.min(level);
        }
    }
    let level = |skill| {
        profile
            .skills
            .iter()
            .find(|s| s.skill == skill)
            .map_or(0, |s| s.level)
    };
    let ok = |reqs: &[cc_types::skills::SkillRequirement]| {
        reqs.iter().all(|r| level(r.skill) >= r.min_level.min(cap))
    };
    ok(&request.skills)
        || active
            .iter()
            .any(|s| matches!(&s.relax, Relax::AlternativeSkills { skills } if ok(skills)))
}
