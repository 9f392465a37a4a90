//! Sessions: one row per sign-in (sea-orm entity). Refresh tokens belong to a session
//! (their `family_id`); rotation and revocation both take this row's lock first, so a
//! refresh racing a logout or a password change is either refused or revoked with it.

use sea_orm::entity::prelude::*;

/// A session row.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub user_id: Uuid,
    pub revoked_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
