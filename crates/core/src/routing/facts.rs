//! What is known about a call when it is routed.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The facts routing conditions are checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallFacts {
    /// The dialled number, E.164.
    pub called: String,
    /// The caller's number, E.164.
    pub caller: String,
    /// The caller's country (ISO 3166 alpha-2), when known.
    pub caller_country: Option<String>,
    /// The detected language.
    pub language: Option<String>,
    /// The customer's tags.
    pub tags: Vec<String>,
    /// The customer's segment.
    pub segment: Option<String>,
    /// Flow variables.
    pub variables: BTreeMap<String, String>,
    /// The detected intent.
    pub intent: Option<String>,
    /// When the call is routed.
    pub at: DateTime<Utc>,
}

impl CallFacts {
    /// Facts with only the numbers and the time known.
    pub fn new(called: &str, caller: &str, at: DateTime<Utc>) -> Self {
        Self {
            called: called.to_owned(),
            caller: caller.to_owned(),
            caller_country: None,
            language: None,
            tags: Vec::new(),
            segment: None,
            variables: BTreeMap::new(),
            intent: None,
            at,
        }
    }
}
