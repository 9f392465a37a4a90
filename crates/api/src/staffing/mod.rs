//! Staffing: a team's forecast per interval of a day ([`forecast`]) and, for any span, the
//! agents Erlang C and Erlang A require beside the agents the schedule puts on the phones
//! ([`report`]). The formulas are cc-core's; this module reads the rows they need.

pub mod entity;
pub mod forecast;
pub mod report;
pub mod routes;
