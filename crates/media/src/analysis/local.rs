//! The keyless [`TextAnalyzer`]: language detection, lexicon sentiment and catalog intents.

use std::sync::{Arc, RwLock};

use crate::capability::analysis::{AnalysisRequest, TextAnalysis, TextAnalyzer};
use crate::capability::{BoxFuture, ProviderError};

use super::intent::IntentCatalog;
use super::language::LanguageDetector;
use super::sentiment;

/// Local text analysis; cheap enough to run on every transcript line.
#[derive(Clone)]
pub struct LocalTextAnalyzer {
    detector: Arc<LanguageDetector>,
    catalog: Arc<RwLock<IntentCatalog>>,
}

impl LocalTextAnalyzer {
    /// An analyzer using `catalog` for intents; the catalog can be updated while in use.
    pub fn new(catalog: Arc<RwLock<IntentCatalog>>) -> Self {
        Self {
            detector: Arc::new(LanguageDetector::new()),
            catalog,
        }
    }

    /// Analyses synchronously.
    ///
    /// A reliable detection wins over the hint (a Spanish speaker on an English line); an
    /// unreliable one is ignored. With neither, the language is reported unknown and
    /// sentiment uses every language's word lists.
    pub fn analyze_now(
        &self,
        request: &AnalysisRequest<'_>,
    ) -> Result<TextAnalysis, ProviderError> {
        let detected = self.detector.detect(request.text);
        let language = match (request.language_hint, detected) {
            (_, Some(guess)) if guess.reliable => Some(guess.language),
            (hint, _) => hint,
        };
        let intents = self
            .catalog
            .read()
            .map_err(|_| ProviderError::Unavailable {
                provider: "local".into(),
                detail: "intent catalog lock poisoned".into(),
            })?
            .match_text(request.organization_id, request.text);
        Ok(TextAnalysis {
            language,
            sentiment: sentiment::score(request.text, language),
            intents,
        })
    }
}

impl TextAnalyzer for LocalTextAnalyzer {
    fn name(&self) -> &str {
        "local"
    }

    fn analyze<'a>(
        &'a self,
        request: AnalysisRequest<'a>,
    ) -> BoxFuture<'a, Result<TextAnalysis, ProviderError>> {
        let result = self.analyze_now(&request);
        Box::pin(std::future::ready(result))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use uuid::Uuid;

    use super::*;
    use crate::capability::Language;
    use crate::capability::analysis::SentimentLabel;

    fn analyzer() -> LocalTextAnalyzer {
        LocalTextAnalyzer::new(Arc::new(RwLock::new(IntentCatalog::default())))
    }

    #[test]
    fn a_spanish_complaint_is_detected_scored_and_classified() {
        let a = analyzer();
        let request = AnalysisRequest {
            organization_id: Uuid::nil(),
            text: "Estoy muy enojado, me cobraron dos veces y quiero hablar con un agente ahora mismo",
            language_hint: Some(Language::En),
        };
        let result = a.analyze_now(&request).unwrap();
        assert_eq!(result.language, Some(Language::Es));
        assert_eq!(result.sentiment.label, SentimentLabel::Negative);
        assert_eq!(result.intents[0].intent, "speak_to_agent");
    }

    #[test]
    fn short_text_falls_back_to_the_hint() {
        let result = analyzer()
            .analyze_now(&AnalysisRequest {
                organization_id: Uuid::nil(),
                text: "super, díky",
                language_hint: Some(Language::Cs),
            })
            .unwrap();
        assert_eq!(result.language, Some(Language::Cs));
        assert_eq!(result.sentiment.label, SentimentLabel::Positive);
    }

    #[test]
    fn the_trait_object_answers_through_its_future() {
        let a: Box<dyn TextAnalyzer> = Box::new(analyzer());
        assert_eq!(a.name(), "local");
        let mut fut = pin!(a.analyze(AnalysisRequest {
            organization_id: Uuid::nil(),
            text: "thank you so much",
            language_hint: None
        }));
        let Poll::Ready(result) = fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) else {
            panic!("the local analyzer never waits");
        };
        assert_eq!(result.unwrap().sentiment.label, SentimentLabel::Positive);
    }
}
