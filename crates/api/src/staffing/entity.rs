//! A team's forecast of one local day (sea-orm entity).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "staffing_forecasts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub team_id: Uuid,
    /// `YYYY-MM-DD` in `time_zone`: unique per team.
    pub local_date: String,
    pub time_zone: String,
    /// Local midnight of the day.
    pub start_at: DateTimeUtc,
    /// The next local midnight.
    pub end_at: DateTimeUtc,
    pub interval_secs: i32,
    /// Calls per interval from `start_at`, as a JSON array of numbers.
    pub calls: String,
    pub aht_secs: f64,
    pub service_level: f64,
    pub answer_within_secs: f64,
    pub patience_secs: f64,
    pub updated_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The calls per interval.
    pub fn calls(&self) -> Vec<f64> {
        serde_json::from_str(&self.calls).unwrap_or_default()
    }
}
