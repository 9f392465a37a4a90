//! The agent state machine and time-in-state accounting. It owns which status changes are
//! legal, what policy timers a change starts, and how long an agent spent in each status per
//! reporting interval. It does not decide which contact an agent gets (that is `acd`) and it
//! keeps no clock: every event comes with the time it happened.

mod machine;
mod time_in_state;

pub use machine::{AgentEvent, AgentPolicy, AgentTimer, InvalidTransition, Transition, transition};
pub use time_in_state::{AgentTimeline, IntervalLength, IntervalTotals, TimeBucket, TimelineError};

#[cfg(test)]
mod tests;
