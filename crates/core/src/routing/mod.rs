//! Routing-rule evaluation: an organization's ordered rules are compiled once (time zones
//! parsed, calendars resolved) and then evaluated per call, first match wins. The answer
//! names the rule that matched and, for every earlier rule, which of its conditions failed,
//! so a supervisor can see why a call went where it did. Storing and editing rules is the
//! API's job; the rule types live in `cc_types::routing`.

mod compile;
mod facts;

use std::collections::BTreeMap;

use cc_types::business_hours::{BusinessHours, HoursStatus};
use cc_types::routing::{RoutingAction, RoutingRule};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::hours::{Calendar, HoursError};

use compile::{CallSymbols, Check, CompiledRule, List, LocalTimes, Symbols, compile_rule};

pub use facts::CallFacts;

/// Most conditions one rule may have (they are reported as a bit mask).
pub const MAX_CONDITIONS: usize = 64;

/// Why a rule set cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RoutingError {
    /// A rule has more than [`MAX_CONDITIONS`] conditions.
    #[error("rule {rule} has more than {MAX_CONDITIONS} conditions")]
    TooManyConditions {
        /// The rule.
        rule: Uuid,
    },
    /// A rule refers to a calendar that was not supplied.
    #[error("rule {rule} refers to unknown calendar {calendar}")]
    UnknownCalendar {
        /// The rule.
        rule: Uuid,
        /// The calendar.
        calendar: Uuid,
    },
    /// A calendar or time window is invalid.
    #[error("rule {rule}: {source}")]
    Hours {
        /// The rule (nil for a calendar that failed on its own).
        rule: Uuid,
        /// What is wrong.
        source: HoursError,
    },
    /// A queue action's priority is outside 1–10.
    #[error("rule {rule} queues with priority {priority}, outside 1-10")]
    InvalidPriority {
        /// The rule.
        rule: Uuid,
        /// The priority.
        priority: u8,
    },
}

/// A rule that did not match and the indexes of its conditions that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleMiss {
    /// The rule.
    pub rule: Uuid,
    /// Bit `i` is set when condition `i` failed.
    pub failed_mask: u64,
}

impl RuleMiss {
    /// Indexes of the failed conditions, in order.
    pub fn failed_conditions(&self) -> impl Iterator<Item = usize> + '_ {
        (0..MAX_CONDITIONS).filter(|i| self.failed_mask & (1u64 << i) != 0)
    }
}

/// The rule that matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleMatch {
    /// The rule.
    pub rule: Uuid,
    /// Its position in the ordered set.
    pub position: usize,
    /// What to do with the call.
    pub action: RoutingAction,
}

/// The outcome of evaluating a call against the rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoutingDecision {
    /// The first rule whose conditions all held, if any.
    pub matched: Option<RuleMatch>,
    /// Every rule before it (or every rule, without a match) with its failed conditions.
    pub misses: Vec<RuleMiss>,
}

/// An organization's compiled, ordered routing rules.
///
/// ```
/// use cc_core::routing::{CallFacts, RuleSet};
/// use cc_types::routing::{RoutingAction, RoutingCondition, RoutingRule};
/// use chrono::{TimeZone, Utc};
/// use uuid::Uuid;
/// let vip = RoutingRule { id: Uuid::from_u128(1), name: "VIP".into(),
///     conditions: vec![RoutingCondition::Segment { any_of: vec!["vip".into()] }],
///     action: RoutingAction::AiAgent { profile: Uuid::from_u128(9) } };
/// let rest = RoutingRule { id: Uuid::from_u128(2), name: "Everyone".into(), conditions: vec![],
///     action: RoutingAction::Reject { message: "closed".into() } };
/// let rules = RuleSet::compile(&[vip, rest], &[]).unwrap();
/// let facts = CallFacts::new("+420800100200", "+420601000000", Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap());
/// let decision = rules.evaluate(&facts);
/// assert_eq!(decision.matched.unwrap().position, 1);
/// assert_eq!(decision.misses[0].failed_conditions().collect::<Vec<_>>(), vec![0]);
/// ```
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<CompiledRule>,
    calendars: Vec<Calendar>,
    checks: Vec<Check>,
    zones: Vec<chrono_tz::Tz>,
    symbols: Symbols,
}

impl RuleSet {
    /// Compiles ordered rules with the calendars they refer to.
    pub fn compile(
        rules: &[RoutingRule],
        calendars: &[BusinessHours],
    ) -> Result<Self, RoutingError> {
        let mut compiled_calendars = Vec::with_capacity(calendars.len());
        let mut calendar_index = BTreeMap::new();
        for hours in calendars {
            let calendar = Calendar::compile(hours).map_err(|source| RoutingError::Hours {
                rule: Uuid::nil(),
                source,
            })?;
            calendar_index.insert(hours.id, compiled_calendars.len());
            compiled_calendars.push(calendar);
        }
        let mut zones = Vec::new();
        let mut symbols = Symbols::default();
        let mut checks = Vec::new();
        let rules = rules
            .iter()
            .map(|rule| compile_rule(rule, &calendar_index, &mut zones, &mut symbols, &mut checks))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            rules,
            calendars: compiled_calendars,
            checks,
            zones,
            symbols,
        })
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Evaluates the call; all conditions of a rule are checked so misses are complete.
    pub fn evaluate(&self, facts: &CallFacts) -> RoutingDecision {
        let mut hours: Vec<Option<HoursStatus>> = vec![None; self.calendars.len()];
        let mut local = LocalTimes::new(&self.zones, facts.at);
        let mut misses = Vec::with_capacity(self.rules.len());
        let symbols = &self.symbols;
        let call = CallSymbols {
            called: symbols.get(Some(&facts.called)),
            country: symbols.get(facts.caller_country.as_deref()),
            language: symbols.get(facts.language.as_deref()),
            segment: symbols.get(facts.segment.as_deref()),
            intent: symbols.get(facts.intent.as_deref()),
            tags: facts
                .tags
                .iter()
                .filter_map(|t| symbols.get(Some(t)))
                .collect(),
        };
        for (position, rule) in self.rules.iter().enumerate() {
            let mut failed_mask = 0u64;
            for (i, check) in self
                .checks
                .get(rule.checks.clone())
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                if !self.holds(check, facts, &call, &mut hours, &mut local) {
                    failed_mask |= 1 << i;
                }
            }
            if failed_mask == 0 {
                let matched = RuleMatch {
                    rule: rule.id,
                    position,
                    action: rule.action.clone(),
                };
                return RoutingDecision {
                    matched: Some(matched),
                    misses,
                };
            }
            misses.push(RuleMiss {
                rule: rule.id,
                failed_mask,
            });
        }
        RoutingDecision {
            matched: None,
            misses,
        }
    }

    fn holds(
        &self,
        check: &Check,
        facts: &CallFacts,
        call: &CallSymbols,
        hours: &mut [Option<HoursStatus>],
        local: &mut LocalTimes<'_>,
    ) -> bool {
        let arena = &self.symbols.arena;
        let any =
            |list: &List, value: Option<u32>| value.is_some_and(|v| list.of(arena).contains(&v));
        match check {
            Check::CalledNumber(list) => any(list, call.called),
            Check::CallerPrefix(prefix) => facts.caller.starts_with(&**prefix),
            Check::CallerCountry(list) => any(list, call.country),
            Check::TimeWindow(window) => window.open(local),
            Check::Hours(index, want) => {
                let Some(slot) = hours.get_mut(*index) else {
                    return false;
                };
                let status = *slot.get_or_insert_with(|| {
                    self.calendars
                        .get(*index)
                        .map_or(HoursStatus::Closed, |c| c.status_at(facts.at))
                });
                status == *want
            }
            Check::Language(list) => any(list, call.language),
            Check::CustomerTag(list) => call.tags.iter().any(|t| list.of(arena).contains(t)),
            Check::Segment(list) => any(list, call.segment),
            Check::Variable(pair) => facts.variables.get(&pair.0).is_some_and(|v| *v == pair.1),
            Check::Intent(list) => any(list, call.intent),
        }
    }
}

#[cfg(test)]
mod tests;
