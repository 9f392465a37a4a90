//! Workforce: agent profiles (who takes contacts, in which team, with which skills,
//! languages and queues). Presence and schedules build on these profiles.

pub mod entity;
pub mod import;
pub mod routes;
pub mod scope;
pub mod service;
