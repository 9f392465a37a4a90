//! Text analysis of transcript lines: sentiment, intents and language.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{BoxFuture, Language, ProviderError};

/// Overall polarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SentimentLabel {
    /// Clearly positive.
    Positive,
    /// Neither.
    Neutral,
    /// Clearly negative.
    Negative,
}

/// Sentiment of a text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sentiment {
    /// −1 (very negative) to 1 (very positive).
    pub score: f32,
    /// The score's band.
    pub label: SentimentLabel,
}

/// An intent recognised in a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentMatch {
    /// Intent name as configured, e.g. `cancel_subscription`.
    pub intent: String,
    /// 0..=1.
    pub confidence: f32,
    /// The phrases or keywords that matched.
    pub evidence: Vec<String>,
}

/// Result of analysing one text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextAnalysis {
    /// Language used for the analysis, when known.
    pub language: Option<Language>,
    /// Sentiment.
    pub sentiment: Sentiment,
    /// Intents, best first.
    pub intents: Vec<IntentMatch>,
}

/// What to analyse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisRequest<'a> {
    /// The organization whose intent configuration applies.
    pub organization_id: Uuid,
    /// The text.
    pub text: &'a str,
    /// The language if already known (from the call's settings or the STT provider).
    pub language_hint: Option<Language>,
}

/// A provider of text analysis.
pub trait TextAnalyzer: Send + Sync {
    /// Provider name.
    fn name(&self) -> &str;
    /// Analyses one text.
    fn analyze<'a>(
        &'a self,
        request: AnalysisRequest<'a>,
    ) -> BoxFuture<'a, Result<TextAnalysis, ProviderError>>;
}
