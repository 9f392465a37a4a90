//! Where each agent's current state lives: a Redis hash per organization shared by every
//! instance, or a map in this process (the embedded default). A state is only ever
//! replaced by one with a higher version (compare-and-set), so two instances writing the
//! same agent's changes in any order end with the newest, as the log has it.

use std::collections::HashMap;
use std::sync::Mutex;

use anyhow::Context;
use cc_types::presence::AgentPresence;
use deadpool_redis::redis::{self, AsyncCommands};
use uuid::Uuid;

/// What the in-process store holds.
#[derive(Default)]
pub struct Local {
    states: HashMap<Uuid, HashMap<Uuid, AgentPresence>>,
    due: HashMap<String, Vec<(i64, String)>>,
    connections: HashMap<(Uuid, Uuid), i64>,
}

/// The current states.
pub enum PresenceStore {
    /// In this process.
    Memory(Mutex<Local>),
    /// In Redis, under `prefix`.
    Redis {
        /// The pool.
        pool: deadpool_redis::Pool,
        /// Key prefix of this deployment (tests: of this test).
        prefix: String,
    },
}

/// Replaces the field when the stored version is lower (or absent); answers 1 if it did.
const PUT_IF_NEWER: &str = "local cur = redis.call('HGET', KEYS[1], ARGV[1]) \
    if cur then local v = cjson.decode(cur)['version'] \
      if v >= tonumber(ARGV[2]) then return 0 end end \
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) return 1";

impl PresenceStore {
    /// An empty in-process store.
    pub fn memory() -> Self {
        PresenceStore::Memory(Mutex::new(Local::default()))
    }

    fn key(prefix: &str, org: Uuid) -> String {
        format!("{prefix}:presence:{org}")
    }

    async fn conn(pool: &deadpool_redis::Pool) -> anyhow::Result<deadpool_redis::Connection> {
        pool.get().await.context("redis connection")
    }

    /// One agent's state, if stored.
    pub async fn get(&self, org: Uuid, agent: Uuid) -> anyhow::Result<Option<AgentPresence>> {
        match self {
            PresenceStore::Memory(m) => Ok(lock(m)
                .states
                .get(&org)
                .and_then(|a| a.get(&agent))
                .cloned()),
            PresenceStore::Redis { pool, prefix } => {
                let mut c = Self::conn(pool).await?;
                let raw: Option<String> = c
                    .hget(Self::key(prefix, org), agent.to_string())
                    .await
                    .context("redis presence get")?;
                raw.map(|r| serde_json::from_str(&r).context("stored presence"))
                    .transpose()
            }
        }
    }

    /// The stored states of the agents given (one HMGET); agents with none are left out.
    pub async fn many(&self, org: Uuid, agents: &[Uuid]) -> anyhow::Result<Vec<AgentPresence>> {
        if agents.is_empty() {
            return Ok(Vec::new());
        }
        match self {
            PresenceStore::Memory(m) => {
                let guard = lock(m);
                let Some(states) = guard.states.get(&org) else {
                    return Ok(Vec::new());
                };
                Ok(agents
                    .iter()
                    .filter_map(|a| states.get(a).cloned())
                    .collect())
            }
            PresenceStore::Redis { pool, prefix } => {
                let mut c = Self::conn(pool).await?;
                let fields: Vec<String> = agents.iter().map(Uuid::to_string).collect();
                let raw: Vec<Option<String>> = redis::cmd("HMGET")
                    .arg(Self::key(prefix, org))
                    .arg(fields)
                    .query_async(&mut c)
                    .await
                    .context("redis presence many")?;
                Ok(raw
                    .into_iter()
                    .flatten()
                    .filter_map(|r| serde_json::from_str(&r).ok())
                    .collect())
            }
        }
    }

    /// Every stored state of the organization.
    pub async fn all(&self, org: Uuid) -> anyhow::Result<Vec<AgentPresence>> {
        match self {
            PresenceStore::Memory(m) => Ok(lock(m)
                .states
                .get(&org)
                .map(|a| a.values().cloned().collect())
                .unwrap_or_default()),
            PresenceStore::Redis { pool, prefix } => {
                let mut c = Self::conn(pool).await?;
                let raw: HashMap<String, String> = c
                    .hgetall(Self::key(prefix, org))
                    .await
                    .context("redis presence all")?;
                Ok(raw
                    .values()
                    .filter_map(|r| serde_json::from_str(r).ok())
                    .collect())
            }
        }
    }

    /// Stores `p` unless a state of the same or a higher version is there; answers whether
    /// it did.
    pub async fn put_if_newer(&self, org: Uuid, p: &AgentPresence) -> anyhow::Result<bool> {
        match self {
            PresenceStore::Memory(m) => {
                let mut local = lock(m);
                let agents = local.states.entry(org).or_default();
                match agents.get(&p.agent_id) {
                    Some(cur) if cur.version >= p.version => Ok(false),
                    _ => {
                        agents.insert(p.agent_id, p.clone());
                        Ok(true)
                    }
                }
            }
            PresenceStore::Redis { pool, prefix } => {
                let mut c = Self::conn(pool).await?;
                let done: i64 = redis::cmd("EVAL")
                    .arg(PUT_IF_NEWER)
                    .arg(1)
                    .arg(Self::key(prefix, org))
                    .arg(p.agent_id.to_string())
                    .arg(p.version)
                    .arg(serde_json::to_string(p)?)
                    .query_async(&mut c)
                    .await
                    .context("redis presence put")?;
                Ok(done == 1)
            }
        }
    }

    /// Forgets an agent (their profile was deleted).
    pub async fn remove(&self, org: Uuid, agent: Uuid) -> anyhow::Result<()> {
        match self {
            PresenceStore::Memory(m) => {
                if let Some(a) = lock(m).states.get_mut(&org) {
                    a.remove(&agent);
                }
                Ok(())
            }
            PresenceStore::Redis { pool, prefix } => {
                let mut c = Self::conn(pool).await?;
                let _: i64 = c
                    .hdel(Self::key(prefix, org), agent.to_string())
                    .await
                    .context("redis presence remove")?;
                Ok(())
            }
        }
    }

    /// True when nothing is stored for any organization (a fresh Redis or process).
    pub async fn is_empty(&self) -> anyhow::Result<bool> {
        match self {
            PresenceStore::Memory(m) => Ok(lock(m).states.values().all(HashMap::is_empty)),
            PresenceStore::Redis { pool, prefix } => {
                let mut c = Self::conn(pool).await?;
                let mut keys: redis::AsyncIter<String> = c
                    .scan_match(format!("{prefix}:presence:*"))
                    .await
                    .context("redis presence scan")?;
                Ok(keys.next_item().await.is_none())
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Timed work shared by instances (not-ready overruns, disconnection grace): members of a
/// named set, each due at a time; [`PresenceStore::take_due`] hands each member to
/// exactly one caller, whichever instance asks first.
impl PresenceStore {
    fn set_key(prefix: &str, set: &str) -> String {
        format!("{prefix}:presence-due:{set}")
    }

    /// Puts `member` into `set`, due at `at_ms` (Unix milliseconds); replaces its time.
    pub async fn schedule(&self, set: &str, member: &str, at_ms: i64) -> anyhow::Result<()> {
        match self {
            PresenceStore::Memory(m) => {
                let mut local = lock(m);
                let entry = local.due.entry(set.to_owned()).or_default();
                entry.retain(|(_, m)| m != member);
                entry.push((at_ms, member.to_owned()));
                Ok(())
            }
            PresenceStore::Redis { pool, prefix } => {
                let mut c = Self::conn(pool).await?;
                let _: i64 = c
                    .zadd(Self::set_key(prefix, set), member, at_ms)
                    .await
                    .context("redis schedule")?;
                Ok(())
            }
        }
    }

    /// Takes `member` out of `set`.
    pub async fn cancel(&self, set: &str, member: &str) -> anyhow::Result<()> {
        match self {
            PresenceStore::Memory(m) => {
                if let Some(entry) = lock(m).due.get_mut(set) {
                    entry.retain(|(_, m)| m != member);
                }
                Ok(())
            }
            PresenceStore::Redis { pool, prefix } => {
                let mut c = Self::conn(pool).await?;
                let _: i64 = c
                    .zrem(Self::set_key(prefix, set), member)
                    .await
                    .context("redis cancel")?;
                Ok(())
            }
        }
    }

    /// The members of `set` due at `now_ms`, each taken out and handed to this caller only.
    pub async fn take_due(&self, set: &str, now_ms: i64) -> anyhow::Result<Vec<String>> {
        match self {
            PresenceStore::Memory(m) => {
                let mut local = lock(m);
                let Some(entry) = local.due.get_mut(set) else {
                    return Ok(Vec::new());
                };
                let (ready, later): (Vec<_>, Vec<_>) =
                    entry.drain(..).partition(|(at, _)| *at <= now_ms);
                *entry = later;
                Ok(ready.into_iter().map(|(_, m)| m).collect())
            }
            PresenceStore::Redis { pool, prefix } => {
                let key = Self::set_key(prefix, set);
                let mut c = Self::conn(pool).await?;
                let members: Vec<String> = c
                    .zrangebyscore_limit(&key, "-inf", now_ms, 0, 200)
                    .await
                    .context("redis due")?;
                let mut mine = Vec::new();
                for m in members {
                    let removed: i64 = c.zrem(&key, &m).await.context("redis claim")?;
                    if removed == 1 {
                        mine.push(m);
                    }
                }
                Ok(mine)
            }
        }
    }

    /// Counts one more open desktop connection of an agent; answers the count.
    pub async fn connected(&self, org: Uuid, agent: Uuid) -> anyhow::Result<i64> {
        self.count(org, agent, 1).await
    }

    /// Counts one desktop connection fewer; answers the count left (never below 0).
    pub async fn disconnected(&self, org: Uuid, agent: Uuid) -> anyhow::Result<i64> {
        self.count(org, agent, -1).await
    }

    /// The agent's open desktop connections, on every instance.
    pub async fn connections(&self, org: Uuid, agent: Uuid) -> anyhow::Result<i64> {
        self.count(org, agent, 0).await
    }

    async fn count(&self, org: Uuid, agent: Uuid, by: i64) -> anyhow::Result<i64> {
        const ADD_FLOORED: &str = "local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2]) \
            if n < 0 then redis.call('HSET', KEYS[1], ARGV[1], 0) return 0 end return n";
        match self {
            PresenceStore::Memory(m) => {
                let mut local = lock(m);
                let n = local.connections.entry((org, agent)).or_insert(0);
                *n = (*n + by).max(0);
                Ok(*n)
            }
            PresenceStore::Redis { pool, prefix } => {
                let mut c = Self::conn(pool).await?;
                let n: i64 = redis::cmd("EVAL")
                    .arg(ADD_FLOORED)
                    .arg(1)
                    .arg(format!("{prefix}:presence-connections:{org}"))
                    .arg(agent.to_string())
                    .arg(by)
                    .query_async(&mut c)
                    .await
                    .context("redis connections")?;
                Ok(n)
            }
        }
    }
}
