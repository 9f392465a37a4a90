//! Bulk create and update of agent profiles from a CSV file: all or nothing per file, a
//! report of every row that is wrong, and a dry run that only checks.

use serde::{Deserialize, Serialize};
use validator::Validate;

/// Most characters one import file may hold.
pub const MAX_IMPORT_CHARS: u64 = 200_000;

/// Most data rows one file may hold.
pub const MAX_IMPORT_ROWS: usize = 2_000;

/// `POST /api/agents/import`.
///
/// The file's first line names the columns, in any order: `email` (required: an active
/// user of the organization with the agent or supervisor role), and any of `name` (their
/// display name), `team` (a team's name; empty for none), `skills` (`name:level` pairs
/// separated by `;` or `|`, levels 1–10), `languages` (BCP 47 tags separated by `;` or
/// `|`) and `extension` (digits). Commas or semicolons separate the columns; fields may be
/// quoted. A column left out keeps what the profile has; a user without a profile gets one.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentImportRequest {
    /// The CSV text (UTF-8, a byte-order mark is skipped), at most 200,000 characters.
    #[validate(length(min = 1, max = 200_000))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200_000))]
    pub csv: String,
    /// Check only: report what would change and change nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// What is wrong with one cell (or a whole row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportIssue {
    /// The line in the file, the header being line 1.
    pub row: u32,
    /// The column (`email`, `team`, ...); `null` for the row as a whole.
    pub column: Option<String>,
    /// Why: `required`, `unknown_user`, `wrong_role`, `duplicate`, `unknown_team`,
    /// `unknown_skill`, `range`, `language_tag`, `digits`, `extension_taken`,
    /// `unknown_column`, `columns`, `too_many_rows`, `quotes`.
    pub code: String,
    /// The value as written (at most 200 characters).
    pub value: String,
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentImportReport {
    /// It was a dry run.
    pub dry_run: bool,
    /// The changes were made (no issue and not a dry run); otherwise nothing changed.
    pub applied: bool,
    /// Data rows read.
    pub rows: u32,
    /// Profiles created (or that would be).
    pub created: u32,
    /// Profiles updated (or that would be).
    pub updated: u32,
    /// Everything wrong, by row.
    pub issues: Vec<ImportIssue>,
}
