//! Workforce math: Erlang C (callers wait forever), Erlang A (callers abandon after an
//! exponentially distributed patience), shrinkage and the per-interval staffing plan.
//!
//! Times are in seconds and traffic in Erlangs (calls per second × average handle time).
//! Every formula runs on recurrences in bounded or logarithmic form, never on factorials or
//! large powers, so results stay finite and accurate up to 10,000 Erlangs and beyond.
//! Forecasting the workload is [`crate::forecast`]'s job; this module turns it into agents.

mod erlang_a;
mod erlang_a_service;
mod erlang_c;
mod plan;

pub use erlang_a::{erlang_a_abandon_probability, erlang_a_wait_probability};
pub use erlang_a_service::{erlang_a_agents_for_service_level, erlang_a_service_level};
pub use erlang_c::{
    agents_for_service_level, erlang_b, erlang_c_asa_secs, erlang_c_occupancy,
    erlang_c_service_level, erlang_c_wait_probability,
};
pub use plan::{
    ScheduledShift, ShiftBreak, StaffingError, agents_on_phones, headcount_with_shrinkage,
    staffing_plan,
};
