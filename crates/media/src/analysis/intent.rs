//! Keyword and phrase intents, configured per organization.
//!
//! An [`IntentRule`] names an intent and lists phrases (matched as whole consecutive words)
//! and keywords (single words, `*` for a stem). A phrase match is strong evidence
//! (confidence 0.9 and up); keywords count when at least `min_keywords` distinct ones appear,
//! with confidence growing with their number. Each organization has its own rule set, checked
//! when it is set; organizations without one use the built-in contact-centre defaults.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::capability::analysis::IntentMatch;

use super::normalize::{matches_pattern, phrase_tokens, tokens};

/// A rule set that cannot be used.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum IntentConfigError {
    /// A rule has an empty name.
    #[error("intent rule {0} has an empty name")]
    EmptyName(usize),
    /// A rule has neither phrases nor keywords.
    #[error("intent `{0}` has no phrases or keywords")]
    NoEvidence(String),
    /// Two rules share a name.
    #[error("intent `{0}` is defined twice")]
    Duplicate(String),
    /// `min_keywords` exceeds the keyword count, so keywords could never match.
    #[error("intent `{0}` needs more keywords than it lists")]
    Unreachable(String),
}

fn one() -> usize {
    1
}

/// One intent and the words that reveal it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntentRule {
    /// Intent name reported on a match.
    pub name: String,
    /// Phrases, any language; each matches as consecutive words.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Keywords; a trailing `*` matches a stem.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Distinct keywords needed for a keyword match.
    #[serde(default = "one")]
    pub min_keywords: usize,
}

impl IntentRule {
    fn evaluate(&self, words: &[String]) -> Option<IntentMatch> {
        let mut evidence = Vec::new();
        let mut phrase_hits = 0usize;
        for phrase in &self.phrases {
            let wanted = phrase_tokens(phrase);
            if !wanted.is_empty() && words.windows(wanted.len()).any(|w| w == wanted.as_slice()) {
                phrase_hits += 1;
                evidence.push(phrase.clone());
            }
        }
        let mut keyword_hits = 0usize;
        for keyword in &self.keywords {
            let pattern = keyword.to_lowercase();
            if words.iter().any(|w| matches_pattern(w, &pattern)) {
                keyword_hits += 1;
                evidence.push(keyword.clone());
            }
        }
        let confidence = if phrase_hits > 0 {
            (0.9 + 0.05 * (phrase_hits - 1 + keyword_hits) as f32).min(1.0)
        } else if keyword_hits >= self.min_keywords.max(1) {
            (0.5 + 0.1 * (keyword_hits - 1) as f32).min(0.85)
        } else {
            return None;
        };
        Some(IntentMatch {
            intent: self.name.clone(),
            confidence,
            evidence,
        })
    }
}

/// Validates a rule set.
pub fn validate_rules(rules: &[IntentRule]) -> Result<(), IntentConfigError> {
    let mut seen = std::collections::HashSet::new();
    for (i, rule) in rules.iter().enumerate() {
        if rule.name.trim().is_empty() {
            return Err(IntentConfigError::EmptyName(i));
        }
        if rule.phrases.is_empty() && rule.keywords.is_empty() {
            return Err(IntentConfigError::NoEvidence(rule.name.clone()));
        }
        if rule.phrases.is_empty() && rule.min_keywords > rule.keywords.len() {
            return Err(IntentConfigError::Unreachable(rule.name.clone()));
        }
        if !seen.insert(rule.name.as_str()) {
            return Err(IntentConfigError::Duplicate(rule.name.clone()));
        }
    }
    Ok(())
}

/// Matches `text` against `rules`, best match first.
pub fn match_intents(rules: &[IntentRule], text: &str) -> Vec<IntentMatch> {
    let words = tokens(text);
    let mut matches: Vec<IntentMatch> = rules.iter().filter_map(|r| r.evaluate(&words)).collect();
    matches.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then_with(|| a.intent.cmp(&b.intent))
    });
    matches
}

fn rule(name: &str, phrases: &[&str], keywords: &[&str]) -> IntentRule {
    IntentRule {
        name: name.to_owned(),
        phrases: phrases.iter().map(|s| (*s).to_owned()).collect(),
        keywords: keywords.iter().map(|s| (*s).to_owned()).collect(),
        min_keywords: 1,
    }
}

/// Built-in contact-centre intents in English, Spanish and Czech.
pub fn default_rules() -> Vec<IntentRule> {
    vec![
        rule(
            "speak_to_agent",
            &[
                "speak to a human",
                "talk to a person",
                "real person",
                "hablar con una persona",
                "hablar con un agente",
                "mluvit s operátorem",
                "živého člověka",
            ],
            &[
                "agent",
                "representative",
                "operator",
                "operador",
                "agente",
                "operátor*",
                "operator*",
            ],
        ),
        rule(
            "cancel_service",
            &[
                "cancel my subscription",
                "close my account",
                "cancelar mi suscripción",
                "dar de baja",
                "zrušit předplatné",
                "zrušit smlouvu",
            ],
            &[
                "cancel*",
                "unsubscribe",
                "cancelar",
                "baja",
                "zrusit",
                "vypovede*",
            ],
        ),
        rule(
            "billing_question",
            &[
                "charged twice",
                "my bill",
                "mi factura",
                "cobro doble",
                "moje faktura",
                "dvakrát strženo",
            ],
            &[
                "bill*",
                "invoice*",
                "refund*",
                "charge*",
                "factura*",
                "reembolso",
                "cobro*",
                "faktur*",
                "vyuctovani",
                "platb*",
            ],
        ),
        rule(
            "complaint",
            &[
                "file a complaint",
                "make a complaint",
                "poner una queja",
                "podat stížnost",
            ],
            &[
                "complain*",
                "queja*",
                "reclamacion",
                "stiznost*",
                "reklamac*",
            ],
        ),
    ]
}

/// Intent rules per organization, with defaults for the rest.
#[derive(Debug, Clone)]
pub struct IntentCatalog {
    defaults: Vec<IntentRule>,
    by_organization: HashMap<Uuid, Vec<IntentRule>>,
}

impl Default for IntentCatalog {
    fn default() -> Self {
        Self {
            defaults: default_rules(),
            by_organization: HashMap::new(),
        }
    }
}

impl IntentCatalog {
    /// Replaces `organization`'s rules after validating them.
    pub fn set_rules(
        &mut self,
        organization: Uuid,
        rules: Vec<IntentRule>,
    ) -> Result<(), IntentConfigError> {
        validate_rules(&rules)?;
        self.by_organization.insert(organization, rules);
        Ok(())
    }

    /// Returns `organization` to the default rules.
    pub fn clear_rules(&mut self, organization: Uuid) {
        self.by_organization.remove(&organization);
    }

    /// The rules that apply to `organization`.
    pub fn rules_for(&self, organization: Uuid) -> &[IntentRule] {
        self.by_organization
            .get(&organization)
            .unwrap_or(&self.defaults)
    }

    /// Matches `text` with `organization`'s rules.
    pub fn match_text(&self, organization: Uuid, text: &str) -> Vec<IntentMatch> {
        match_intents(self.rules_for(organization), text)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn names(matches: &[IntentMatch]) -> Vec<&str> {
        matches.iter().map(|m| m.intent.as_str()).collect()
    }

    #[test]
    fn default_rules_recognise_each_language() {
        let catalog = IntentCatalog::default();
        let org = Uuid::nil();
        assert_eq!(
            names(&catalog.match_text(org, "Can I speak to a human please?"))[0],
            "speak_to_agent"
        );
        assert_eq!(
            names(&catalog.match_text(org, "Quiero cancelar mi suscripción"))[0],
            "cancel_service"
        );
        assert_eq!(
            names(&catalog.match_text(org, "Chci zrušit předplatné"))[0],
            "cancel_service"
        );
        assert_eq!(
            names(&catalog.match_text(org, "Chci podat stížnost"))[0],
            "complaint"
        );
        assert!(catalog.match_text(org, "What a lovely day").is_empty());
    }

    #[test]
    fn phrases_outrank_keywords_and_carry_their_evidence() {
        let matches = IntentCatalog::default().match_text(
            Uuid::nil(),
            "I was charged twice, I want a refund or I cancel",
        );
        assert_eq!(names(&matches), vec!["billing_question", "cancel_service"]);
        assert!(matches[0].confidence >= 0.9);
        assert!(matches[0].evidence.contains(&"charged twice".to_owned()));
        assert!(matches[1].confidence < 0.9);
    }

    #[test]
    fn phrases_need_whole_consecutive_words() {
        let rules = vec![rule("x", &["my bill"], &[])];
        assert!(match_intents(&rules, "my billing address").is_empty());
        assert!(match_intents(&rules, "bill my friend").is_empty());
        assert_eq!(match_intents(&rules, "About MY bill!").len(), 1);
    }

    #[test]
    fn each_organization_has_its_own_rules() {
        let mut catalog = IntentCatalog::default();
        let acme = Uuid::from_u128(1);
        let rules: Vec<IntentRule> = serde_json::from_str(
            r#"[{"name":"order_status","phrases":["where is my order"],"keywords":["tracking","package","delivery"],"min_keywords":2}]"#,
        )
        .unwrap();
        catalog.set_rules(acme, rules).unwrap();
        assert_eq!(
            names(&catalog.match_text(acme, "Where is my order?")),
            vec!["order_status"]
        );
        assert!(
            catalog.match_text(acme, "my package").is_empty(),
            "one keyword is below min_keywords"
        );
        assert_eq!(
            names(&catalog.match_text(acme, "package tracking")),
            vec!["order_status"]
        );
        assert!(
            catalog
                .match_text(acme, "cancel my subscription")
                .is_empty(),
            "acme replaced the defaults"
        );
        assert_eq!(
            names(&catalog.match_text(Uuid::nil(), "cancel my subscription")),
            vec!["cancel_service"]
        );
        catalog.clear_rules(acme);
        assert_eq!(
            names(&catalog.match_text(acme, "cancel my subscription")),
            vec!["cancel_service"]
        );
    }

    #[test]
    fn invalid_rule_sets_are_refused() {
        let mut catalog = IntentCatalog::default();
        let org = Uuid::from_u128(2);
        assert_eq!(
            catalog.set_rules(org, vec![rule(" ", &["a"], &[])]),
            Err(IntentConfigError::EmptyName(0))
        );
        assert_eq!(
            catalog.set_rules(org, vec![rule("a", &[], &[])]),
            Err(IntentConfigError::NoEvidence("a".into()))
        );
        assert_eq!(
            catalog.set_rules(org, vec![rule("a", &["x"], &[]), rule("a", &["y"], &[])]),
            Err(IntentConfigError::Duplicate("a".into()))
        );
        let unreachable = IntentRule {
            min_keywords: 3,
            ..rule("a", &[], &["x", "y"])
        };
        assert_eq!(
            catalog.set_rules(org, vec![unreachable]),
            Err(IntentConfigError::Unreachable("a".into()))
        );
        assert_eq!(catalog.rules_for(org), default_rules().as_slice());
    }
}
