//! The agent-state log and the organization's not-ready reasons (sea-orm entities).

/// One change of an agent's state; rows are only ever appended.
pub mod state_log {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "agent_state_log")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub organization_id: Uuid,
        pub agent_id: Uuid,
        /// 1 for the agent's first change, then one more each time; unique per agent, so
        /// two changes computed from the same state cannot both be written.
        pub version: i64,
        pub state: String,
        pub reason: Option<String>,
        pub forced: bool,
        pub cause: String,
        /// Who asked (the agent, a supervisor); `None` for the system.
        pub actor_id: Option<Uuid>,
        pub team_id: Option<Uuid>,
        pub at: DateTimeUtc,
        pub previous_state: Option<String>,
        pub previous_secs: Option<f64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A not-ready reason the organization added, or a built-in one it changed.
pub mod reason {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "not_ready_reasons")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub organization_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub code: String,
        pub name: Option<String>,
        pub max_duration_secs: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
