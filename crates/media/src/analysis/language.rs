//! Language detection restricted to the languages the product supports (whatlang).
//!
//! Restricting the candidates to English, Spanish and Czech makes short utterances far more
//! accurate than open detection. A guess is `reliable` only when whatlang says so; short or
//! mixed text should defer to the call's configured language.

use whatlang::{Detector, Lang};

use crate::capability::Language;

/// A detected language and how sure the detector is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LanguageGuess {
    /// The language.
    pub language: Language,
    /// 0..=1.
    pub confidence: f64,
    /// Whether the guess is trustworthy on its own.
    pub reliable: bool,
}

/// Detects which supported language `text` is in.
pub struct LanguageDetector {
    detector: Detector,
}

impl Default for LanguageDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl LanguageDetector {
    /// A detector for English, Spanish and Czech.
    pub fn new() -> Self {
        Self {
            detector: Detector::with_allowlist(vec![Lang::Eng, Lang::Spa, Lang::Ces]),
        }
    }

    /// The best guess, or `None` for text with no letters.
    pub fn detect(&self, text: &str) -> Option<LanguageGuess> {
        let info = self.detector.detect(text)?;
        let language = match info.lang() {
            Lang::Eng => Language::En,
            Lang::Spa => Language::Es,
            Lang::Ces => Language::Cs,
            _ => return None,
        };
        Some(LanguageGuess {
            language,
            confidence: info.confidence(),
            reliable: info.is_reliable(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn whole_sentences_are_recognised() {
        let d = LanguageDetector::new();
        let cases = [
            (
                "I would like to cancel my subscription because the service has been terrible lately",
                Language::En,
            ),
            (
                "Quisiera cancelar mi suscripción porque el servicio ha sido terrible últimamente",
                Language::Es,
            ),
            (
                "Chtěl bych zrušit své předplatné, protože služba byla v poslední době hrozná",
                Language::Cs,
            ),
        ];
        for (text, expected) in cases {
            let guess = d.detect(text).unwrap();
            assert_eq!(guess.language, expected, "{text}");
            assert!(guess.reliable, "{text}: {guess:?}");
        }
    }

    #[test]
    fn text_without_letters_has_no_language() {
        assert_eq!(LanguageDetector::new().detect("1234 5678 !!"), None);
    }
}
