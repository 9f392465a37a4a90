//! The rules of agent profiles, in three parts: reading them, changing them, and naming
//! them when they block a change to a team or a skill.

mod reads;
mod refusals;
pub(crate) mod writes;

pub use reads::{get, list, me, own_profile};
pub use refusals::{holders_of, members_blocking, move_members};
pub use writes::{assign, create, delete, update};
