//! Enum columns, typed: the database holds a cc-types enum's wire name and the entity
//! holds the enum, so an unknown value is a decoding error at the edge, never a string
//! parsed with a silent default in five places. (cc-types stays free of database
//! derives; these mirror its enums one to one.)

use cc_types::audit::AuditOutcome;
use cc_types::{Language, Role};
use sea_orm::entity::prelude::*;

/// [`Role`] as a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DbRole {
    #[sea_orm(string_value = "admin")]
    Admin,
    #[sea_orm(string_value = "supervisor")]
    Supervisor,
    #[sea_orm(string_value = "agent")]
    Agent,
    #[sea_orm(string_value = "analyst")]
    Analyst,
}

impl From<Role> for DbRole {
    fn from(r: Role) -> Self {
        match r {
            Role::Admin => DbRole::Admin,
            Role::Supervisor => DbRole::Supervisor,
            Role::Agent => DbRole::Agent,
            Role::Analyst => DbRole::Analyst,
        }
    }
}

impl From<DbRole> for Role {
    fn from(r: DbRole) -> Self {
        match r {
            DbRole::Admin => Role::Admin,
            DbRole::Supervisor => Role::Supervisor,
            DbRole::Agent => Role::Agent,
            DbRole::Analyst => Role::Analyst,
        }
    }
}

/// [`Language`] as a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum DbLanguage {
    #[sea_orm(string_value = "en")]
    En,
    #[sea_orm(string_value = "es")]
    Es,
    #[sea_orm(string_value = "cs")]
    Cs,
}

impl From<Language> for DbLanguage {
    fn from(l: Language) -> Self {
        match l {
            Language::En => DbLanguage::En,
            Language::Es => DbLanguage::Es,
            Language::Cs => DbLanguage::Cs,
        }
    }
}

impl From<DbLanguage> for Language {
    fn from(l: DbLanguage) -> Self {
        match l {
            DbLanguage::En => Language::En,
            DbLanguage::Es => Language::Es,
            DbLanguage::Cs => Language::Cs,
        }
    }
}

/// [`AuditOutcome`] as a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DbAuditOutcome {
    #[sea_orm(string_value = "success")]
    Success,
    #[sea_orm(string_value = "failure")]
    Failure,
}

impl From<AuditOutcome> for DbAuditOutcome {
    fn from(o: AuditOutcome) -> Self {
        match o {
            AuditOutcome::Success => DbAuditOutcome::Success,
            AuditOutcome::Failure => DbAuditOutcome::Failure,
        }
    }
}

impl From<DbAuditOutcome> for AuditOutcome {
    fn from(o: DbAuditOutcome) -> Self {
        match o {
            DbAuditOutcome::Success => AuditOutcome::Success,
            DbAuditOutcome::Failure => AuditOutcome::Failure,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::ActiveEnum;

    #[test]
    fn columns_hold_the_wire_names_of_the_cc_types_enums() {
        for role in Role::ALL {
            assert_eq!(DbRole::from(role).to_value(), role.as_str());
            assert_eq!(Role::from(DbRole::from(role)), role);
        }
        for outcome in [AuditOutcome::Success, AuditOutcome::Failure] {
            assert_eq!(DbAuditOutcome::from(outcome).to_value(), outcome.as_str());
        }
        for lang in Language::ALL {
            assert_eq!(DbLanguage::from(lang).to_value(), lang.as_str());
            assert_eq!(Language::from(DbLanguage::from(lang)), lang);
        }
    }
}
