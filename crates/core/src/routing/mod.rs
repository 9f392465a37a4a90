//! Routing-rule evaluation: an organization's ordered rules are compiled once (time zones
//! parsed, calendars resolved) and then evaluated per call, first match wins. The answer
//! names the rule that matched and, for every earlier rule, which of its conditions failed,
//! so a supervisor can see why a call went where it did. Storing and editing rules is the
//! API's job; the rule types live in `cc_types::routing`.

mod facts;

use std::collections::BTreeMap;

use cc_types::business_hours::{BusinessHours, HoursStatus};
use cc_types::routing::{RoutingAction, RoutingCondition, RoutingRule};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::hours::{Calendar, HoursError};

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

#[derive(Debug, Clone)]
enum Check {
    CalledNumber(Vec<String>),
    CallerPrefix(String),
    CallerCountry(Vec<String>),
    TimeWindow(Box<Calendar>),
    Hours(usize, HoursStatus),
    Language(Vec<String>),
    CustomerTag(Vec<String>),
    Segment(Vec<String>),
    Variable(String, String),
    Intent(Vec<String>),
}

#[derive(Debug, Clone)]
struct CompiledRule {
    id: Uuid,
    checks: Vec<Check>,
    action: RoutingAction,
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
        let rules = rules
            .iter()
            .map(|rule| compile_rule(rule, &calendar_index))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            rules,
            calendars: compiled_calendars,
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
        let mut misses = Vec::new();
        for (position, rule) in self.rules.iter().enumerate() {
            let mut failed_mask = 0u64;
            for (i, check) in rule.checks.iter().enumerate() {
                if !self.holds(check, facts, &mut hours) {
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

    fn holds(&self, check: &Check, facts: &CallFacts, hours: &mut [Option<HoursStatus>]) -> bool {
        let any = |list: &[String], value: Option<&str>| {
            value.is_some_and(|v| list.iter().any(|x| x == v))
        };
        match check {
            Check::CalledNumber(list) => any(list, Some(&facts.called)),
            Check::CallerPrefix(prefix) => facts.caller.starts_with(prefix.as_str()),
            Check::CallerCountry(list) => any(list, facts.caller_country.as_deref()),
            Check::TimeWindow(calendar) => calendar.status_at(facts.at) == HoursStatus::Open,
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
            Check::Language(list) => any(list, facts.language.as_deref()),
            Check::CustomerTag(list) => facts.tags.iter().any(|t| list.contains(t)),
            Check::Segment(list) => any(list, facts.segment.as_deref()),
            Check::Variable(name, value) => facts.variables.get(name).is_some_and(|v| v == value),
            Check::Intent(list) => any(list, facts.intent.as_deref()),
        }
    }
}

fn compile_rule(
    rule: &RoutingRule,
    calendars: &BTreeMap<Uuid, usize>,
) -> Result<CompiledRule, RoutingError> {
    if rule.conditions.len() > MAX_CONDITIONS {
        return Err(RoutingError::TooManyConditions { rule: rule.id });
    }
    if let RoutingAction::Queue { priority, .. } = rule.action
        && !(1..=10).contains(&priority)
    {
        return Err(RoutingError::InvalidPriority {
            rule: rule.id,
            priority,
        });
    }
    let checks = rule
        .conditions
        .iter()
        .map(|c| compile_condition(rule.id, c, calendars))
        .collect::<Result<_, _>>()?;
    Ok(CompiledRule {
        id: rule.id,
        checks,
        action: rule.action.clone(),
    })
}

fn compile_condition(
    rule: Uuid,
    condition: &RoutingCondition,
    calendars: &BTreeMap<Uuid, usize>,
) -> Result<Check, RoutingError> {
    use RoutingCondition as C;
    Ok(match condition {
        C::CalledNumber { any_of } => Check::CalledNumber(any_of.clone()),
        C::CallerPrefix { prefix } => Check::CallerPrefix(prefix.clone()),
        C::CallerCountry { any_of } => Check::CallerCountry(any_of.clone()),
        C::TimeWindow {
            time_zone,
            days,
            from,
            to,
        } => {
            let ranges = days.iter().map(|d| (*d, *from, *to));
            let calendar = Calendar::weekly(time_zone, ranges)
                .map_err(|source| RoutingError::Hours { rule, source })?;
            Check::TimeWindow(Box::new(calendar))
        }
        C::BusinessHours { calendar, status } => {
            let index = calendars
                .get(calendar)
                .ok_or(RoutingError::UnknownCalendar {
                    rule,
                    calendar: *calendar,
                })?;
            Check::Hours(*index, *status)
        }
        C::Language { any_of } => Check::Language(any_of.clone()),
        C::CustomerTag { any_of } => Check::CustomerTag(any_of.clone()),
        C::Segment { any_of } => Check::Segment(any_of.clone()),
        C::Variable { name, equals } => Check::Variable(name.clone(), equals.clone()),
        C::Intent { any_of } => Check::Intent(any_of.clone()),
    })
}

#[cfg(test)]
mod tests;
