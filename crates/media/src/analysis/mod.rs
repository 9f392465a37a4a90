//! Keyless local text analysis: lexicon sentiment for English, Spanish and Czech, keyword and
//! phrase intents configured per organization, and language detection (whatlang).
//!
//! It is the fallback that keeps live sentiment and intent working when no AI provider is
//! configured or all are down. It is deliberately simple and predictable: supervisors can read
//! the rules that fired. Text is normalised once (lower case, diacritics folded, apostrophes
//! dropped) so "Děkuji", "dekuji" and "DEKUJI" are the same word.

pub mod intent;
pub mod language;
mod lexicon;
pub mod local;
pub mod normalize;
pub mod sentiment;
