//! Which contact to dial next, and scheduled callbacks.
//!
//! A due callback comes first; then higher priority, then the earliest next-attempt time
//! (never-called contacts count as due since forever), then the contact with more attempts
//! left. Contacts without attempts left, not yet due, or refused by the caller's check
//! (calling window, do-not-call: see [`super::gate`]) are skipped.

use std::cmp::Reverse;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

use crate::windows::first_instant_at_or_after;

/// A callback agreed with the customer, in the customer's local time.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledCallback<A> {
    /// The local date and time agreed.
    pub local_time: NaiveDateTime,
    /// The customer's zone.
    pub zone: Tz,
    /// The agent who promised the callback, if it was personal.
    pub agent: Option<A>,
}

impl<A> ScheduledCallback<A> {
    /// The instant the callback is due: the agreed local time, the earlier instant when the
    /// clocks go back and it happens twice, the end of the gap when they go forward.
    pub fn due_at(&self) -> Option<DateTime<Utc>> {
        first_instant_at_or_after(self.zone, self.local_time)
    }
}

/// Who should take a callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackRoute<A> {
    /// The agent who promised it, who is logged in.
    SameAgent(A),
    /// Anyone on the campaign: the agent is not logged in or none was named.
    AnyAgent,
}

/// Routes a due callback to its agent when that agent is logged in.
pub fn route_callback<A: PartialEq + Copy>(
    callback: &ScheduledCallback<A>,
    logged_in: &[A],
) -> CallbackRoute<A> {
    match callback.agent {
        Some(agent) if logged_in.contains(&agent) => CallbackRoute::SameAgent(agent),
        _ => CallbackRoute::AnyAgent,
    }
}

/// What selection needs to know about a contact.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactState<C, A> {
    /// The contact's id.
    pub id: C,
    /// Higher is called first.
    pub priority: i32,
    /// Not before this instant; `None` for a contact never called.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Attempts the retry policy still allows.
    pub attempts_left: u32,
    /// A callback agreed with the customer.
    pub callback: Option<ScheduledCallback<A>>,
}

impl<C, A> ContactState<C, A> {
    /// The instant from which the contact may be dialed, or `None` if it never may.
    fn due_from(&self) -> Option<Option<DateTime<Utc>>> {
        if self.attempts_left == 0 {
            return None;
        }
        match &self.callback {
            Some(callback) => callback.due_at().map(Some),
            None => Some(self.next_attempt_at),
        }
    }
}

/// Ordering key: due callbacks, then priority, then due time, then attempts left.
fn rank<C, A>(c: &ContactState<C, A>) -> (bool, Reverse<i32>, Option<DateTime<Utc>>, Reverse<u32>) {
    let due = c
        .callback
        .as_ref()
        .and_then(ScheduledCallback::due_at)
        .or(c.next_attempt_at);
    (
        c.callback.is_none(),
        Reverse(c.priority),
        due,
        Reverse(c.attempts_left),
    )
}

/// The contact to dial at `now`, among those `may_dial` accepts.
pub fn next_contact<C, A>(
    contacts: &[ContactState<C, A>],
    now: DateTime<Utc>,
    mut may_dial: impl FnMut(&ContactState<C, A>) -> bool,
) -> Option<&ContactState<C, A>> {
    contacts
        .iter()
        .filter(|c| {
            c.due_from()
                .is_some_and(|from| from.is_none_or(|t| t <= now))
        })
        .filter(|c| may_dial(c))
        .min_by_key(|c| rank(c))
}

#[cfg(test)]
#[path = "contacts_tests.rs"]
mod tests;
