//! Users of an organization: admin CRUD, deactivation, profiles and passwords.

pub mod entity;
pub mod routes;
pub mod service;
