//! cc-core: the pure domain engines of CC-Lite. Nothing here does IO or reads a clock: time
//! is passed in, randomness comes from a seed, so every engine is deterministic, unit-tested
//! without a database and builds for `wasm32-unknown-unknown` as well as the host.

pub mod acd;
pub mod agent;
pub mod dialer;
pub mod dnc;
pub mod flow;
pub mod forecast;
pub mod hours;
pub mod kpi;
pub mod phone;
pub mod routing;
pub mod staffing;
pub mod windows;
