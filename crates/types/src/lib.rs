//! cc-types: the data transfer objects, enums, realtime events and error codes that the
//! CC-Lite server (`cc-api`) and web app (`web/`) exchange. Compiles to wasm32; server-only
//! derives (utoipa `ToSchema`) sit behind the `openapi` feature.

pub mod adherence;
pub mod agent_import;
pub mod agent_state;
pub mod agents;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod business_hours;
pub mod call_flow;
pub mod dialer;
pub mod error;
pub mod events;
pub mod kpi;
pub mod page;
pub mod performance;
pub mod presence;
pub mod role;
pub mod routing;
pub mod rules;
pub mod shifts;
pub mod skills;
pub mod staffing;
pub mod teams;
pub mod time_off;
pub mod users;
pub mod workforce;

pub use error::{Conflict, ErrorCode, FieldError, Problem, RefusedTransition};
pub use page::Page;
pub use role::{Language, Role};
