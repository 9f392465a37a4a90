//! The typed API client: the client core (tokens, renewal, errors) and one module per
//! domain with that domain's calls, named like the API's operation ids. Every call takes
//! and returns cc-types DTOs; the web app declares none of its own.

pub mod agents;
pub mod api_keys;
pub mod audit;
pub mod auth;
mod client;
mod error;
pub mod presence;
pub mod realtime;
pub mod session;
pub mod shifts;
pub mod skills;
mod tab_lock;
pub mod teams;
pub mod users;

pub use client::{Api, PublicApi};
pub use error::ApiError;
