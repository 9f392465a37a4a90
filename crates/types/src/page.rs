//! Pagination envelope shared by every list endpoint.

use serde::{Deserialize, Serialize};

/// One page of a list: `items` from `offset`, at most `limit`, out of `total` matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// How many rows match the filters in all.
    pub total: u64,
    /// The page size that was applied.
    pub limit: u64,
    /// How many matching rows were skipped.
    pub offset: u64,
}

/// Default page size when a request gives none.
pub const DEFAULT_LIMIT: u64 = 50;
/// Largest page size a request may ask for.
pub const MAX_LIMIT: u64 = 500;
/// Most rows a request may skip; deeper lists page by keyset cursors instead.
pub const MAX_OFFSET: u64 = 1_000_000;
