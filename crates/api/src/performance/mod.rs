//! Performance of agents and teams: time in each state by interval from the append-only
//! agent-state log, calls handled and handle times from call records (`docs/calls.md`),
//! occupancy and utilization through cc-core's `kpi`.

pub mod call;
pub mod measure;
pub mod routes;
pub mod service;
