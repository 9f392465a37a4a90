//! Shift templates and shifts (sea-orm entities).

/// A shift template row.
pub mod template {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "shift_templates")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub organization_id: Uuid,
        pub name: String,
        /// The name in lower case: unique per organization.
        pub name_key: String,
        pub start_time: String,
        pub end_time: String,
        /// `TemplateBreak`s as a JSON array.
        pub breaks: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A time-off row.
pub mod time_off {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "time_off")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub organization_id: Uuid,
        pub agent_id: Uuid,
        pub start_at: DateTimeUtc,
        pub end_at: DateTimeUtc,
        pub reason: Option<String>,
        pub status: String,
        pub requested_by: Option<Uuid>,
        pub decided_by: Option<Uuid>,
        pub decided_at: Option<DateTimeUtc>,
        pub note: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "crate::agents::entity::agent::Entity",
            from = "Column::AgentId",
            to = "crate::agents::entity::agent::Column::Id"
        )]
        Agent,
    }

    impl Related<crate::agents::entity::agent::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Agent.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// A shift row.
pub mod shift {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "shifts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub organization_id: Uuid,
        pub agent_id: Uuid,
        pub start_at: DateTimeUtc,
        pub end_at: DateTimeUtc,
        /// `ShiftBreak`s as a JSON array.
        pub breaks: String,
        pub template_id: Option<Uuid>,
        pub time_zone: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "crate::agents::entity::agent::Entity",
            from = "Column::AgentId",
            to = "crate::agents::entity::agent::Column::Id"
        )]
        Agent,
    }

    impl Related<crate::agents::entity::agent::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Agent.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}
