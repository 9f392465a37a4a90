//! Local fan-out of events to this instance's WebSocket connections, indexed by
//! organization (an event is offered only to its organization's connections) and by user
//! (so that ending a user's sessions closes their sockets, and one user cannot open
//! unbounded sockets).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use cc_types::events::{DomainEvent, Topic};
use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, mpsc};
use uuid::Uuid;

use super::connection::Caller;

/// Whose sockets to close, inside one organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Disconnect {
    /// Every socket opened in one session (logout).
    Session(Uuid),
    /// Every socket of a user (deactivation, role or password change).
    User(Uuid),
}

/// A user already holds the most sockets allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyConnections;

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
    /// The person who opened it, if a person did.
    pub user_id: Option<Uuid>,
    /// The session it was opened in.
    pub session_id: Option<Uuid>,
    topics: RwLock<HashSet<Topic>>,
    tx: mpsc::Sender<Outbound>,
    lagged: AtomicBool,
    closing: AtomicBool,
    close: Notify,
}

impl Conn {
    /// Starts following `topic`.
    pub fn subscribe(&self, topic: Topic) {
        self.topics
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(topic);
    }

    /// Starts following `topic` unless `max` topics are followed already (a topic followed
    /// already is fine); false when refused.
    pub fn subscribe_within(&self, topic: Topic, max: usize) -> bool {
        let mut topics = self.topics.write().unwrap_or_else(|p| p.into_inner());
        if topics.len() >= max && !topics.contains(&topic) {
            return false;
        }
        topics.insert(topic);
        true
    }

    /// Asks the connection's task to close the socket.
    pub fn close(&self) {
        self.closing.store(true, Ordering::Release);
        // A stored permit wakes the task even if it is not waiting right now.
        self.close.notify_one();
    }

    /// Resolves once [`Conn::close`] was called.
    pub async fn closed(&self) {
        if self.closing.load(Ordering::Acquire) {
            return;
        }
        self.close.notified().await;
    }

    fn matches(&self, target: Disconnect) -> bool {
        match target {
            Disconnect::Session(id) => self.session_id == Some(id),
            Disconnect::User(id) => self.user_id == Some(id),
        }
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

/// The connections of this instance, by organization.
pub struct Hub {
    conns: RwLock<HashMap<Uuid, HashMap<Uuid, Arc<Conn>>>>,
    per_user: RwLock<HashMap<Uuid, usize>>,
    listeners: RwLock<Vec<Listener>>,
    buffer: usize,
    max_per_user: usize,
}

impl Hub {
    /// A hub whose connections buffer at most `buffer` messages each.
    pub fn new(buffer: usize) -> Arc<Hub> {
        Hub::with_limits(buffer, usize::MAX)
    }

    /// A hub that also lets one user hold at most `max_per_user` connections.
    pub fn with_limits(buffer: usize, max_per_user: usize) -> Arc<Hub> {
        Arc::new(Hub {
            conns: RwLock::new(HashMap::new()),
            per_user: RwLock::new(HashMap::new()),
            listeners: RwLock::new(Vec::new()),
            buffer,
            max_per_user,
        })
    }

    /// Adds a connection for `caller`; the receiver feeds its writer.
    pub fn register(
        &self,
        caller: &Caller,
    ) -> Result<(Arc<Conn>, mpsc::Receiver<Outbound>), TooManyConnections> {
        if let Some(user) = caller.user_id {
            let mut counts = self.per_user.write().unwrap_or_else(|p| p.into_inner());
            let n = counts.entry(user).or_default();
            if *n >= self.max_per_user {
                metrics::counter!("ws_connections_refused_total").increment(1);
                return Err(TooManyConnections);
            }
            *n += 1;
        }
        let (tx, rx) = mpsc::channel(self.buffer);
        let conn = Arc::new(Conn {
            id: Uuid::now_v7(),
            org: caller.org,
            user_id: caller.user_id,
            session_id: caller.session_id,
            topics: RwLock::new(HashSet::new()),
            tx,
            lagged: AtomicBool::new(false),
            closing: AtomicBool::new(false),
            close: Notify::new(),
        });
        let mut map = self.conns.write().unwrap_or_else(|p| p.into_inner());
        map.entry(caller.org)
            .or_default()
            .insert(conn.id, Arc::clone(&conn));
        metrics::gauge!("ws_connections").increment(1.0);
        Ok((conn, rx))
    }

    /// Removes a connection.
    pub fn unregister(&self, conn: &Conn) {
        let mut map = self.conns.write().unwrap_or_else(|p| p.into_inner());
        if let Some(of_org) = map.get_mut(&conn.org)
            && of_org.remove(&conn.id).is_some()
        {
            metrics::gauge!("ws_connections").decrement(1.0);
            if of_org.is_empty() {
                map.remove(&conn.org);
            }
            drop(map);
            if let Some(user) = conn.user_id {
                let mut counts = self.per_user.write().unwrap_or_else(|p| p.into_inner());
                if let Some(n) = counts.get_mut(&user) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        counts.remove(&user);
                    }
                }
            }
        }
    }

    /// Closes this instance's sockets of `org` that `target` names; how many.
    pub fn disconnect(&self, org: Uuid, target: Disconnect) -> usize {
        let map = self.conns.read().unwrap_or_else(|p| p.into_inner());
        let mut closed = 0;
        for conn in map.get(&org).into_iter().flat_map(|c| c.values()) {
            if conn.matches(target) {
                conn.close();
                closed += 1;
            }
        }
        metrics::counter!("ws_connections_closed_by_server_total").increment(closed as u64);
        closed
    }

    /// Open connections of `org` on this instance.
    pub fn connections_of(&self, org: Uuid) -> usize {
        let map = self.conns.read().unwrap_or_else(|p| p.into_inner());
        map.get(&org).map_or(0, HashMap::len)
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
            map.get(&org)
                .into_iter()
                .flat_map(|c| c.values())
                .filter(|c| c.follows(&topic))
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

    fn caller(org: Uuid, user: Option<Uuid>) -> Caller {
        Caller {
            org,
            user_id: user,
            role: cc_types::Role::Agent,
            session_id: None,
        }
    }

    fn notice(i: usize) -> DomainEvent {
        DomainEvent::Notice {
            message: i.to_string(),
        }
    }

    #[test]
    fn events_reach_only_subscribers_of_the_same_organization() {
        let hub = Hub::new(8);
        let (org_a, org_b) = (Uuid::now_v7(), Uuid::now_v7());
        let (a, mut rx_a) = hub.register(&caller(org_a, None)).unwrap();
        let (b, mut rx_b) = hub.register(&caller(org_b, None)).unwrap();
        let (_quiet, mut rx_quiet) = hub.register(&caller(org_a, None)).unwrap();
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
        let (conn, mut rx) = hub.register(&caller(org, None)).unwrap();
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

    #[tokio::test]
    async fn a_user_holds_a_bounded_number_of_sockets_and_closing_frees_one() {
        let hub = Hub::with_limits(8, 2);
        let (org, user) = (Uuid::now_v7(), Uuid::now_v7());
        let me = caller(org, Some(user));
        let (first, _rx1) = hub.register(&me).unwrap();
        let (_second, _rx2) = hub.register(&me).unwrap();
        assert_eq!(hub.register(&me).err(), Some(TooManyConnections));
        assert!(hub.register(&caller(org, Some(Uuid::now_v7()))).is_ok());
        hub.unregister(&first);
        assert!(hub.register(&me).is_ok());
    }

    #[tokio::test]
    async fn disconnecting_a_user_closes_only_their_sockets_in_their_organization() {
        let hub = Hub::new(8);
        let (org, user, other) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let (mine, _a) = hub.register(&caller(org, Some(user))).unwrap();
        let (theirs, _b) = hub.register(&caller(org, Some(other))).unwrap();
        assert_eq!(hub.disconnect(Uuid::now_v7(), Disconnect::User(user)), 0);
        assert_eq!(hub.disconnect(org, Disconnect::User(user)), 1);
        tokio::time::timeout(std::time::Duration::from_secs(1), mine.closed())
            .await
            .unwrap();
        assert!(!theirs.closing.load(Ordering::Acquire));
    }

    #[test]
    fn a_connection_follows_a_bounded_number_of_topics() {
        let hub = Hub::new(8);
        let (conn, _rx) = hub.register(&caller(Uuid::now_v7(), None)).unwrap();
        assert!(conn.subscribe_within(Topic::Organization, 2));
        assert!(conn.subscribe_within(Topic::Queue(Uuid::now_v7()), 2));
        assert!(!conn.subscribe_within(Topic::Queue(Uuid::now_v7()), 2));
        assert!(
            conn.subscribe_within(Topic::Organization, 2),
            "already followed"
        );
    }
}
