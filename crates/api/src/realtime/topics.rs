//! Who may follow which topic. One function per topic kind, so that each domain states
//! its own rule where it lives: the live-calls work replaces [`call`] with "the agent on
//! the call and supervisors", campaigns and queues grow theirs. Every topic is inside the
//! caller's own organization already (the hub never crosses organizations); these rules
//! decide within it.

use cc_types::Role;
use cc_types::events::Topic;
use uuid::Uuid;

use super::connection::Caller;

/// Whether `caller` may follow `topic`.
pub fn may_subscribe(caller: &Caller, topic: &Topic) -> bool {
    match topic {
        Topic::Organization => organization(caller),
        Topic::Agent(id) => agent(caller, *id),
        Topic::Call(id) => call(caller, *id),
        Topic::Queue(id) => queue(caller, *id),
        Topic::Campaign(id) => campaign(caller, *id),
    }
}

fn staff(caller: &Caller) -> bool {
    matches!(caller.role, Role::Admin | Role::Supervisor)
}

/// Organization-wide notices: everyone in it.
fn organization(_: &Caller) -> bool {
    true
}

/// An agent's presence and work: the agent and the floor's staff.
fn agent(caller: &Caller, agent: Uuid) -> bool {
    staff(caller) || caller.user_id == Some(agent)
}

/// A call's live events (transcript, sentiment): staff. Until calls exist nobody else
/// can be on one; the live-calls work adds the agent on the call.
fn call(caller: &Caller, _call: Uuid) -> bool {
    staff(caller)
}

/// A queue's load and waiting times: everyone in the organization (agents see what waits
/// for them, analysts read it).
fn queue(_: &Caller, _queue: Uuid) -> bool {
    true
}

/// A campaign's progress: everyone but agents (who see their own work, not the list).
fn campaign(caller: &Caller, _campaign: Uuid) -> bool {
    caller.role != Role::Agent
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_role(role: Role, me: Uuid) -> Caller {
        Caller {
            org: Uuid::nil(),
            user_id: Some(me),
            role,
            session_id: None,
        }
    }

    #[test]
    fn each_topic_kind_admits_exactly_its_roles() {
        let me = Uuid::now_v7();
        let someone = Uuid::now_v7();
        let table = [
            (Topic::Organization, [true, true, true, true]),
            (Topic::Agent(me), [true, true, true, true]),
            (Topic::Agent(someone), [true, true, false, false]),
            (Topic::Call(someone), [true, true, false, false]),
            (Topic::Queue(someone), [true, true, true, true]),
            (Topic::Campaign(someone), [true, true, false, true]),
        ];
        for (topic, expected) in table {
            for (role, allowed) in Role::ALL.into_iter().zip(expected) {
                assert_eq!(
                    may_subscribe(&as_role(role, me), &topic),
                    allowed,
                    "{role:?} on {topic}"
                );
            }
        }
    }
}
