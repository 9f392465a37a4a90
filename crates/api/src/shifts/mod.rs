//! Workforce schedules: shift templates, time off, shifts with breaks (instants in UTC, planned and
//! shown in the agent's time zone, correct across daylight-saving changes), weekly
//! patterns applied to a span of dates, and who is scheduled now against their live
//! state.

pub mod adherence;
pub mod current;
pub mod entity;
pub mod routes;
pub mod schedule;
pub mod service;
pub mod templates;
pub mod time;
pub mod time_off;
pub mod time_off_routes;
