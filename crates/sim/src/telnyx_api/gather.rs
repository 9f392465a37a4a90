//! Digit collection for `gather`, `gather_using_speak` and `gather_using_audio`.
//!
//! The digit options are checked like the rest of a command (`minimum_digits` and
//! `maximum_digits` 1–128, `terminating_digit` one key, `valid_digits` keys only). The
//! defaults are this fake's, chosen to match how Telnyx describes the options: 1 to 128
//! digits, `#` terminates, every key valid. Time is not simulated: a gather ends `valid` when
//! the terminating key or the maximum count arrives, and when the caller has no more keys to
//! press it ends as an inter-digit timeout would (`valid` with at least the minimum,
//! `invalid` with fewer, `timeout` with none); a hang-up ends it `call_hangup`.

use serde_json::{Map, Value};

use super::actions::optional;
use super::errors::ApiError;
use crate::caller_audio::DTMF_DIGITS;

/// A gather's digit options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigitRules {
    minimum: usize,
    maximum: usize,
    terminating: Option<char>,
    valid: String,
}

impl DigitRules {
    /// Reads and checks the digit options of a gather command body.
    pub fn parse(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let minimum = count(body, "minimum_digits")?.unwrap_or(1);
        let maximum = count(body, "maximum_digits")?.unwrap_or(128);
        if minimum > maximum {
            return Err(ApiError::Invalid(
                "minimum_digits",
                "'minimum_digits' must not exceed 'maximum_digits'.".into(),
            ));
        }
        let valid = optional(body, "valid_digits")?.unwrap_or(DTMF_DIGITS);
        if valid.chars().any(|c| !DTMF_DIGITS.contains(c)) {
            return Err(ApiError::Invalid(
                "valid_digits",
                format!("'valid_digits' may only hold {DTMF_DIGITS}."),
            ));
        }
        let terminating = match optional(body, "terminating_digit")? {
            None => Some('#'),
            Some(key) if key.len() == 1 && DTMF_DIGITS.contains(key) => key.chars().next(),
            Some(_) => {
                return Err(ApiError::Invalid(
                    "terminating_digit",
                    "'terminating_digit' must be one key.".into(),
                ));
            }
        };
        Ok(Self {
            minimum,
            maximum,
            terminating,
            valid: valid.to_owned(),
        })
    }
}

fn count(body: &Map<String, Value>, field: &'static str) -> Result<Option<usize>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v @ 1..=128) => Ok(Some(v as usize)),
            _ => Err(ApiError::Invalid(
                field,
                format!("'{field}' must be between 1 and 128."),
            )),
        },
        Some(_) => Err(ApiError::Invalid(
            field,
            format!("'{field}' must be an integer."),
        )),
    }
}

/// A gather waiting for keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingGather {
    rules: DigitRules,
    digits: String,
    invalid: bool,
}

/// How a gather ended: the `digits` and `status` of `call.gather.ended`.
pub type GatherEnd = (String, &'static str);

impl PendingGather {
    /// Starts collecting under `rules`.
    pub fn new(rules: DigitRules) -> Self {
        Self {
            rules,
            digits: String::new(),
            invalid: false,
        }
    }

    /// The caller pressed `key`; the end of the gather when this completes it.
    pub fn press(&mut self, key: char) -> Option<GatherEnd> {
        if self.rules.terminating == Some(key) {
            return Some(self.finish());
        }
        self.invalid |= !self.rules.valid.contains(key);
        self.digits.push(key);
        (self.digits.len() >= self.rules.maximum).then(|| self.finish())
    }

    /// The caller will press no more keys.
    pub fn finish(&mut self) -> GatherEnd {
        let status = if self.digits.is_empty() {
            "timeout"
        } else if self.invalid || self.digits.len() < self.rules.minimum {
            "invalid"
        } else {
            "valid"
        };
        (std::mem::take(&mut self.digits), status)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn rules(body: &str) -> Result<DigitRules, ApiError> {
        DigitRules::parse(&serde_json::from_str(body).unwrap())
    }

    fn run(body: &str, keys: &str) -> Vec<GatherEnd> {
        let mut gather = PendingGather::new(rules(body).unwrap());
        let mut ends: Vec<GatherEnd> = keys.chars().filter_map(|k| gather.press(k)).collect();
        if ends.is_empty() {
            ends.push(gather.finish());
        }
        ends
    }

    #[test]
    fn keys_end_a_gather_by_terminator_count_or_running_out() {
        assert_eq!(run("{}", "12#"), [("12".to_owned(), "valid")]);
        assert_eq!(
            run(r#"{"maximum_digits":2}"#, "123"),
            [("12".to_owned(), "valid")]
        );
        assert_eq!(
            run(r#"{"minimum_digits":3}"#, "12"),
            [("12".to_owned(), "invalid")]
        );
        assert_eq!(
            run(r#"{"valid_digits":"12"}"#, "13#"),
            [("13".to_owned(), "invalid")]
        );
        assert_eq!(
            run(r#"{"terminating_digit":"*"}"#, "1#*"),
            [("1#".to_owned(), "valid")]
        );
        assert_eq!(run("{}", ""), [(String::new(), "timeout")]);
    }

    #[test]
    fn bad_digit_options_are_refused_with_the_field() {
        for (body, field) in [
            (r#"{"minimum_digits":0}"#, "minimum_digits"),
            (r#"{"maximum_digits":129}"#, "maximum_digits"),
            (r#"{"maximum_digits":"2"}"#, "maximum_digits"),
            (
                r#"{"minimum_digits":3,"maximum_digits":2}"#,
                "minimum_digits",
            ),
            (r#"{"terminating_digit":"12"}"#, "terminating_digit"),
            (r#"{"valid_digits":"12x"}"#, "valid_digits"),
        ] {
            assert!(
                matches!(rules(body), Err(ApiError::Invalid(f, _)) if f == field),
                "{body}"
            );
        }
    }
}
