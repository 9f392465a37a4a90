//! One transition function for the agent status (see [`transition`]).

use cc_types::agent_state::{AgentStatus, NotReadyReason};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Something that happened to an agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AgentEvent {
    /// The agent logged in.
    LogIn,
    /// The agent logged out.
    LogOut,
    /// The agent is ready for contacts.
    SetReady,
    /// The agent stops taking contacts for a reason.
    SetNotReady {
        /// Why.
        reason: NotReadyReason,
    },
    /// The ACD offers a contact.
    Offer,
    /// The agent accepted the offer.
    Accept,
    /// The agent rejected the offer.
    Reject,
    /// The offer timer fired before the agent answered.
    OfferTimeout,
    /// The call legs joined.
    Connected,
    /// The agent put the customer on hold.
    Hold,
    /// The agent took the customer off hold.
    Unhold,
    /// The call ended (either side hung up, or the offered caller abandoned).
    CallEnded,
    /// The agent finished after-call work.
    WrapUpDone,
    /// The wrap-up timer fired.
    WrapUpTimeout,
    /// A supervisor forced the agent into a status.
    SupervisorForce {
        /// The status forced.
        to: AgentStatus,
    },
}

/// Per-organization rules for the agent state machine, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentPolicy {
    /// Seconds an offer rings before it times out.
    pub offer_timeout_secs: u32,
    /// Where a missed offer sends the agent: `Some(reason)` makes them not ready, `None` keeps
    /// them available.
    pub missed_offer_not_ready: Option<NotReadyReason>,
    /// Longest after-call work in seconds; `None` means no limit (no timer).
    pub max_wrap_up_secs: Option<u32>,
    /// When the wrap-up timer fires: `true` makes the agent available, `false` not ready.
    pub auto_ready_after_wrap_up: bool,
    /// The reason recorded when wrap-up overruns and auto-ready is off.
    pub wrap_up_overrun_reason: NotReadyReason,
}

impl Default for AgentPolicy {
    fn default() -> Self {
        Self {
            offer_timeout_secs: 20,
            missed_offer_not_ready: Some(NotReadyReason::Custom("missed_offer".into())),
            max_wrap_up_secs: Some(120),
            auto_ready_after_wrap_up: true,
            wrap_up_overrun_reason: NotReadyReason::Custom("wrap_up_overrun".into()),
        }
    }
}

/// A timer the caller must start after a transition; the matching timeout event comes back
/// through [`transition`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "timer", rename_all = "snake_case")]
pub enum AgentTimer {
    /// Send [`AgentEvent::OfferTimeout`] after this many seconds unless the offer is answered.
    Offer {
        /// Seconds.
        secs: u32,
    },
    /// Send [`AgentEvent::WrapUpTimeout`] after this many seconds unless wrap-up ends.
    WrapUp {
        /// Seconds.
        secs: u32,
    },
}

/// The result of a legal event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// The new status.
    pub to: AgentStatus,
    /// A supervisor forced it.
    pub forced: bool,
    /// A timer to start, if the new status has one.
    pub timer: Option<AgentTimer>,
}

/// An event that is not legal in the agent's current status.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("agent event {event:?} is not allowed in status {from:?}")]
pub struct InvalidTransition {
    /// The status the agent was in.
    pub from: AgentStatus,
    /// The event refused.
    pub event: AgentEvent,
}

/// Answers the status an event moves an agent to, or why it cannot.
///
/// ```
/// use cc_core::agent::{transition, AgentEvent, AgentPolicy, AgentTimer};
/// use cc_types::agent_state::AgentStatus;
/// let policy = AgentPolicy::default();
/// let t = transition(&AgentStatus::Available, &AgentEvent::Offer, &policy).unwrap();
/// assert_eq!(t.to, AgentStatus::Reserved { accepted: false });
/// assert_eq!(t.timer, Some(AgentTimer::Offer { secs: 20 }));
/// assert!(transition(&AgentStatus::Offline, &AgentEvent::Offer, &policy).is_err());
/// ```
pub fn transition(
    from: &AgentStatus,
    event: &AgentEvent,
    policy: &AgentPolicy,
) -> Result<Transition, InvalidTransition> {
    use AgentEvent as E;
    use AgentStatus as S;
    if let E::SupervisorForce { to } = event {
        return Ok(Transition {
            to: to.clone(),
            forced: true,
            timer: None,
        });
    }
    let to = match (from, event) {
        (S::Offline, E::LogIn) => S::Available,
        (S::Available | S::NotReady { .. } | S::WrapUp, E::LogOut) => S::Offline,
        (S::NotReady { .. } | S::WrapUp, E::SetReady) => S::Available,
        (S::Available | S::NotReady { .. } | S::WrapUp, E::SetNotReady { reason }) => S::NotReady {
            reason: reason.clone(),
        },
        (S::Available, E::Offer) => {
            let timer = Some(AgentTimer::Offer {
                secs: policy.offer_timeout_secs,
            });
            return Ok(Transition {
                to: S::Reserved { accepted: false },
                forced: false,
                timer,
            });
        }
        (S::Reserved { accepted: false }, E::Accept) => S::Reserved { accepted: true },
        (S::Reserved { accepted: false }, E::Reject) => S::Available,
        (S::Reserved { accepted: false }, E::OfferTimeout) => {
            match &policy.missed_offer_not_ready {
                Some(reason) => S::NotReady {
                    reason: reason.clone(),
                },
                None => S::Available,
            }
        }
        (S::Reserved { .. }, E::Connected) => S::OnCall { on_hold: false },
        (S::Reserved { .. }, E::CallEnded) => S::Available,
        (S::OnCall { on_hold: false }, E::Hold) => S::OnCall { on_hold: true },
        (S::OnCall { on_hold: true }, E::Unhold) => S::OnCall { on_hold: false },
        (S::OnCall { .. }, E::CallEnded) => {
            let timer = policy
                .max_wrap_up_secs
                .map(|secs| AgentTimer::WrapUp { secs });
            return Ok(Transition {
                to: S::WrapUp,
                forced: false,
                timer,
            });
        }
        (S::WrapUp, E::WrapUpDone) => S::Available,
        (S::WrapUp, E::WrapUpTimeout) if policy.auto_ready_after_wrap_up => S::Available,
        (S::WrapUp, E::WrapUpTimeout) => S::NotReady {
            reason: policy.wrap_up_overrun_reason.clone(),
        },
        _ => {
            return Err(InvalidTransition {
                from: from.clone(),
                event: event.clone(),
            });
        }
    };
    Ok(Transition {
        to,
        forced: false,
        timer: None,
    })
}
