//! The audit log (`/api/audit`).

use cc_types::Page;
use cc_types::audit::{AuditEntry, AuditQuery};

use super::client::with_query;
use super::{Api, ApiError};

pub async fn list_audit(api: Api, query: &AuditQuery) -> Result<Page<AuditEntry>, ApiError> {
    api.get(&with_query("/api/audit", query)).await
}
