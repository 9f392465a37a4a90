//! The AI capabilities a call can use, as provider-neutral traits: a speech-to-speech agent
//! ([`agent`]), streaming transcription ([`transcription`]), speech synthesis ([`synthesis`])
//! and text analysis ([`analysis`]).
//!
//! The call task holds, per capability, an ordered list of `Arc<dyn Trait>` providers for its
//! organization and moves to the next when one fails; that is why every trait is
//! object-safe and returns boxed futures. Errors are [`ProviderError`], whose variants tell the
//! failover logic whether trying again or elsewhere can help. Concrete remote providers
//! (OpenAI, Gemini, Deepgram) are not in this crate yet; the keyless local text analyzer is in
//! [`crate::analysis`].

pub mod agent;
pub mod analysis;
pub mod synthesis;
pub mod transcription;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A boxed, sendable future, as returned by the capability traits.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a provider could not serve a request.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum ProviderError {
    /// The provider is down, timed out or dropped the connection.
    #[error("{provider} unavailable: {detail}")]
    Unavailable {
        /// Provider name.
        provider: String,
        /// What happened.
        detail: String,
    },
    /// The provider asked us to slow down.
    #[error("{provider} rate limited")]
    RateLimited {
        /// Provider name.
        provider: String,
        /// When to try again, if the provider said.
        retry_after: Option<Duration>,
    },
    /// Credentials were refused; retrying will not help.
    #[error("{provider} rejected the credentials")]
    Unauthorized {
        /// Provider name.
        provider: String,
    },
    /// The provider sent something this library cannot understand.
    #[error("{provider} protocol error: {detail}")]
    Protocol {
        /// Provider name.
        provider: String,
        /// What was wrong.
        detail: String,
    },
    /// The request itself was refused (bad input, unsupported language).
    #[error("{provider} refused the request: {detail}")]
    Rejected {
        /// Provider name.
        provider: String,
        /// Why.
        detail: String,
    },
}

impl ProviderError {
    /// Whether moving to another provider (or retrying later) may succeed.
    pub fn warrants_failover(&self) -> bool {
        matches!(
            self,
            Self::Unavailable { .. }
                | Self::RateLimited { .. }
                | Self::Protocol { .. }
                | Self::Unauthorized { .. }
        )
    }
}

/// A language the product supports end to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    En,
    /// Spanish.
    Es,
    /// Czech.
    Cs,
}

impl Language {
    /// All supported languages.
    pub const ALL: [Language; 3] = [Language::En, Language::Es, Language::Cs];

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Es => "es",
            Self::Cs => "cs",
        }
    }

    /// Parses an ISO 639-1 code or a BCP-47 tag (`es-MX` → Spanish).
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" | "eng" => Some(Self::En),
            "es" | "spa" => Some(Self::Es),
            "cs" | "ces" | "cze" => Some(Self::Cs),
            _ => None,
        }
    }
}

/// Who said a line of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Speaker {
    /// The caller.
    Customer,
    /// The AI agent.
    Assistant,
    /// A human agent.
    Agent,
}

/// One finished line of the conversation, as text; carried to the next provider on failover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationTurn {
    /// Who spoke.
    pub speaker: Speaker,
    /// What was said.
    pub text: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_map_to_supported_languages() {
        assert_eq!(Language::from_tag("es-MX"), Some(Language::Es));
        assert_eq!(Language::from_tag("CS"), Some(Language::Cs));
        assert_eq!(Language::from_tag("en_GB"), Some(Language::En));
        assert_eq!(Language::from_tag("de"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[test]
    fn only_request_errors_stay_with_the_provider() {
        let rejected = ProviderError::Rejected {
            provider: "x".into(),
            detail: "empty".into(),
        };
        assert!(!rejected.warrants_failover());
        assert!(
            ProviderError::Unavailable {
                provider: "x".into(),
                detail: "eof".into()
            }
            .warrants_failover()
        );
    }
}
