#![allow(clippy::unwrap_used, clippy::expect_used)]

mod props;
mod support;
mod unit;
