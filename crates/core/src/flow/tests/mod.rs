#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod journeys;
mod validation;
