//! The pacer: how many calls to place now, per dialing mode.
//!
//! Predictive pacing models the next ring time: each ringing call becomes a live answer
//! with the chance its elapsed ring time implies, each busy agent frees up within the
//! horizon with the chance its elapsed talk or wrap-up implies (both from the campaign's
//! own rolling history), and the pacer adds dials while the expected answers that would
//! find no agent stay under a target share of expected answers. A feedback loop moves that
//! target with the measured abandon rate.
//!
//! Over it sits a hard guard that needs no model: at most `idle` answers can be served
//! for sure, so the calls beyond that are the worst-case abandons; the pacer never has more
//! of them in flight than the abandon budget of the period can absorb. Dialing one call per
//! idle agent (progressive) is always allowed because it risks nothing. When the history is
//! too short to trust, the pacer dials progressively.

use cc_types::dialer::{AbandonPolicy, DialerMode};

use super::abandon::AbandonLedger;
use super::odds::{add_trial, expected_shortfall, mean, poisson_binomial, shortfall_table};
use super::stats::CampaignObserver;

/// What a busy agent is doing, as the campaign sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AgentActivity {
    /// On a call for `elapsed_secs` so far.
    Talking {
        /// Seconds since the call connected.
        elapsed_secs: f64,
    },
    /// In wrap-up for `elapsed_secs` so far.
    WrappingUp {
        /// Seconds since wrap-up began.
        elapsed_secs: f64,
    },
}

/// The campaign's state at the moment of the decision.
#[derive(Debug, Clone, Copy)]
pub struct Observation<'a> {
    /// Agents logged in to the campaign, free and not reserved.
    pub idle_agents: u32,
    /// Agents on a call or in wrap-up.
    pub busy_agents: &'a [AgentActivity],
    /// Elapsed ring time of every placed call that has not been answered or released.
    pub ringing_secs: &'a [f64],
    /// Live answers waiting (up to the connect limit) for an agent.
    pub waiting_live: u32,
    /// AI-agent campaigns: sessions running now.
    pub ai_sessions_active: u32,
}

/// Tuning of the pacer; the defaults suit most campaigns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PacerConfig {
    /// The abandon rule to respect.
    pub policy: AbandonPolicy,
    /// Share of the cap the model aims for; the rest absorbs model error.
    pub target_share: f64,
    /// How strongly the measured rate pulls the model's target.
    pub feedback_gain: f64,
    /// Dial outcomes needed before predicting.
    pub min_dials_observed: usize,
    /// Live answers and finished calls needed before predicting.
    pub min_calls_observed: usize,
    /// Upper bound on calls placed by one decision.
    pub max_dials_per_decision: u32,
}

impl Default for PacerConfig {
    fn default() -> Self {
        Self {
            policy: AbandonPolicy::default(),
            target_share: 0.8,
            feedback_gain: 3.0,
            min_dials_observed: 100,
            min_calls_observed: 20,
            max_dials_per_decision: 500,
        }
    }
}

/// Why the pacer chose its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacingBasis {
    /// Preview campaigns: the agent dials.
    AgentDials,
    /// One call per idle agent (mode, or too little history to predict).
    Progressive,
    /// The power ratio, within the abandon budget.
    Power,
    /// The predictive model, within the abandon budget.
    Predictive,
    /// Free AI sessions, within the abandon budget.
    AiAgent,
}

/// The pacer's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacingDecision {
    /// Calls to place now.
    pub dials: u32,
    /// How the number was reached.
    pub basis: PacingBasis,
    /// True when the abandon budget, not the model, set the number.
    pub limited_by_budget: bool,
}

/// The dialer's pacing engine; stateless between decisions, so one instance can serve
/// every campaign with the same configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pacer {
    config: PacerConfig,
}

impl Pacer {
    /// A pacer with the given tuning.
    pub fn new(config: PacerConfig) -> Self {
        Self { config }
    }

    /// The tuning in force.
    pub fn config(&self) -> &PacerConfig {
        &self.config
    }

    /// Decides how many calls to place now.
    pub fn decide(
        &self,
        mode: &DialerMode,
        obs: &Observation<'_>,
        stats: &CampaignObserver,
        ledger: &AbandonLedger,
    ) -> PacingDecision {
        let in_flight = obs.ringing_secs.len() as i64 + i64::from(obs.waiting_live);
        let (free, busy, basis): (u32, &[AgentActivity], PacingBasis) = match mode {
            DialerMode::Preview { .. } => return decision(0, PacingBasis::AgentDials, false),
            DialerMode::AiAgent { max_sessions } => {
                let free = max_sessions.saturating_sub(obs.ai_sessions_active);
                (free, &[], PacingBasis::AiAgent)
            }
            DialerMode::Progressive | DialerMode::Power { .. } | DialerMode::Predictive => {
                (obs.idle_agents, obs.busy_agents, PacingBasis::Predictive)
            }
        };
        let safe = (i64::from(free) - in_flight).max(0);
        let wanted = match mode {
            DialerMode::Progressive => return decision(safe, PacingBasis::Progressive, false),
            DialerMode::Power { lines_per_agent } => {
                let lines = (lines_per_agent.max(1.0) * f64::from(free)).floor() as i64;
                return self.within_budget(
                    lines - in_flight,
                    safe,
                    obs,
                    free,
                    ledger,
                    PacingBasis::Power,
                );
            }
            _ if !self.sure_enough(stats) => {
                return decision(safe, PacingBasis::Progressive, false);
            }
            _ => self.model_dials(free, busy, obs, stats, ledger),
        };
        self.within_budget(wanted, safe, obs, free, ledger, basis)
    }

    /// Enough history to trust the model?
    fn sure_enough(&self, stats: &CampaignObserver) -> bool {
        stats.dials_observed() >= self.config.min_dials_observed
            && stats.live_answers_observed() >= self.config.min_calls_observed
            && stats.talk().len() >= self.config.min_calls_observed
            && stats.live_answer_rate().is_some_and(|r| r > 0.0)
    }

    /// Clamps `wanted` dials to the worst-case abandon budget, never below `safe`.
    fn within_budget(
        &self,
        wanted: i64,
        safe: i64,
        obs: &Observation<'_>,
        free: u32,
        ledger: &AbandonLedger,
        basis: PacingBasis,
    ) -> PacingDecision {
        let risky_now =
            obs.ringing_secs.len() as i64 + i64::from(obs.waiting_live) - i64::from(free);
        let budget = risk_budget(&self.config.policy, ledger, u64::from(obs.waiting_live));
        let allowed = budget - risky_now;
        let capped = wanted
            .min(allowed)
            .min(i64::from(self.config.max_dials_per_decision));
        let limited = allowed < wanted;
        decision(capped.max(safe), basis, limited && capped > safe)
    }

    /// Dials the predictive model wants, before the budget.
    fn model_dials(
        &self,
        free: u32,
        busy: &[AgentActivity],
        obs: &Observation<'_>,
        stats: &CampaignObserver,
        ledger: &AbandonLedger,
    ) -> i64 {
        let rate = stats.live_answer_rate().unwrap_or(0.0);
        let horizon =
            stats.live_ring().mean().unwrap_or(0.0) + self.config.policy.connect_within_secs;
        let wrap_mean = stats.wrap().mean().unwrap_or(0.0);
        let frees = busy.iter().map(|a| match *a {
            AgentActivity::Talking { elapsed_secs } => {
                stats.talk().ends_within(elapsed_secs, horizon - wrap_mean)
            }
            AgentActivity::WrappingUp { elapsed_secs } => {
                stats.wrap().ends_within(elapsed_secs, horizon)
            }
        });
        let agents = poisson_binomial(frees);
        let answers_now = obs
            .ringing_secs
            .iter()
            .map(|&e| live_chance(stats, rate, e));
        let mut answers = poisson_binomial(answers_now);
        let waiting = obs.waiting_live as usize;
        let max_dials = self.config.max_dials_per_decision as usize;
        let table = shortfall_table(&agents, free as usize, answers.len() + waiting + max_dials);
        let alpha = self.target_ratio(ledger);
        let mut dials = 0;
        while dials < max_dials {
            add_trial(&mut answers, rate);
            let expected = mean(&answers) + waiting as f64;
            if expected_shortfall(&answers, waiting, &table) > alpha * expected {
                break;
            }
            dials += 1;
        }
        dials as i64
    }

    /// The expected abandon share the model may aim for, moved by the measured rate.
    fn target_ratio(&self, ledger: &AbandonLedger) -> f64 {
        let target = self.config.policy.cap * self.config.target_share;
        if target <= 0.0 {
            return 0.0;
        }
        let error = 1.0 - ledger.rate() / target;
        target * (1.0 + self.config.feedback_gain * error).clamp(0.05, 2.0)
    }
}

fn decision(dials: i64, basis: PacingBasis, limited_by_budget: bool) -> PacingDecision {
    let dials = u32::try_from(dials.max(0)).unwrap_or(u32::MAX);
    PacingDecision {
        dials,
        basis,
        limited_by_budget,
    }
}

/// Chance that a call ringing for `elapsed` seconds turns into a live answer.
fn live_chance(stats: &CampaignObserver, rate: f64, elapsed: f64) -> f64 {
    let live = rate * (1.0 - stats.live_ring().cdf(elapsed));
    let other = (1.0 - rate) * (1.0 - stats.other_ring().cdf(elapsed));
    if live + other <= 0.0 {
        0.0
    } else {
        live / (live + other)
    }
}

/// How many calls may be in flight beyond the agents free now, so that even if every one
/// of them is answered and abandoned the period's rate stays within the cap. `waiting` live
/// answers already count in the ledger's live answers.
pub fn risk_budget(policy: &AbandonPolicy, ledger: &AbandonLedger, waiting: u64) -> i64 {
    let cap = policy.cap.clamp(0.0, 0.999_999);
    let (live, abandoned) = (ledger.live_answers() as f64, ledger.abandoned() as f64);
    let w = waiting as f64;
    if abandoned + w <= cap * live {
        // Risky calls beyond the waiting ones add a live answer each.
        let k = (cap * (live - w) - abandoned) / (1.0 - cap);
        (k.floor() as i64).max(waiting as i64)
    } else {
        (cap * live - abandoned).floor() as i64
    }
}

#[cfg(test)]
#[path = "pacer_tests.rs"]
mod tests;
