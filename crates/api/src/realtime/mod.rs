//! The realtime hub: one WebSocket endpoint, topic subscriptions scoped to the caller's
//! organization, typed events from cc-types with per-connection sequence numbers, bounded
//! buffers with `resync` for slow consumers, and Redis pub/sub across instances.

pub mod bus;
pub mod connection;
pub mod hub;
pub mod routes;
pub mod topics;

pub use bus::Bus;
pub use hub::Hub;
