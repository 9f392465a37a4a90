//! Agent profiles: who takes contacts, in which team, with which skills and languages.
//! A profile belongs to a user with the agent or supervisor role.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::{Validate, ValidationError};

use crate::Role;

/// Highest skill proficiency; 1 is a novice, 10 the best the organization has.
pub const MAX_SKILL_LEVEL: u8 = 10;

/// A BCP 47 language tag (`cs`, `es-MX`, `en-US`), stored in canonical case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LanguageTag(pub String);

/// The rule behind [`LanguageTag`]: a 2–3 letter language and optional subtags of 1–8
/// letters or digits, 35 characters at most.
pub const LANGUAGE_TAG_PATTERN: &str = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$";

impl LanguageTag {
    /// True when `s` is a well-formed tag.
    pub fn is_valid(s: &str) -> bool {
        let mut parts = s.split('-');
        let lang_ok = parts.next().is_some_and(|l| {
            (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic())
        });
        lang_ok
            && s.len() <= 35
            && parts
                .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
    }

    /// Canonical case: language lower, regions upper, scripts title (`es-mx` → `es-MX`).
    pub fn canonical(&self) -> LanguageTag {
        let parts: Vec<String> = self
            .0
            .split('-')
            .enumerate()
            .map(|(i, p)| match (i, p.len()) {
                (0, _) => p.to_ascii_lowercase(),
                (_, 2) => p.to_ascii_uppercase(),
                (_, 4) => {
                    let lower = p.to_ascii_lowercase();
                    let mut c = lower.chars();
                    c.next()
                        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                        .unwrap_or_default()
                }
                _ => p.to_ascii_lowercase(),
            })
            .collect();
        LanguageTag(parts.join("-"))
    }
}

/// The check behind a list of [`LanguageTag`]s: `validate(custom(function = language_tags))`.
pub fn language_tags(tags: &[LanguageTag]) -> Result<(), ValidationError> {
    if tags.iter().all(|t| LanguageTag::is_valid(&t.0)) {
        Ok(())
    } else {
        Err(ValidationError::new("language_tag"))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for LanguageTag {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(2))
            .max_length(Some(35))
            .pattern(Some(LANGUAGE_TAG_PATTERN))
            .description(Some("A BCP 47 language tag: `cs`, `es-MX`, `en-US`"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for LanguageTag {}

/// An IANA time-zone name (`Europe/Prague`), checked against the tz database.
pub fn iana_time_zone(value: &str) -> Result<(), ValidationError> {
    value
        .parse::<chrono_tz::Tz>()
        .map(|_| ())
        .map_err(|_| ValidationError::new("time_zone"))
}

/// The schema of a nullable time-zone field: one of the tz database's names.
#[cfg(feature = "openapi")]
pub fn time_zone_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{SchemaType, Type};
    let mut names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    names.sort_unstable();
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(names.into_iter().map(Some).chain([None::<&str>])))
        .description(Some(
            "An IANA time-zone name (`Europe/Prague`); `null` follows the organization",
        ))
        .build()
}

/// A skill an agent holds, at a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentSkill {
    /// A skill of the organization's catalogue.
    pub skill_id: Uuid,
    /// Proficiency, 1 (novice) to 10 (expert).
    #[validate(range(min = 1, max = 10))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10))]
    pub level: u8,
}

/// A held skill as shown: with its catalogue name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldSkill {
    /// The skill's id.
    pub skill_id: Uuid,
    /// Its current name in the catalogue.
    pub name: String,
    /// Proficiency, 1 to 10.
    pub level: u8,
}

/// An agent profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agent {
    /// UUID v7.
    pub id: Uuid,
    /// The organization.
    pub organization_id: Uuid,
    /// The user the profile belongs to.
    pub user_id: Uuid,
    /// The user's name.
    pub display_name: String,
    /// The user's sign-in email.
    pub email: String,
    /// The user's role: `agent` or `supervisor`.
    pub role: Role,
    /// The team the agent belongs to; `null` while unassigned.
    pub team_id: Option<Uuid>,
    /// Phone extension, unique in the organization.
    pub extension: Option<String>,
    /// Languages spoken, as BCP 47 tags.
    pub languages: Vec<LanguageTag>,
    /// Skills held, by name.
    pub skills: Vec<HeldSkill>,
    /// The queues the agent may serve.
    pub queue_ids: Vec<Uuid>,
    /// The agent's time zone; `null` follows the organization's.
    pub time_zone: Option<String>,
    /// After-call work allowed, in seconds, overriding the queue's; `null` keeps the queue's.
    pub wrap_up_secs: Option<u32>,
    /// Whether calls an AI agent hands to a human may be offered to this agent.
    pub accepts_ai_handoff: bool,
    /// The agent's current state.
    pub presence: crate::presence::AgentPresence,
    /// When the profile was created.
    pub created_at: DateTime<Utc>,
    /// When the profile last changed.
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/agents`: a profile for a user with the agent or supervisor role.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateAgentRequest {
    /// The user; one profile per user.
    pub user_id: Uuid,
    /// Phone extension: 2 to 15 digits, unique in the organization.
    #[serde(default)]
    #[validate(length(min = 2, max = 15), custom(function = digits))]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 2, max_length = 15, pattern = r"^[0-9]*$")
    )]
    pub extension: Option<String>,
    /// Languages spoken (BCP 47), at most 20; repeated tags count once.
    #[serde(default)]
    #[validate(length(max = 20), custom(function = language_tags))]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub languages: Vec<LanguageTag>,
    /// Skills with levels, at most 100; a skill given twice keeps the last level.
    #[serde(default)]
    #[validate(length(max = 100), nested)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub skills: Vec<AgentSkill>,
    /// Queues the agent may serve, at most 100.
    #[serde(default)]
    #[validate(length(max = 100))]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub queue_ids: Vec<Uuid>,
    /// The team; a supervisor must name one of the teams they manage or leave it unset.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        )
    )]
    pub team_id: Option<Uuid>,
    /// IANA time zone; unset follows the organization.
    #[serde(default)]
    #[validate(custom(function = iana_time_zone))]
    #[cfg_attr(feature = "openapi", schema(schema_with = time_zone_schema))]
    pub time_zone: Option<String>,
    /// After-call work in seconds (0 to 3600), overriding the queue's.
    #[serde(default)]
    #[validate(range(max = 3600))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 3600))]
    pub wrap_up_secs: Option<u32>,
    /// Whether AI handoffs may be offered (default true).
    #[serde(default = "yes")]
    pub accepts_ai_handoff: bool,
}

fn yes() -> bool {
    true
}

/// Digits only (an extension).
pub fn digits(value: &str) -> Result<(), ValidationError> {
    if value.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ValidationError::new("digits"))
    }
}

/// `PATCH /api/agents/{id}`: only the fields given change; lists are replaced whole,
/// `null` clears a nullable field.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateAgentRequest {
    /// New extension; `null` removes it.
    #[serde(
        default,
        deserialize_with = "crate::rules::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[validate(length(min = 2, max = 15), custom(function = digits))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, min_length = 2, max_length = 15, pattern = r"^[0-9]*$"))]
    pub extension: Option<Option<String>>,
    /// The languages spoken, replacing the old list.
    #[validate(length(max = 20), custom(function = language_tags))]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub languages: Option<Vec<LanguageTag>>,
    /// The skills held, replacing the old list.
    #[validate(length(max = 100), nested)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub skills: Option<Vec<AgentSkill>>,
    /// The queues served, replacing the old list.
    #[validate(length(max = 100))]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub queue_ids: Option<Vec<Uuid>>,
    /// New time zone; `null` follows the organization.
    #[serde(
        default,
        deserialize_with = "crate::rules::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[validate(custom(function = iana_time_zone))]
    #[cfg_attr(feature = "openapi", schema(schema_with = time_zone_schema))]
    pub time_zone: Option<Option<String>>,
    /// New wrap-up override; `null` keeps the queue's.
    #[serde(
        default,
        deserialize_with = "crate::rules::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[validate(range(max = 3600))]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, minimum = 0, maximum = 3600))]
    pub wrap_up_secs: Option<Option<u32>>,
    /// Whether AI handoffs may be offered.
    pub accepts_ai_handoff: Option<bool>,
}

/// `PUT /api/agents/{id}/assign`: the agent's team; `null` takes them out of any team.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignAgentRequest {
    /// The team.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
        )
    )]
    pub team_id: Option<Uuid>,
}

/// Filters of `GET /api/agents` and `GET /api/teams/{id}/agents`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AgentListQuery {
    /// Page size, 1 to 500 (default 50).
    #[validate(range(min = 1, max = 500))]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub limit: Option<u64>,
    /// Rows to skip, at most 1,000,000.
    #[validate(range(max = 1_000_000))]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 1_000_000))]
    pub offset: Option<u64>,
    /// Only members of this team.
    pub team_id: Option<Uuid>,
    /// Only agents holding this skill.
    pub skill_id: Option<Uuid>,
    /// Only agents without a team.
    pub unassigned: Option<bool>,
    /// Only agents in this state.
    pub state: Option<crate::presence::PresenceState>,
    /// Case-insensitive substring of the name or email.
    #[validate(length(max = 120), custom(function = crate::rules::single_line))]
    #[cfg_attr(
        feature = "openapi",
        param(max_length = 120, pattern = r"^[^\u0000-\u001F\u007F-\u009F]*$")
    )]
    pub q: Option<String>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn language_tags_are_checked_and_put_in_canonical_case() {
        for ok in ["cs", "es-MX", "en-us", "zh-hant-TW", "sr-Latn"] {
            assert!(LanguageTag::is_valid(ok), "{ok}");
        }
        for bad in [
            "",
            "c",
            "czech",
            "es_MX",
            "en-",
            "-en",
            "en-toolongsubtag",
            "é",
        ] {
            assert!(!LanguageTag::is_valid(bad), "{bad}");
        }
        assert_eq!(LanguageTag("ES-mx".into()).canonical().0, "es-MX");
        assert_eq!(LanguageTag("zh-HANT-tw".into()).canonical().0, "zh-Hant-TW");
    }

    #[test]
    fn time_zones_come_from_the_tz_database() {
        assert!(iana_time_zone("Europe/Prague").is_ok());
        assert!(iana_time_zone("America/New_York").is_ok());
        assert!(iana_time_zone("Europe/Brno").is_err());
        assert!(iana_time_zone("europe/prague").is_err());
    }

    #[test]
    fn a_create_request_defaults_to_accepting_ai_handoffs() {
        let req: CreateAgentRequest =
            serde_json::from_value(serde_json::json!({"user_id": Uuid::nil()})).unwrap();
        assert!(req.accepts_ai_handoff);
        assert!(req.validate().is_ok());
        let bad: CreateAgentRequest = serde_json::from_value(
            serde_json::json!({"user_id": Uuid::nil(), "extension": "12a", "skills": [{"skill_id": Uuid::nil(), "level": 11}]}),
        )
        .unwrap();
        let errors = bad.validate().unwrap_err();
        assert!(errors.field_errors().contains_key("extension"));
        assert!(errors.errors().contains_key("skills"));
        let tags = vec![LanguageTag("cs".into()), LanguageTag("c-zech".into())];
        assert!(language_tags(&tags).is_err());
        assert!(language_tags(&tags[..1]).is_ok());
    }
}
