//! Time-driven queue behaviour: maximum wait, relaxation steps that move a contact to
//! another queue, queue-full overflow, and re-matching idle agents once relaxation or a
//! sticky-routing window makes new contacts eligible.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::engine::AcdEngine;
use super::model::{ContactId, Decision, OverflowAction, QueueId, Relax, Rule, Why};
use super::state::ContactEntry;

enum Due {
    Move(QueueId, usize),
    MaxWait,
}

impl AcdEngine {
    /// Applies the queue's overflow action to a contact that is in no index.
    pub(super) fn overflow(
        &mut self,
        id: ContactId,
        at: DateTime<Utc>,
        rule: Rule,
        hops: usize,
    ) -> Vec<Decision> {
        let Some(contact) = self.state().contacts.get(&id) else {
            return Vec::new();
        };
        let from = contact.queue;
        let action = self.state().queues.get(&from).map(|q| q.overflow.clone());
        let why = Why {
            rule,
            relaxation_step: 0,
        };
        match action {
            Some(OverflowAction::Queue { queue: to })
                if to != from && self.state().queues.contains_key(&to) =>
            {
                self.move_to(id, to, at, why, hops)
            }
            Some(action @ OverflowAction::CallbackOffer) => {
                if let Some(entry) = self.state_mut().contacts.get_mut(&id) {
                    entry.overflowed = true;
                }
                self.put_in_queue(id);
                vec![Decision::Overflow {
                    contact: id,
                    queue: from,
                    action,
                    why,
                }]
            }
            Some(
                action @ (OverflowAction::Voicemail { .. } | OverflowAction::FlowBranch { .. }),
            ) => {
                self.state_mut().contacts.remove(&id);
                vec![Decision::Overflow {
                    contact: id,
                    queue: from,
                    action,
                    why,
                }]
            }
            _ => {
                self.put_in_queue(id);
                vec![Decision::Enqueued {
                    contact: id,
                    queue: from,
                    why,
                }]
            }
        }
    }

    /// Moves a contact (in no index) to another queue; it keeps its arrival time and so
    /// its first-come place, while relaxation and maximum wait restart in the new queue.
    fn move_to(
        &mut self,
        id: ContactId,
        to: QueueId,
        at: DateTime<Utc>,
        why: Why,
        hops: usize,
    ) -> Vec<Decision> {
        let Some(entry) = self.state_mut().contacts.get_mut(&id) else {
            return Vec::new();
        };
        let from = entry.queue;
        entry.queue = to;
        entry.entered_at = at;
        entry.overflowed = false;
        let mut out = vec![Decision::Moved {
            contact: id,
            from,
            to,
            why,
        }];
        out.extend(self.place(id, at, hops + 1));
        out
    }

    /// Contacts whose maximum wait or overflow step has come, oldest first.
    fn due(&self, at: DateTime<Utc>) -> Vec<(ContactId, Due)> {
        let at_ms = at.timestamp_millis();
        let mut due = Vec::new();
        for (queue_id, config) in &self.state().queues {
            let Some(queue) = self.index().queues.get(queue_id) else {
                continue;
            };
            let moves: Vec<(i64, QueueId, usize)> = config
                .relaxation
                .iter()
                .enumerate()
                .filter_map(|(i, s)| match s.relax {
                    Relax::Overflow { queue } if queue != *queue_id => {
                        Some((i64::from(s.after_secs) * 1000, queue, i + 1))
                    }
                    _ => None,
                })
                .collect();
            let max_wait = config.max_wait_secs.map(|s| i64::from(s) * 1000);
            let Some(first) = moves.iter().map(|m| m.0).chain(max_wait).min() else {
                continue;
            };
            for (entered, _, id) in &queue.by_entry {
                let waited = at_ms - entered;
                if waited < first {
                    break;
                }
                let Some(contact) = self.state().contacts.get(id) else {
                    continue;
                };
                if let Some((_, to, step)) = moves.iter().rfind(|m| m.0 <= waited) {
                    due.push((*id, Due::Move(*to, *step)));
                } else if max_wait.is_some_and(|m| waited >= m)
                    && !contact.request.callback
                    && !contact.overflowed
                {
                    due.push((*id, Due::MaxWait));
                }
            }
        }
        due
    }

    /// Time passed: overflow what is due, then offer newly eligible contacts to idle agents.
    pub(super) fn tick(&mut self, at: DateTime<Utc>) -> Vec<Decision> {
        let mut out = Vec::new();
        for (id, due) in self.due(at) {
            self.take_out_of_queue(id);
            match due {
                Due::Move(to, step) => {
                    let why = Why {
                        rule: Rule::RelaxationOverflow,
                        relaxation_step: step,
                    };
                    out.extend(self.move_to(id, to, at, why, 0));
                }
                Due::MaxWait => out.extend(self.overflow(id, at, Rule::MaxWaitReached, 0)),
            }
        }
        let since = self
            .state
            .last_tick
            .map_or(i64::MIN, |t| t.timestamp_millis());
        self.state.last_tick = Some(at);
        let changed = self.changed_queues(since, at.timestamp_millis());
        for agent in self.idle_agents() {
            let serves_changed = self
                .state
                .agents
                .get(&agent)
                .is_some_and(|a| a.profile.queues.iter().any(|q| changed.contains(q)));
            if serves_changed {
                out.extend(self.serve_idle_agent(agent, at));
            }
        }
        out
    }

    /// Queues where, in `(since, now]`, a waiting contact reached a relaxation step or the
    /// end of its sticky window, or a reoffer block ended, plus queues whose configuration or
    /// idle agents changed: only their idle agents can have something new to take.
    fn changed_queues(&mut self, since: i64, now: i64) -> BTreeSet<QueueId> {
        let mut changed = std::mem::take(&mut self.state.dirty_queues);
        for (id, config) in &self.state.queues {
            let Some(queue) = self.index.queues.get(id) else {
                continue;
            };
            let relax = config
                .relaxation
                .iter()
                .filter(|s| !matches!(s.relax, Relax::Overflow { .. }));
            let mut thresholds: Vec<i64> = relax.map(|s| i64::from(s.after_secs) * 1000).collect();
            if config.sticky_wait_secs > 0 {
                thresholds.push(i64::from(config.sticky_wait_secs) * 1000);
            }
            let crossed = thresholds.iter().any(|t| {
                let low = (
                    since.saturating_sub(*t).saturating_add(1),
                    0,
                    ContactId(Uuid::nil()),
                );
                let high = (now.saturating_sub(*t), u64::MAX, ContactId(Uuid::max()));
                low <= high && queue.by_entry.range(low..=high).next().is_some()
            });
            if crossed {
                changed.insert(*id);
            }
        }
        while let Some(&(until, contact)) = self.index.unblocks.first() {
            if until > now {
                break;
            }
            self.index.unblocks.pop_first();
            let block_ended = |c: &ContactEntry| {
                c.declined
                    .iter()
                    .any(|(_, u)| u.timestamp_millis() == until)
            };
            if until > since
                && let Some(entry) = self.state.contacts.get(&contact).filter(|c| block_ended(c))
            {
                changed.insert(entry.queue);
            }
        }
        changed
    }
}
