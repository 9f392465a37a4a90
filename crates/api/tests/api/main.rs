//! cc-api's integration tests: one binary (linking the server once, not once per file),
//! one module per domain. Each test starts the real application against its own database
//! and Redis key prefix (see `common`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod agents;
mod api_keys;
mod audit;
mod auth;
mod backups;
mod cli;
mod deployment;
mod errors;
mod jobs;
mod limits;
mod migrations;
mod multi_instance;
mod openapi;
mod performance;
mod presence;
mod realtime;
mod role_matrix;
mod rules;
mod schema_probe;
mod shifts;
mod skills;
mod staffing;
mod statuses;
mod teams;
mod tenancy;
mod users;
mod web;
mod webhooks;
