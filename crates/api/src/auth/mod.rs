//! Authentication: keys and access tokens, passwords, sessions (refresh tokens),
//! revocation, and the `Auth<Policy>` extractor that every protected route uses.

pub mod entity;
pub mod keys;
pub mod password;
pub mod principal;
pub mod revocation;
pub mod routes;
pub mod service;
pub mod session;

pub use principal::{AdminOnly, AnyRole, Auth, Policy, Principal};
