//! Compiling routing rules: conditions become checks with time zones parsed, calendars
//! resolved to indexes and time windows reduced to a day mask and two local times, so
//! evaluation does no parsing and converts the call's time once per time zone.

use std::collections::BTreeMap;

use cc_types::business_hours::HoursStatus;
use cc_types::routing::{RoutingAction, RoutingCondition, RoutingRule};
use chrono::{DateTime, Datelike, NaiveTime, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::{MAX_CONDITIONS, RoutingError};
use crate::hours::{HoursError, weekday_index};

/// A weekly window in a time zone; overnight when `to <= from`.
#[derive(Debug, Clone)]
pub struct Window {
    zone: usize,
    days: [bool; 7],
    from: NaiveTime,
    to: NaiveTime,
}

impl Window {
    /// Is the call's local time inside the window?
    pub fn open(&self, local: &mut LocalTimes<'_>) -> bool {
        let Some((day, time)) = local.get(self.zone) else {
            return false;
        };
        let on = |d: usize| self.days.get(d).copied().unwrap_or(false);
        if self.from < self.to {
            on(day) && self.from <= time && time < self.to
        } else {
            (on(day) && time >= self.from) || (on((day + 6) % 7) && time < self.to)
        }
    }
}

/// The call's local weekday (Monday = 0) and time per time zone, computed on first use.
pub struct LocalTimes<'a> {
    zones: &'a [Tz],
    at: DateTime<Utc>,
    cache: Vec<Option<(usize, NaiveTime)>>,
}

impl<'a> LocalTimes<'a> {
    /// Nothing computed yet.
    pub fn new(zones: &'a [Tz], at: DateTime<Utc>) -> Self {
        Self {
            zones,
            at,
            cache: vec![None; zones.len()],
        }
    }

    fn get(&mut self, zone: usize) -> Option<(usize, NaiveTime)> {
        let tz = *self.zones.get(zone)?;
        let at = self.at;
        let slot = self.cache.get_mut(zone)?;
        Some(*slot.get_or_insert_with(|| {
            let local = at.with_timezone(&tz);
            (
                local.weekday().num_days_from_monday() as usize,
                local.time(),
            )
        }))
    }
}

/// A list of symbols stored in the rule set's shared arena.
#[derive(Debug, Clone, Copy)]
pub struct List {
    start: u32,
    len: u32,
}

impl List {
    /// The list's symbols.
    pub fn of(self, arena: &[u32]) -> &[u32] {
        let start = self.start as usize;
        arena.get(start..start + self.len as usize).unwrap_or(&[])
    }
}

/// Every text a rule compares against gets a number, so evaluation compares integers; the
/// lists of numbers of all rules sit in one arena, next to each other in memory.
#[derive(Debug, Clone, Default)]
pub struct Symbols {
    numbers: BTreeMap<String, u32>,
    /// Every list's symbols, back to back.
    pub arena: Vec<u32>,
}

impl Symbols {
    fn intern_all(&mut self, texts: &[String]) -> List {
        let start = u32::try_from(self.arena.len()).unwrap_or(u32::MAX);
        for t in texts {
            let next = u32::try_from(self.numbers.len()).unwrap_or(u32::MAX);
            let n = *self.numbers.entry(t.clone()).or_insert(next);
            self.arena.push(n);
        }
        List {
            start,
            len: u32::try_from(texts.len()).unwrap_or(u32::MAX),
        }
    }

    /// The number of a text, if any rule mentions it.
    pub fn get(&self, text: Option<&str>) -> Option<u32> {
        text.and_then(|t| self.numbers.get(t).copied())
    }
}

/// The facts of one call as symbols.
pub struct CallSymbols {
    pub called: Option<u32>,
    pub country: Option<u32>,
    pub language: Option<u32>,
    pub segment: Option<u32>,
    pub intent: Option<u32>,
    pub tags: Vec<u32>,
}

/// A condition ready to check.
#[derive(Debug, Clone)]
pub enum Check {
    CalledNumber(List),
    CallerPrefix(Box<str>),
    CallerCountry(List),
    TimeWindow(Window),
    Hours(usize, HoursStatus),
    Language(List),
    CustomerTag(List),
    Segment(List),
    Variable(Box<(String, String)>),
    Intent(List),
}

/// A rule ready to evaluate.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub id: Uuid,
    /// Where the rule's checks sit in the rule set's check list.
    pub checks: std::ops::Range<usize>,
    pub action: RoutingAction,
}

pub fn compile_rule(
    rule: &RoutingRule,
    calendars: &BTreeMap<Uuid, usize>,
    zones: &mut Vec<Tz>,
    symbols: &mut Symbols,
    checks: &mut Vec<Check>,
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
    let start = checks.len();
    for condition in &rule.conditions {
        checks.push(compile_condition(
            rule.id, condition, calendars, zones, symbols,
        )?);
    }
    Ok(CompiledRule {
        id: rule.id,
        checks: start..checks.len(),
        action: rule.action.clone(),
    })
}

fn zone_index(rule: Uuid, name: &str, zones: &mut Vec<Tz>) -> Result<usize, RoutingError> {
    let tz: Tz = name.parse().map_err(|_| RoutingError::Hours {
        rule,
        source: HoursError::UnknownTimeZone(name.to_owned()),
    })?;
    Ok(zones.iter().position(|z| *z == tz).unwrap_or_else(|| {
        zones.push(tz);
        zones.len() - 1
    }))
}

fn compile_condition(
    rule: Uuid,
    condition: &RoutingCondition,
    calendars: &BTreeMap<Uuid, usize>,
    zones: &mut Vec<Tz>,
    symbols: &mut Symbols,
) -> Result<Check, RoutingError> {
    use RoutingCondition as C;
    Ok(match condition {
        C::CalledNumber { any_of } => Check::CalledNumber(symbols.intern_all(any_of)),
        C::CallerPrefix { prefix } => Check::CallerPrefix(prefix.as_str().into()),
        C::CallerCountry { any_of } => Check::CallerCountry(symbols.intern_all(any_of)),
        C::TimeWindow {
            time_zone,
            days,
            from,
            to,
        } => {
            if from == to {
                let day = days
                    .first()
                    .copied()
                    .unwrap_or(cc_types::business_hours::Weekday::Monday);
                return Err(RoutingError::Hours {
                    rule,
                    source: HoursError::EmptyRange { day, at: *from },
                });
            }
            let zone = zone_index(rule, time_zone, zones)?;
            let mut mask = [false; 7];
            for d in days {
                if let Some(slot) = mask.get_mut(weekday_index(*d)) {
                    *slot = true;
                }
            }
            Check::TimeWindow(Window {
                zone,
                days: mask,
                from: *from,
                to: *to,
            })
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
        C::Language { any_of } => Check::Language(symbols.intern_all(any_of)),
        C::CustomerTag { any_of } => Check::CustomerTag(symbols.intern_all(any_of)),
        C::Segment { any_of } => Check::Segment(symbols.intern_all(any_of)),
        C::Variable { name, equals } => Check::Variable(Box::new((name.clone(), equals.clone()))),
        C::Intent { any_of } => Check::Intent(symbols.intern_all(any_of)),
    })
}
