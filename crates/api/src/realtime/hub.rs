//! Local fan-out of events to this instance's WebSocket connections.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use cc_types::events::{DomainEvent, Topic};
use tokio::sync::mpsc;
use uuid::Uuid;

/// What the hub hands a connection's writer.
#[derive(Debug, Clone, PartialEq)]
pub enum Outbound {
    /// An event on a subscribed topic.
    Event(Topic, DomainEvent),
    /// Events were dropped; the client must reload state.
    Resync,
}

/// One connection as the hub sees it.
pub struct Conn {
    /// Connection id.
    pub id: Uuid,
    /// Organization whose events it may receive.
    pub org: Uuid,
    topics: RwLock<HashSet<Topic>>,
    tx: mpsc::Sender<Outbound>,
    lagged: AtomicBool,
}

impl Conn {
    /// Starts following `topic`.
    pub fn subscribe(&self, topic: Topic) {
        self.topics
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(topic);
    }

    /// Stops following `topic`.
    pub fn unsubscribe(&self, topic: &Topic) {
        self.topics
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(topic);
    }

    fn follows(&self, topic: &Topic) -> bool {
        self.topics
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains(topic)
    }

    /// Queues a message without waiting. When the buffer is full the message is dropped
    /// and the connection marked; the next message that fits is preceded by `Resync`.
    fn offer(&self, msg: Outbound) {
        if self.lagged.load(Ordering::Acquire) {
            if self.tx.try_send(Outbound::Resync).is_err() {
                metrics::counter!("ws_events_dropped_total").increment(1);
                return;
            }
            self.lagged.store(false, Ordering::Release);
        }
        if let Err(mpsc::error::TrySendError::Full(_)) = self.tx.try_send(msg) {
            self.lagged.store(true, Ordering::Release);
            metrics::counter!("ws_events_dropped_total").increment(1);
        }
    }
}

/// Something inside the server that reacts to events from any instance (cache
/// invalidation), called before the events fan out to WebSocket subscribers.
pub type Listener = Box<dyn Fn(Uuid, &DomainEvent) + Send + Sync>;

/// The connections of this instance.
pub struct Hub {
    conns: RwLock<HashMap<Uuid, Arc<Conn>>>,
    listeners: RwLock<Vec<Listener>>,
    buffer: usize,
}

impl Hub {
    /// A hub whose connections buffer at most `buffer` messages each.
    pub fn new(buffer: usize) -> Arc<Hub> {
        Arc::new(Hub {
            conns: RwLock::new(HashMap::new()),
            listeners: RwLock::new(Vec::new()),
            buffer,
        })
    }

    /// Adds a connection of `org`; the receiver feeds its writer.
    pub fn register(&self, org: Uuid) -> (Arc<Conn>, mpsc::Receiver<Outbound>) {
        let (tx, rx) = mpsc::channel(self.buffer);
        let conn = Arc::new(Conn {
            id: Uuid::now_v7(),
            org,
            topics: RwLock::new(HashSet::new()),
            tx,
            lagged: AtomicBool::new(false),
        });
        let mut map = self.conns.write().unwrap_or_else(|p| p.into_inner());
        map.insert(conn.id, Arc::clone(&conn));
        metrics::gauge!("ws_connections").set(map.len() as f64);
        (conn, rx)
    }

    /// Removes a connection.
    pub fn unregister(&self, id: &Uuid) {
        let mut map = self.conns.write().unwrap_or_else(|p| p.into_inner());
        map.remove(id);
        metrics::gauge!("ws_connections").set(map.len() as f64);
    }

    /// Registers an in-server listener of every event.
    pub fn listen(&self, listener: Listener) {
        self.listeners
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .push(listener);
    }

    /// Hands an event to the listeners, then to every connection of `org` that follows `topic`.
    pub fn deliver(&self, org: Uuid, topic: Topic, event: &DomainEvent) {
        for listener in self
            .listeners
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
        {
            listener(org, event);
        }
        let targets: Vec<Arc<Conn>> = {
            let map = self.conns.read().unwrap_or_else(|p| p.into_inner());
            map.values()
                .filter(|c| c.org == org && c.follows(&topic))
                .cloned()
                .collect()
        };
        for conn in targets {
            conn.offer(Outbound::Event(topic, event.clone()));
        }
        metrics::counter!("ws_events_published_total").increment(1);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn notice(i: usize) -> DomainEvent {
        DomainEvent::Notice {
            message: i.to_string(),
        }
    }

    #[test]
    fn events_reach_only_subscribers_of_the_same_organization() {
        let hub = Hub::new(8);
        let (org_a, org_b) = (Uuid::now_v7(), Uuid::now_v7());
        let (a, mut rx_a) = hub.register(org_a);
        let (b, mut rx_b) = hub.register(org_b);
        let (_quiet, mut rx_quiet) = hub.register(org_a);
        a.subscribe(Topic::Organization);
        b.subscribe(Topic::Organization);
        hub.deliver(org_a, Topic::Organization, &notice(1));
        assert_eq!(
            rx_a.try_recv().unwrap(),
            Outbound::Event(Topic::Organization, notice(1))
        );
        assert!(rx_b.try_recv().is_err());
        assert!(rx_quiet.try_recv().is_err());
    }

    #[test]
    fn a_slow_consumer_gets_resync_instead_of_unbounded_memory() {
        let hub = Hub::new(4);
        let org = Uuid::now_v7();
        let (conn, mut rx) = hub.register(org);
        conn.subscribe(Topic::Organization);
        for i in 0..10 {
            hub.deliver(org, Topic::Organization, &notice(i));
        }
        let first: Vec<Outbound> = std::iter::from_fn(|| rx.try_recv().ok()).collect();
        assert_eq!(first.len(), 4, "the buffer holds at most its capacity");
        assert_eq!(first[3], Outbound::Event(Topic::Organization, notice(3)));
        hub.deliver(org, Topic::Organization, &notice(10));
        assert_eq!(rx.try_recv().unwrap(), Outbound::Resync);
        assert_eq!(
            rx.try_recv().unwrap(),
            Outbound::Event(Topic::Organization, notice(10))
        );
    }
}
