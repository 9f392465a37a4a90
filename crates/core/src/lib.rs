//! cc-core: the pure domain engines of CC-Lite. Nothing here does IO or reads a clock; time
//! is passed in, results are deterministic, and the crate builds for `wasm32-unknown-unknown`
//! so the web app can run the same validation the server does.

pub mod acd;
pub mod agent;
pub mod flow;
pub mod hours;
pub mod routing;
