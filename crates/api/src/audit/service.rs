//! Recording and querying audit rows.

use cc_types::Page;
use cc_types::audit::{AuditEntry, AuditOutcome, AuditQuery};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::entity as audit_log;
use crate::db::enums::DbAuditOutcome;
use crate::error::ApiResult;
use crate::state::AppState;

/// What the audit middleware learned about one request.
#[derive(Debug, Clone)]
pub struct Record {
    /// Tenant.
    pub organization_id: Uuid,
    /// Acting user.
    pub actor_user_id: Option<Uuid>,
    /// Acting API key.
    pub actor_api_key_id: Option<Uuid>,
    /// Email or key name.
    pub actor_label: Option<String>,
    /// Operation id.
    pub action: String,
    /// Method and route template.
    pub route: String,
    /// Resource id.
    pub target_id: Option<String>,
    /// HTTP status answered.
    pub status: u16,
    /// Correlation id.
    pub request_id: String,
    /// Client address.
    pub ip: Option<String>,
}

/// Writes one audit row.
pub async fn record(state: &AppState, r: Record) -> ApiResult<()> {
    let outcome = AuditOutcome::of_status(r.status);
    audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(r.organization_id),
        actor_user_id: Set(r.actor_user_id),
        actor_api_key_id: Set(r.actor_api_key_id),
        actor_label: Set(r.actor_label),
        action: Set(r.action),
        route: Set(r.route),
        target_id: Set(r.target_id),
        status: Set(r.status as i16),
        outcome: Set(outcome.into()),
        request_id: Set(r.request_id),
        ip: Set(r.ip),
        created_at: Set(state.infra.clock.now()),
    }
    .insert(&state.infra.db)
    .await?;
    metrics::counter!("audit_records_total", "outcome" => outcome.as_str()).increment(1);
    Ok(())
}

fn to_dto(m: audit_log::Model) -> AuditEntry {
    AuditEntry {
        id: m.id,
        actor_user_id: m.actor_user_id,
        actor_api_key_id: m.actor_api_key_id,
        actor_label: m.actor_label,
        action: m.action,
        route: m.route,
        target_id: m.target_id,
        status: m.status as u16,
        outcome: m.outcome.into(),
        request_id: m.request_id,
        ip: m.ip,
        created_at: m.created_at,
    }
}

/// One page of the organization's audit rows, newest first.
pub async fn list(state: &AppState, org: Uuid, q: &AuditQuery) -> ApiResult<Page<AuditEntry>> {
    let mut cond = Condition::all().add(audit_log::Column::OrganizationId.eq(org));
    if let Some(actor) = q.actor_user_id {
        cond = cond.add(audit_log::Column::ActorUserId.eq(actor));
    }
    if let Some(action) = q.action.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(audit_log::Column::Action.eq(action));
    }
    if let Some(outcome) = q.outcome {
        cond = cond.add(audit_log::Column::Outcome.eq(DbAuditOutcome::from(outcome)));
    }
    if let Some(from) = q.from {
        cond = cond.add(audit_log::Column::CreatedAt.gte(from));
    }
    if let Some(to) = q.to {
        cond = cond.add(audit_log::Column::CreatedAt.lt(to));
    }
    let select = audit_log::Entity::find()
        .filter(cond)
        .order_by_desc(audit_log::Column::Id);
    crate::db::page(select, q.limit, q.offset, &state.infra.db, to_dto).await
}
