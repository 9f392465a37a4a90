//! Lexicon-based sentiment scoring.
//!
//! Each sentiment word contributes its valence, strengthened by a preceding intensifier,
//! flipped and dampened by a negator up to three words before it (or by Czech `ne-` fused to
//! the word), and re-weighted around a contrast word (before "but" counts half, after it one
//! and a half). The sum is squashed to −1..1 with `x / sqrt(x² + 15)`, the normalisation VADER
//! uses, so one strong word is decisive but never saturates.

use crate::capability::Language;
use crate::capability::analysis::{Sentiment, SentimentLabel};

use super::lexicon::{Lexicon, for_language};
use super::normalize::{matches_pattern, tokens};

/// Scores at or beyond ±this are labelled positive/negative.
pub const LABEL_THRESHOLD: f32 = 0.05;
const NEGATION_FACTOR: f32 = -0.74;
const INTENSIFIER_FACTOR: f32 = 1.5;
const NEGATION_REACH: usize = 3;
const SQUASH_ALPHA: f32 = 15.0;

fn valence(lexicon: &Lexicon, token: &str) -> Option<f32> {
    lexicon
        .valence
        .iter()
        .find(|(pattern, _)| matches_pattern(token, pattern))
        .map(|&(_, v)| v)
}

/// The valence of `token`, accounting for a fused negating prefix.
fn word_valence(lexicon: &Lexicon, token: &str) -> Option<f32> {
    if let Some(v) = valence(lexicon, token) {
        return Some(v);
    }
    let prefix = lexicon.negating_prefix?;
    let rest = token.strip_prefix(prefix)?;
    if rest.len() < 3 {
        return None;
    }
    valence(lexicon, rest).map(|v| v * NEGATION_FACTOR)
}

/// Scores `text` with the word lists of `language`, or of all languages when it is unknown.
pub fn score(text: &str, language: Option<Language>) -> Sentiment {
    let words = tokens(text);
    let languages: Vec<Language> = match language {
        Some(l) => vec![l],
        None => Language::ALL.to_vec(),
    };
    let mut total = 0.0f32;
    for lang in languages {
        total += raw_sum(&words, for_language(lang));
    }
    let score = total / (total * total + SQUASH_ALPHA).sqrt();
    let label = if score >= LABEL_THRESHOLD {
        SentimentLabel::Positive
    } else if score <= -LABEL_THRESHOLD {
        SentimentLabel::Negative
    } else {
        SentimentLabel::Neutral
    };
    Sentiment { score, label }
}

fn raw_sum(words: &[String], lexicon: &Lexicon) -> f32 {
    let contrast_at = words
        .iter()
        .rposition(|w| lexicon.contrast.contains(&w.as_str()));
    let mut sum = 0.0;
    for (i, word) in words.iter().enumerate() {
        if lexicon.negators.contains(&word.as_str())
            || lexicon.intensifiers.contains(&word.as_str())
        {
            continue;
        }
        let Some(mut v) = word_valence(lexicon, word) else {
            continue;
        };
        if i > 0 && lexicon.intensifiers.contains(&words[i - 1].as_str()) {
            v *= INTENSIFIER_FACTOR;
        }
        let reach = i.saturating_sub(NEGATION_REACH)..i;
        if words[reach]
            .iter()
            .any(|w| lexicon.negators.contains(&w.as_str()))
        {
            v *= NEGATION_FACTOR;
        }
        match contrast_at {
            Some(c) if i < c => v *= 0.5,
            Some(c) if i > c => v *= 1.5,
            _ => {}
        }
        sum += v;
    }
    sum
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn label(text: &str, language: Language) -> SentimentLabel {
        score(text, Some(language)).label
    }

    #[test]
    fn plain_praise_and_complaints_in_each_language() {
        assert_eq!(
            label("Thank you, that was really helpful", Language::En),
            SentimentLabel::Positive
        );
        assert_eq!(
            label(
                "This is the worst service, I am so frustrated",
                Language::En
            ),
            SentimentLabel::Negative
        );
        assert_eq!(
            label("Muchas gracias, muy amable", Language::Es),
            SentimentLabel::Positive
        );
        assert_eq!(
            label("Estoy muy enojado, es inaceptable", Language::Es),
            SentimentLabel::Negative
        );
        assert_eq!(
            label("Děkuji, jsem velmi spokojená", Language::Cs),
            SentimentLabel::Positive
        );
        assert_eq!(
            label("Jsem naštvaný, je to hrozné", Language::Cs),
            SentimentLabel::Negative
        );
    }

    #[test]
    fn factual_sentences_are_neutral() {
        let s = score(
            "My account number is 4512 and I live in Ohio",
            Some(Language::En),
        );
        assert_eq!(s.label, SentimentLabel::Neutral);
        assert_eq!(s.score, 0.0);
    }

    #[test]
    fn negation_flips_polarity() {
        assert_eq!(
            label("this is not good", Language::En),
            SentimentLabel::Negative
        );
        assert_eq!(
            label("no estoy contento", Language::Es),
            SentimentLabel::Negative
        );
        assert_eq!(
            label("nejsem spokojený", Language::Cs),
            SentimentLabel::Negative
        );
        assert_eq!(
            label("jsem nespokojený", Language::Cs),
            SentimentLabel::Negative
        );
        assert_eq!(
            label("ne, to není problém", Language::Cs),
            SentimentLabel::Positive
        );
    }

    #[test]
    fn intensifiers_strengthen_and_contrast_shifts_weight() {
        let plain = score("good", Some(Language::En)).score;
        let strong = score("very good", Some(Language::En)).score;
        assert!(strong > plain && strong < 1.0, "{plain} {strong}");
        // "but" makes the second half dominate.
        assert_eq!(
            label(
                "the agent was nice but the product is terrible",
                Language::En
            ),
            SentimentLabel::Negative
        );
        assert_eq!(
            label("it was slow but you were helpful and great", Language::En),
            SentimentLabel::Positive
        );
    }

    #[test]
    fn scores_stay_in_range_and_unknown_language_uses_every_list() {
        let s = score(&"terrible ".repeat(200), Some(Language::En));
        assert!(s.score > -1.0 && s.score < -0.99);
        assert_eq!(score("gracias", None).label, SentimentLabel::Positive);
        assert_eq!(score("", None).label, SentimentLabel::Neutral);
    }
}
