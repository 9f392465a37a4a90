//! Local fan-out of events to this instance's WebSocket connections. One index, under
//! one lock, finds connections by (organization, topic) — an event is offered only to the
//! connections following its topic in its organization, never by scanning them all —
//! and by user and session, so that ending a user's sessions closes their sockets and
//! one user cannot open unbounded sockets.

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
    tx: mpsc::Sender<Outbound>,
    lagged: AtomicBool,
    closing: AtomicBool,
    close: Notify,
}

impl Conn {
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

#[derive(Default)]
struct Index {
    conns: HashMap<Uuid, Arc<Conn>>,
    topics: HashMap<Uuid, HashSet<Topic>>,
    by_org: HashMap<Uuid, HashSet<Uuid>>,
    by_topic: HashMap<(Uuid, Topic), HashSet<Uuid>>,
    per_user: HashMap<Uuid, usize>,
}

/// The connections of this instance.
pub struct Hub {
    index: RwLock<Index>,
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
            index: RwLock::new(Index::default()),
            listeners: RwLock::new(Vec::new()),
            buffer,
            max_per_user,
        })
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Index> {
        self.index.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Index> {
        self.index.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a connection for `caller`; the receiver feeds its writer.
    pub fn register(
        &self,
        caller: &Caller,
    ) -> Result<(Arc<Conn>, mpsc::Receiver<Outbound>), TooManyConnections> {
        let mut index = self.write();
        if let Some(user) = caller.user_id {
            let n = index.per_user.entry(user).or_default();
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
            tx,
            lagged: AtomicBool::new(false),
            closing: AtomicBool::new(false),
            close: Notify::new(),
        });
        index.conns.insert(conn.id, Arc::clone(&conn));
        index.by_org.entry(conn.org).or_default().insert(conn.id);
        metrics::gauge!("ws_connections").set(index.conns.len() as f64);
        Ok((conn, rx))
    }

    /// Removes a connection and its subscriptions.
    pub fn unregister(&self, conn: &Conn) {
        let mut index = self.write();
        if index.conns.remove(&conn.id).is_none() {
            return;
        }
        for topic in index.topics.remove(&conn.id).unwrap_or_default() {
            remove_from(&mut index.by_topic, &(conn.org, topic), &conn.id);
        }
        remove_from(&mut index.by_org, &conn.org, &conn.id);
        if let Some(user) = conn.user_id
            && let Some(n) = index.per_user.get_mut(&user)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                index.per_user.remove(&user);
            }
        }
        metrics::gauge!("ws_connections").set(index.conns.len() as f64);
    }

    /// Starts following `topic` on `conn` unless it follows `max` topics already (one
    /// followed already is fine); false when refused.
    pub fn subscribe(&self, conn: &Conn, topic: Topic, max: usize) -> bool {
        let mut index = self.write();
        if !index.conns.contains_key(&conn.id) {
            return false;
        }
        let topics = index.topics.entry(conn.id).or_default();
        if topics.len() >= max && !topics.contains(&topic) {
            return false;
        }
        topics.insert(topic);
        index
            .by_topic
            .entry((conn.org, topic))
            .or_default()
            .insert(conn.id);
        true
    }

    /// Stops following `topic` on `conn`.
    pub fn unsubscribe(&self, conn: &Conn, topic: &Topic) {
        let mut index = self.write();
        if let Some(topics) = index.topics.get_mut(&conn.id) {
            topics.remove(topic);
        }
        remove_from(&mut index.by_topic, &(conn.org, *topic), &conn.id);
    }

    /// Closes this instance's sockets of `org` that `target` names; how many.
    pub fn disconnect(&self, org: Uuid, target: Disconnect) -> usize {
        let index = self.read();
        let mut closed = 0;
        for id in index.by_org.get(&org).into_iter().flatten() {
            if let Some(conn) = index.conns.get(id)
                && conn.matches(target)
            {
                conn.close();
                closed += 1;
            }
        }
        metrics::counter!("ws_connections_closed_by_server_total").increment(closed as u64);
        closed
    }

    /// Open connections of `org` on this instance.
    pub fn connections_of(&self, org: Uuid) -> usize {
        self.read().by_org.get(&org).map_or(0, HashSet::len)
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
            let index = self.read();
            index
                .by_topic
                .get(&(org, topic))
                .into_iter()
                .flatten()
                .filter_map(|id| index.conns.get(id).cloned())
                .collect()
        };
        for conn in targets {
            conn.offer(Outbound::Event(topic, event.clone()));
        }
        metrics::counter!("ws_events_published_total").increment(1);
    }
}

fn remove_from<K: std::hash::Hash + Eq>(map: &mut HashMap<K, HashSet<Uuid>>, key: &K, id: &Uuid) {
    if let Some(set) = map.get_mut(key) {
        set.remove(id);
        if set.is_empty() {
            map.remove(key);
        }
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
        hub.subscribe(&a, Topic::Organization, 8);
        hub.subscribe(&b, Topic::Organization, 8);
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
        hub.subscribe(&conn, Topic::Organization, 8);
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
        assert!(hub.subscribe(&conn, Topic::Organization, 2));
        assert!(hub.subscribe(&conn, Topic::Queue(Uuid::now_v7()), 2));
        assert!(!hub.subscribe(&conn, Topic::Queue(Uuid::now_v7()), 2));
        assert!(
            hub.subscribe(&conn, Topic::Organization, 2),
            "already followed"
        );
        hub.unregister(&conn);
        assert!(
            hub.read().by_topic.is_empty(),
            "the index forgets a closed connection"
        );
    }
}
