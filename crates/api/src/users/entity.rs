//! Users (sea-orm entity).

use sea_orm::entity::prelude::*;

use crate::db::enums::{DbLanguage, DbRole};

/// A user row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: DbRole,
    /// The choice before it could be unset; written as the choice or English, read by the
    /// previous version only.
    pub language: DbLanguage,
    /// The person's chosen interface language; `None` follows the browser.
    pub preferred_language: Option<DbLanguage>,
    pub password_hash: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
