//! The organization's skill catalogue (workforce). Agents will hold skills at a level,
//! and queues and routing rules require them, all by id.

pub mod entity;
pub mod routes;
pub mod service;
