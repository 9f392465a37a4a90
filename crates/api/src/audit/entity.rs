//! The audit log (sea-orm entity).

use sea_orm::entity::prelude::*;

use crate::db::enums::DbAuditOutcome;

/// One recorded mutation.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub actor_user_id: Option<Uuid>,
    pub actor_api_key_id: Option<Uuid>,
    pub actor_label: Option<String>,
    pub action: String,
    pub route: String,
    pub target_id: Option<String>,
    pub status: i16,
    pub outcome: DbAuditOutcome,
    pub request_id: String,
    pub ip: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
