#![allow(clippy::unwrap_used, clippy::expect_used)]

mod lifecycle;
mod props;
mod support;
mod unit;
