//! Preview dialing: the agent sees the contact and decides; if the agent does nothing
//! for the campaign's timeout, the dialer either dials or skips, as configured.

use cc_types::dialer::PreviewTimeout;

/// Where a preview stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewState {
    /// The contact is on the agent's screen.
    Showing,
    /// The call is being placed.
    Dialing,
    /// The contact went back to the list.
    Skipped,
}

/// What can happen to a preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewEvent {
    /// The agent pressed dial.
    AgentDials,
    /// The agent skipped the contact.
    AgentSkips,
    /// The timeout passed without a decision.
    TimedOut,
}

/// An event that does not apply in the current state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("preview cannot take {event:?} while {from:?}")]
pub struct InvalidTransition {
    /// The state the preview was in.
    pub from: PreviewState,
    /// The refused event.
    pub event: PreviewEvent,
}

/// The preview's next state.
pub fn transition(
    from: PreviewState,
    event: PreviewEvent,
    on_timeout: PreviewTimeout,
) -> Result<PreviewState, InvalidTransition> {
    match (from, event) {
        (PreviewState::Showing, PreviewEvent::AgentDials) => Ok(PreviewState::Dialing),
        (PreviewState::Showing, PreviewEvent::AgentSkips) => Ok(PreviewState::Skipped),
        (PreviewState::Showing, PreviewEvent::TimedOut) => Ok(match on_timeout {
            PreviewTimeout::Dial => PreviewState::Dialing,
            PreviewTimeout::Skip => PreviewState::Skipped,
        }),
        _ => Err(InvalidTransition { from, event }),
    }
}

/// True when a preview shown at `shown_at` has run out of time at `now` (seconds).
pub fn timed_out(shown_at: f64, now: f64, timeout_secs: u32) -> bool {
    now - shown_at >= f64::from(timeout_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PreviewEvent::*;
    use PreviewState::*;

    #[test]
    fn transitions_follow_the_table() {
        let table = [
            (Showing, AgentDials, PreviewTimeout::Skip, Some(Dialing)),
            (Showing, AgentSkips, PreviewTimeout::Dial, Some(Skipped)),
            (Showing, TimedOut, PreviewTimeout::Dial, Some(Dialing)),
            (Showing, TimedOut, PreviewTimeout::Skip, Some(Skipped)),
            (Dialing, AgentSkips, PreviewTimeout::Skip, None),
            (Dialing, TimedOut, PreviewTimeout::Dial, None),
            (Skipped, AgentDials, PreviewTimeout::Dial, None),
        ];
        for (from, event, on_timeout, expected) in table {
            assert_eq!(
                transition(from, event, on_timeout).ok(),
                expected,
                "{from:?} + {event:?}"
            );
        }
        assert!(!timed_out(100.0, 129.9, 30));
        assert!(timed_out(100.0, 130.0, 30));
    }
}
