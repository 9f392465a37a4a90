//! Workforce: teams (this module), with agents, skills, presence and schedules to come.
//! The hierarchy rules are pure functions in [`tree`].

pub mod entity;
pub mod routes;
pub mod service;
pub mod tree;
