//! Text normalisation shared by the lexicon and intent matchers.

/// Folds the Latin diacritics used in Spanish and Czech to their base letters.
fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' => 'a',
        'č' | 'ç' => 'c',
        'ď' => 'd',
        'é' | 'ě' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ň' | 'ñ' => 'n',
        'ó' | 'ò' | 'ô' | 'ö' => 'o',
        'ř' => 'r',
        'š' => 's',
        'ť' => 't',
        'ú' | 'ů' | 'ù' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ž' => 'z',
        other => other,
    }
}

/// Lower-cases, folds diacritics, drops apostrophes and splits on anything not alphanumeric.
///
/// ```
/// use cc_media::analysis::normalize::tokens;
/// assert_eq!(tokens("Don't CANCEL, děkuji!"), vec!["dont", "cancel", "dekuji"]);
/// ```
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c == '\'' || c == '’' {
            continue;
        }
        let c = fold(c);
        if c.is_alphanumeric() {
            current.push(c);
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Normalises a configured phrase into its tokens (the same rules as the text).
pub fn phrase_tokens(phrase: &str) -> Vec<String> {
    tokens(phrase)
}

/// Whether `token` matches a lexicon or keyword `pattern`; a trailing `*` matches a prefix.
pub fn matches_pattern(token: &str, pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => token.starts_with(prefix),
        None => token == pattern,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn czech_and_spanish_letters_fold_to_ascii() {
        assert_eq!(
            tokens("Příliš žluťoučký kůň úpěl ďábelské ódy"),
            vec!["prilis", "zlutoucky", "kun", "upel", "dabelske", "ody"]
        );
        assert_eq!(
            tokens("¿Dónde está el señor?"),
            vec!["donde", "esta", "el", "senor"]
        );
    }

    #[test]
    fn prefix_patterns_match_word_forms() {
        assert!(matches_pattern("spokojeny", "spokojen*"));
        assert!(matches_pattern("spokojen", "spokojen*"));
        assert!(!matches_pattern("spokojeny", "spokojen"));
    }
}
