//! The topics the screens listen to: how many screens use each, and each topic's own
//! deliveries, so a screen hears its topics and nothing else.
//!
//! A screen calls [`use_topic`] for as long as it lives. The first user of a topic makes
//! the connection subscribe; when the last one leaves, it unsubscribes. Every subscribed
//! topic is subscribed again after a reconnection.

use std::collections::HashMap;

use cc_types::events::{DomainEvent, Topic};
use leptos::prelude::*;

use super::Realtime;

/// How many recent events a topic keeps for its screens.
const KEPT_EVENTS: usize = 50;

/// What a screen receives from one topic.
#[derive(Clone, Copy)]
pub struct TopicFeed {
    /// The topic's recent events, newest first.
    pub events: Signal<Vec<DomainEvent>>,
    /// Moves whenever the screen should reload what it shows: an event of this topic
    /// arrived, the server dropped events for this connection (resync), or the
    /// subscription was renewed after a reconnection, across which events were missed.
    pub changes: Signal<u64>,
}

impl TopicFeed {
    /// A feed that never delivers: for a screen built while the connection is going away.
    pub(super) fn idle() -> TopicFeed {
        TopicFeed {
            events: Signal::stored(Vec::new()),
            changes: Signal::stored(0),
        }
    }
}

/// Subscribes to `topic` while the calling component lives.
pub fn use_topic(topic: Topic) -> TopicFeed {
    let realtime = expect_context::<Realtime>();
    let feed = realtime.join(topic);
    on_cleanup(move || realtime.leave(topic));
    feed
}

/// One topic's deliveries. The signals are reference-counted, not owned by a screen, so
/// they outlive any one of the screens sharing them.
#[derive(Clone)]
pub(super) struct Deliveries {
    events: ArcRwSignal<Vec<DomainEvent>>,
    changes: ArcRwSignal<u64>,
}

impl Deliveries {
    pub fn event(&self, event: DomainEvent) {
        self.events.update(|list| {
            list.insert(0, event);
            list.truncate(KEPT_EVENTS);
        });
        self.changed();
    }

    pub fn changed(&self) {
        self.changes.update(|n| *n += 1);
    }
}

struct Entry {
    users: usize,
    /// The server confirmed this topic on some connection already.
    confirmed_before: bool,
    deliveries: Deliveries,
}

/// The topics in use on the connection, with how many screens use each. It only counts
/// and hands out [`Deliveries`]; the connection notifies them after letting go of this.
#[derive(Default)]
pub(super) struct Topics(HashMap<Topic, Entry>);

impl Topics {
    /// Adds a user of `topic`; `true` when it is the first, so the connection subscribes.
    pub fn join(&mut self, topic: Topic) -> (TopicFeed, bool) {
        let entry = self.0.entry(topic).or_insert_with(|| Entry {
            users: 0,
            confirmed_before: false,
            deliveries: Deliveries {
                events: ArcRwSignal::new(Vec::new()),
                changes: ArcRwSignal::new(0),
            },
        });
        entry.users += 1;
        let feed = TopicFeed {
            events: entry.deliveries.events.read_only().into(),
            changes: entry.deliveries.changes.read_only().into(),
        };
        (feed, entry.users == 1)
    }

    /// Removes a user of `topic`; `true` when it was the last, so the connection unsubscribes.
    pub fn leave(&mut self, topic: Topic) -> bool {
        let Some(entry) = self.0.get_mut(&topic) else {
            return false;
        };
        entry.users = entry.users.saturating_sub(1);
        if entry.users > 0 {
            return false;
        }
        self.0.remove(&topic);
        true
    }

    pub fn all(&self) -> Vec<Topic> {
        self.0.keys().copied().collect()
    }

    /// Where an event of `topic` goes: that topic's screens only.
    pub fn of(&self, topic: Topic) -> Option<Deliveries> {
        self.0.get(&topic).map(|e| e.deliveries.clone())
    }

    /// The server confirmed a subscription. Answers the screens to reload: those of a topic
    /// confirmed before, on an earlier connection, since events were missed in between.
    pub fn confirmed(&mut self, topic: Topic) -> Option<Deliveries> {
        let entry = self.0.get_mut(&topic)?;
        let again = std::mem::replace(&mut entry.confirmed_before, true);
        again.then(|| entry.deliveries.clone())
    }

    /// Every topic's screens, for a resync (the server dropped events of this connection).
    pub fn every(&self) -> Vec<Deliveries> {
        self.0.values().map(|e| e.deliveries.clone()).collect()
    }
}
