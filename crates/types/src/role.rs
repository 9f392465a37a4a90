//! Roles a user can hold and the languages the product speaks.

use serde::{Deserialize, Serialize};

/// What a person may do in an organization. Routes declare which roles may call them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages the organization: users, API keys, settings, audit.
    Admin,
    /// Runs the floor: live calls, agents, queues, QA.
    Supervisor,
    /// Handles contacts.
    Agent,
    /// Reads reports and analytics.
    Analyst,
}

impl Role {
    /// Every role, in a stable order.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Supervisor, Role::Agent, Role::Analyst];

    /// The wire name (`admin`, `supervisor`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Agent => "agent",
            Role::Analyst => "analyst",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A language of the user interface and of error details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// English.
    #[default]
    En,
    /// Spanish.
    Es,
    /// Czech.
    Cs,
}

impl Language {
    /// Every supported language.
    pub const ALL: [Language; 3] = [Language::En, Language::Es, Language::Cs];

    /// The BCP 47 primary tag (`en`, `es`, `cs`).
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
            Language::Cs => "cs",
        }
    }

    /// Parses a primary language tag, ignoring region and case (`es-MX` is Spanish).
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.as_str() == primary)
    }

    /// Picks the best supported language from an `Accept-Language` header value,
    /// honouring q-values; falls back to English.
    pub fn negotiate(header: &str) -> Language {
        let mut best: Option<(Language, f32)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Language::from_tag(tag)
                && best.is_none_or(|(_, bq)| q > bq)
            {
                best = Some((lang, q));
            }
        }
        best.map(|(l, _)| l).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_highest_quality_supported_tag() {
        assert_eq!(
            Language::negotiate("de-DE, cs;q=0.8, es;q=0.9"),
            Language::Es
        );
        assert_eq!(Language::negotiate("cs-CZ,cs;q=0.9,en;q=0.5"), Language::Cs);
        assert_eq!(Language::negotiate("fr"), Language::En);
        assert_eq!(Language::negotiate(""), Language::En);
    }

    #[test]
    fn roles_round_trip_by_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
