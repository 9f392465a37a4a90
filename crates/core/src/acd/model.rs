//! The ACD's vocabulary: ids, queue configuration, agent profiles, contacts, the commands
//! that change the engine and the decisions it answers with.

use cc_types::skills::SkillRequirement;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);
    };
}

id_type!(
    /// An agent.
    AgentId
);
id_type!(
    /// A contact (a call, or a callback request) waiting for an agent.
    ContactId
);
id_type!(
    /// A queue.
    QueueId
);

/// How a queue picks among several free agents who qualify for a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelectionPolicy {
    /// The agent idle the longest.
    LongestIdle,
    /// The highest total level in the contact's skills; ties go to the longest idle.
    MostSkilled,
    /// Among the agents with the highest skill total, the next after the last one served.
    RoundRobin,
    /// The fewest contacts accepted today; ties go to the longest idle.
    LeastBusyToday,
}

/// What one relaxation step changes once a contact has waited `after_secs` in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "relax", rename_all = "snake_case")]
pub enum Relax {
    /// Accept agents with at least this level in each required skill.
    MinLevel {
        /// The lowered level.
        level: u8,
    },
    /// Also accept agents who have these skills instead.
    AlternativeSkills {
        /// The alternative requirement.
        skills: Vec<SkillRequirement>,
    },
    /// Move the contact to another queue, keeping its original arrival time.
    Overflow {
        /// The target queue.
        queue: QueueId,
    },
}

/// A timed relaxation step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelaxStep {
    /// Seconds of waiting in the queue after which the step is in force.
    pub after_secs: u32,
    /// What it relaxes.
    pub relax: Relax,
}

/// What happens to a contact the queue cannot keep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum OverflowAction {
    /// Move to another queue.
    Queue {
        /// The target queue.
        queue: QueueId,
    },
    /// Send to a voicemail box.
    Voicemail {
        /// The box.
        mailbox: Uuid,
    },
    /// Offer the caller a callback; the contact keeps its place meanwhile.
    CallbackOffer,
    /// Continue the call flow at a named branch.
    FlowBranch {
        /// The branch (node id).
        branch: String,
    },
}

/// A queue's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueConfig {
    /// The queue.
    pub id: QueueId,
    /// How free agents are chosen.
    pub policy: SelectionPolicy,
    /// Effective priority rises one level every this many seconds of waiting; `None` = no aging.
    pub aging_secs_per_level: Option<u32>,
    /// Relaxation steps, in increasing `after_secs`.
    pub relaxation: Vec<RelaxStep>,
    /// Most contacts waiting at once.
    pub max_size: Option<u32>,
    /// Longest wait in seconds before the overflow action (callbacks are exempt).
    pub max_wait_secs: Option<u32>,
    /// What happens when the queue is full or the wait too long.
    pub overflow: OverflowAction,
    /// How long a contact waits for its preferred agent before anyone may take it.
    pub sticky_wait_secs: u32,
    /// How long an agent who rejected or missed a contact is not offered it again.
    pub reoffer_block_secs: u32,
}

impl QueueConfig {
    /// A queue with the given policy and no aging, relaxation, limits or stickiness.
    pub fn new(id: QueueId, policy: SelectionPolicy) -> Self {
        Self {
            id,
            policy,
            aging_secs_per_level: None,
            relaxation: Vec::new(),
            max_size: None,
            max_wait_secs: None,
            overflow: OverflowAction::CallbackOffer,
            sticky_wait_secs: 0,
            reoffer_block_secs: 60,
        }
    }
}

/// An agent's skill at a level (1–10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AgentSkill {
    /// The skill.
    pub skill: Uuid,
    /// 1 (novice) to 10 (expert).
    pub level: u8,
}

/// What the ACD knows about an agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentProfile {
    /// The agent.
    pub id: AgentId,
    /// Skills with levels.
    pub skills: Vec<AgentSkill>,
    /// Queues the agent serves.
    pub queues: Vec<QueueId>,
    /// Languages the agent speaks.
    pub languages: Vec<String>,
}

impl AgentProfile {
    /// The agent's level in a skill (0 when they lack it).
    pub fn level(&self, skill: Uuid) -> u8 {
        self.skills
            .iter()
            .find(|s| s.skill == skill)
            .map_or(0, |s| s.level)
    }
}

/// A contact asking for an agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRequest {
    /// The contact.
    pub id: ContactId,
    /// The queue it enters.
    pub queue: QueueId,
    /// 1 (lowest) to 10 (highest).
    pub priority: u8,
    /// Skills the agent needs.
    pub skills: Vec<SkillRequirement>,
    /// Sticky routing: the agent the contact waits for first.
    pub preferred_agent: Option<AgentId>,
    /// The language the agent must speak.
    pub language: Option<String>,
    /// A callback request: keeps its place without holding the line.
    pub callback: bool,
}

/// A change to the engine; the log of accepted commands rebuilds the engine's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum AcdCommand {
    /// Create or change a queue.
    UpsertQueue {
        /// The configuration.
        config: QueueConfig,
    },
    /// Create or change an agent.
    UpsertAgent {
        /// The profile.
        profile: AgentProfile,
    },
    /// The agent became available.
    AgentAvailable {
        /// The agent.
        agent: AgentId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The agent stopped taking contacts (not ready, logged out, busy elsewhere).
    AgentUnavailable {
        /// The agent.
        agent: AgentId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A contact arrived.
    ContactArrived {
        /// The contact.
        contact: ContactRequest,
        /// When.
        at: DateTime<Utc>,
    },
    /// The agent accepted the offered contact; it leaves the ACD.
    OfferAccepted {
        /// The contact.
        contact: ContactId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The agent rejected the offer or let it time out.
    OfferDeclined {
        /// The contact.
        contact: ContactId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The caller hung up (or the callback was cancelled).
    ContactAbandoned {
        /// The contact.
        contact: ContactId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The caller accepted a callback offer: the contact keeps its place off the line.
    CallbackAccepted {
        /// The contact.
        contact: ContactId,
    },
    /// Time passed: apply queue limits, relaxation and sticky-routing expiry.
    Tick {
        /// Now.
        at: DateTime<Utc>,
    },
    /// Start a new day for the least-busy-today policy.
    ResetDailyCounters,
}

/// The rule behind a decision, for the supervisor cockpit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// The contact's preferred agent was free.
    PreferredAgent,
    /// The queue's selection policy chose after examining `considered` free agents
    /// (longest idle stops at the first who qualifies; the others look at every free agent).
    SelectionPolicy {
        /// The policy applied.
        policy: SelectionPolicy,
        /// How many free agents of the queue were examined.
        considered: usize,
    },
    /// The contact had the highest effective priority among those the agent qualifies for.
    HighestEffectivePriority {
        /// Effective priority in millionths of a level.
        effective_micro: i64,
    },
    /// No free agent qualifies; the contact waits.
    NoQualifiedAgent,
    /// The contact waits for its preferred agent.
    WaitingForPreferredAgent,
    /// Nothing waiting that the agent qualifies for.
    NothingToOffer,
    /// The queue was full.
    QueueFull,
    /// The contact waited the queue's maximum.
    MaxWaitReached,
    /// A relaxation step moved the contact.
    RelaxationOverflow,
}

/// Why a decision was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Why {
    /// The rule.
    pub rule: Rule,
    /// How many relaxation steps were in force for the contact (0 = none).
    pub relaxation_step: usize,
}

/// What the engine decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Offer the contact to the agent (a reservation).
    Offer {
        /// The contact.
        contact: ContactId,
        /// The agent.
        agent: AgentId,
        /// The queue it came from.
        queue: QueueId,
        /// A callback: the agent calls the customer.
        callback: bool,
        /// Why.
        why: Why,
    },
    /// The contact waits in the queue.
    Enqueued {
        /// The contact.
        contact: ContactId,
        /// The queue.
        queue: QueueId,
        /// Why.
        why: Why,
    },
    /// The contact moved to another queue, keeping its arrival time.
    Moved {
        /// The contact.
        contact: ContactId,
        /// From.
        from: QueueId,
        /// To.
        to: QueueId,
        /// Why.
        why: Why,
    },
    /// The queue's overflow action applies; voicemail and flow branches remove the contact.
    Overflow {
        /// The contact.
        contact: ContactId,
        /// The queue.
        queue: QueueId,
        /// The action the call actor carries out.
        action: OverflowAction,
        /// Why.
        why: Why,
    },
    /// The agent waits: nothing to offer.
    AgentIdle {
        /// The agent.
        agent: AgentId,
        /// Why.
        why: Why,
    },
}

/// A command the engine refused; the state is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AcdError {
    /// No such queue.
    #[error("unknown queue {0:?}")]
    UnknownQueue(QueueId),
    /// No such agent.
    #[error("unknown agent {0:?}")]
    UnknownAgent(AgentId),
    /// No such contact.
    #[error("unknown contact {0:?}")]
    UnknownContact(ContactId),
    /// A contact with this id is already in the engine.
    #[error("contact {0:?} is already in the engine")]
    DuplicateContact(ContactId),
    /// Priority outside 1–10.
    #[error("priority {0} is outside 1-10")]
    InvalidPriority(u8),
    /// Skill level outside 1–10.
    #[error("skill level {0} is outside 1-10")]
    InvalidLevel(u8),
    /// The contact is not currently offered to anyone.
    #[error("contact {0:?} is not offered")]
    NotOffered(ContactId),
    /// The agent holds an offer and cannot take another status change first.
    #[error("agent {0:?} holds an offer")]
    AgentHoldsOffer(AgentId),
    /// Relaxation steps are not in increasing time order.
    #[error("relaxation steps of queue {0:?} are not in increasing order")]
    UnorderedRelaxation(QueueId),
}
