//! cc-types: the data transfer objects, enums, realtime events and error codes that the
//! CC-Lite server (`cc-api`) and web app (`web/`) exchange. Compiles to wasm32; server-only
//! derives (utoipa `ToSchema`) sit behind the `openapi` feature.

pub mod agent_state;
pub mod business_hours;
pub mod call_flow;
pub mod routing;
pub mod skills;
