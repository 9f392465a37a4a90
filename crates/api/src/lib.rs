//! cc-api: the CC-Lite REST + WebSocket server. One module per domain (routes + service +
//! entity) with its state built from the shared [`state::Infra`]; [`startup`] assembles them
//! into one actix-web application.

pub mod agents;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod cache;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod expiring;
pub mod extract;
pub mod health;
pub mod i18n;
pub mod jobs;
pub mod middleware;
pub mod openapi;
pub mod organizations;
pub mod performance;
pub mod presence;
pub mod pubsub;
pub mod rate_limit;
pub mod realtime;
pub mod runtime;
pub mod seed;
pub mod shifts;
pub mod skills;
pub mod staffing;
pub mod startup;
pub mod state;
pub mod store;
pub mod teams;
pub mod telemetry;
pub mod uploads;
pub mod users;
pub mod web;
pub mod webhooks;
