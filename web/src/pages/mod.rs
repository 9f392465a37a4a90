//! One module per screen.

pub mod agents;
pub mod api_keys;
pub mod audit;
pub mod desktop;
pub mod home;
pub mod login;
pub mod not_found;
pub mod profile;
pub mod shifts;
pub mod skills;
pub mod team_members;
pub mod teams;
pub mod users;
