#![allow(clippy::unwrap_used, clippy::expect_used)]

mod lifecycle;
mod policy_props;
mod props;
mod support;
mod unit;
