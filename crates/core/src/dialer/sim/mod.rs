//! A campaign simulator with a fixed, published model so results compare across tools:
//! an endless list of dialable contacts; a dial is answered by a person with probability R
//! after a ring time uniform in [3, 15] s, otherwise released unanswered at the ring
//! maximum; talk is exponential with mean S, then wrap-up of exactly W; a live answer that
//! finds no free agent waits up to the connect limit (2 s) and is then abandoned. The
//! pacer is the real [`Pacer`], fed only what a campaign can observe. Discrete events on a
//! millisecond clock; the same seed gives the same shift on every target.

mod rng;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};

use cc_types::dialer::{AbandonPolicy, DialerMode};

use super::abandon::AbandonLedger;
use super::pacer::{AgentActivity, Observation, Pacer, PacerConfig};
use super::stats::{CampaignObserver, DialResult};
pub use rng::SeededRng;

/// Parameters of one simulated shift.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Dialing mode under test.
    pub mode: DialerMode,
    /// Agents logged in for the whole shift.
    pub agents: u32,
    /// Probability that a dial is answered by a person (R).
    pub answer_rate: f64,
    /// Mean talk time in seconds (S).
    pub talk_mean_secs: f64,
    /// Wrap-up after every call in seconds (W).
    pub wrap_secs: f64,
    /// Shift length in hours.
    pub hours: f64,
    /// Seed of the run.
    pub seed: u64,
    /// Seconds an unanswered dial rings before release.
    pub ring_max_secs: f64,
    /// Abandon cap of the campaign.
    pub abandon_cap: f64,
}

/// What one simulated shift produced.
#[derive(Debug, Clone, PartialEq)]
pub struct SimReport {
    /// Calls placed.
    pub calls_placed: u64,
    /// Calls answered by a person.
    pub live_answers: u64,
    /// Live answers not connected within the limit.
    pub abandoned: u64,
    /// `abandoned / live_answers` at the end of the shift.
    pub abandon_rate: f64,
    /// Highest abandon rate measured at any moment of the shift.
    pub peak_abandon_rate: f64,
    /// `(talk + wrap-up) / (agents × shift length)`.
    pub agent_occupancy: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    Tick,
    RingEnd { dial: u64 },
    TalkEnd { agent: usize },
    WrapEnd { agent: usize },
    WaitExpired { call: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Agent {
    Idle,
    Talking { since_ms: u64 },
    WrappingUp { since_ms: u64 },
}

#[derive(Debug, Clone, Copy)]
struct Dial {
    placed_ms: u64,
    live: bool,
}

struct Sim {
    cfg: SimConfig,
    rng: SeededRng,
    now_ms: u64,
    end_ms: u64,
    seq: u64,
    events: BinaryHeap<Reverse<(u64, u64, Event)>>,
    agents: Vec<Agent>,
    ringing: BTreeMap<u64, Dial>,
    waiting: VecDeque<(u64, u64)>,
    observer: CampaignObserver,
    ledger: AbandonLedger,
    pacer: Pacer,
    report: SimReport,
    busy_ms: u64,
}

/// Runs one shift and reports what a supervisor would see at its end.
pub fn run(cfg: &SimConfig) -> SimReport {
    let mut sim = Sim::new(cfg.clone());
    sim.schedule(0, Event::Tick);
    while let Some(Reverse((at, _, event))) = sim.events.pop() {
        if at > sim.end_ms {
            break;
        }
        sim.now_ms = at;
        sim.handle(event);
        sim.pace();
    }
    sim.finish()
}

impl Sim {
    fn new(cfg: SimConfig) -> Self {
        let policy = AbandonPolicy {
            cap: cfg.abandon_cap,
            ..AbandonPolicy::default()
        };
        let pacer = Pacer::new(PacerConfig {
            policy,
            ..PacerConfig::default()
        });
        let end_ms = (cfg.hours.max(0.0) * 3_600_000.0) as u64;
        Self {
            rng: SeededRng::new(cfg.seed),
            agents: vec![Agent::Idle; cfg.agents as usize],
            cfg,
            now_ms: 0,
            end_ms,
            seq: 0,
            events: BinaryHeap::new(),
            ringing: BTreeMap::new(),
            waiting: VecDeque::new(),
            observer: CampaignObserver::default(),
            ledger: AbandonLedger::new(&policy),
            pacer,
            report: SimReport {
                calls_placed: 0,
                live_answers: 0,
                abandoned: 0,
                abandon_rate: 0.0,
                peak_abandon_rate: 0.0,
                agent_occupancy: 0.0,
            },
            busy_ms: 0,
        }
    }

    fn schedule(&mut self, in_ms: u64, event: Event) {
        self.seq += 1;
        self.events
            .push(Reverse((self.now_ms + in_ms, self.seq, event)));
    }

    fn secs(ms: u64) -> f64 {
        ms as f64 / 1000.0
    }

    fn handle(&mut self, event: Event) {
        match event {
            Event::Tick => self.schedule(1_000, Event::Tick),
            Event::RingEnd { dial } => self.ring_end(dial),
            Event::TalkEnd { agent } => self.talk_end(agent),
            Event::WrapEnd { agent } => self.wrap_end(agent),
            Event::WaitExpired { call } => self.wait_expired(call),
        }
    }

    fn ring_end(&mut self, id: u64) {
        let Some(dial) = self.ringing.remove(&id) else {
            return;
        };
        let ring_secs = Self::secs(self.now_ms - dial.placed_ms);
        if !dial.live {
            self.observer
                .record_dial(DialResult::NoAnswer { ring_secs });
            return;
        }
        self.observer.record_dial(DialResult::Live { ring_secs });
        self.ledger.record_live_answer(Self::secs(self.now_ms));
        self.report.live_answers += 1;
        match self.agents.iter().position(|a| *a == Agent::Idle) {
            Some(agent) => self.connect(agent),
            None => {
                self.waiting.push_back((id, self.now_ms));
                let limit = (AbandonPolicy::default().connect_within_secs * 1000.0) as u64;
                self.schedule(limit, Event::WaitExpired { call: id });
            }
        }
    }

    fn connect(&mut self, agent: usize) {
        let talk_ms = (self.rng.exponential(self.cfg.talk_mean_secs) * 1000.0) as u64;
        self.agents[agent] = Agent::Talking {
            since_ms: self.now_ms,
        };
        self.count_busy(talk_ms);
        self.schedule(talk_ms, Event::TalkEnd { agent });
    }

    fn count_busy(&mut self, duration_ms: u64) {
        let until = (self.now_ms + duration_ms).min(self.end_ms);
        self.busy_ms += until.saturating_sub(self.now_ms);
    }

    fn talk_end(&mut self, agent: usize) {
        if let Agent::Talking { since_ms } = self.agents[agent] {
            self.observer
                .record_talk(Self::secs(self.now_ms - since_ms));
        }
        let wrap_ms = (self.cfg.wrap_secs.max(0.0) * 1000.0) as u64;
        self.agents[agent] = Agent::WrappingUp {
            since_ms: self.now_ms,
        };
        self.count_busy(wrap_ms);
        self.schedule(wrap_ms, Event::WrapEnd { agent });
    }

    fn wrap_end(&mut self, agent: usize) {
        if let Agent::WrappingUp { since_ms } = self.agents[agent] {
            self.observer
                .record_wrap(Self::secs(self.now_ms - since_ms));
        }
        self.agents[agent] = Agent::Idle;
        if self.waiting.pop_front().is_some() {
            self.connect(agent);
        }
    }

    fn wait_expired(&mut self, call: u64) {
        let Some(index) = self.waiting.iter().position(|(id, _)| *id == call) else {
            return;
        };
        self.waiting.remove(index);
        self.ledger.record_abandon(Self::secs(self.now_ms));
        self.report.abandoned += 1;
        let rate = self.ledger.rate();
        self.report.peak_abandon_rate = self.report.peak_abandon_rate.max(rate);
    }

    fn pace(&mut self) {
        let mut busy = Vec::with_capacity(self.agents.len());
        let mut idle = 0;
        for agent in &self.agents {
            match *agent {
                Agent::Idle => idle += 1,
                Agent::Talking { since_ms } => busy.push(AgentActivity::Talking {
                    elapsed_secs: Self::secs(self.now_ms - since_ms),
                }),
                Agent::WrappingUp { since_ms } => busy.push(AgentActivity::WrappingUp {
                    elapsed_secs: Self::secs(self.now_ms - since_ms),
                }),
            }
        }
        let ringing: Vec<f64> = self
            .ringing
            .values()
            .map(|d| Self::secs(self.now_ms - d.placed_ms))
            .collect();
        let obs = Observation {
            idle_agents: idle,
            busy_agents: &busy,
            ringing_secs: &ringing,
            waiting_live: self.waiting.len() as u32,
            ai_sessions_active: 0,
        };
        let decision = self
            .pacer
            .decide(&self.cfg.mode, &obs, &self.observer, &self.ledger);
        for _ in 0..decision.dials {
            self.place_dial();
        }
    }

    fn place_dial(&mut self) {
        let id = self.report.calls_placed;
        self.report.calls_placed += 1;
        let live = self.rng.chance(self.cfg.answer_rate);
        let ring_secs = if live {
            self.rng.uniform(3.0, 15.0)
        } else {
            self.cfg.ring_max_secs
        };
        self.ringing.insert(
            id,
            Dial {
                placed_ms: self.now_ms,
                live,
            },
        );
        self.schedule((ring_secs * 1000.0) as u64, Event::RingEnd { dial: id });
    }

    fn finish(mut self) -> SimReport {
        self.report.abandon_rate = self.ledger.rate();
        let capacity = f64::from(self.cfg.agents) * self.end_ms as f64;
        self.report.agent_occupancy = if capacity > 0.0 {
            self.busy_ms as f64 / capacity
        } else {
            0.0
        };
        self.report
    }
}

#[cfg(test)]
#[path = "sim_tests.rs"]
mod tests;
