//! The typed API client: every call takes and returns cc-types DTOs.

mod calls;
mod client;
mod error;
pub mod session;
mod tab_lock;

pub use calls::*;
pub use client::{Api, PublicApi};
pub use error::ApiError;
