//! Validation rules shared by several DTOs, each with the JSON Schema `pattern` that states
//! the same rule in the OpenAPI document. The `#[schema(pattern = ...)]` attributes must
//! repeat the literal (utoipa takes no constant there); cc-api's rule-agreement test sends
//! each documented boundary to the server and fails when a pattern and its check disagree.

use validator::ValidationError;

/// Single-line text: no control characters (Unicode category Cc: U+0000–U+001F and
/// U+007F–U+009F). Names, labels and search terms are shown in lists and stored in
/// databases that refuse NUL, so such characters are refused at the door.
pub const SINGLE_LINE_PATTERN: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";

/// A UUID in its hyphenated form, stated as a `pattern` on ids in bodies that may be
/// `null`: there `format: uuid` is only an annotation, and generators (Schemathesis) take
/// any string, even an empty one, for a valid id. Repeat the literal in `schema(pattern =
/// ...)`.
pub const UUID_PATTERN: &str =
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// Rules that relate two fields or items of a body (an end after its start, breaks inside
/// a shift and apart). JSON Schema cannot state them, so a body the document allows may
/// break one: the server answers 422 naming the field and one of these codes. The rules
/// test and the fuzzer accept such a 422 and nothing else.
pub const CROSS_FIELD_RULES: &[&str] = &[
    "after_start",
    "after_from",
    "max_hours",
    "max_days",
    "within_shift",
    "overlap",
    "day_intervals",
];

/// The check behind [`SINGLE_LINE_PATTERN`]: `validate(custom(function = single_line))`.
pub fn single_line(value: &str) -> Result<(), ValidationError> {
    if value.chars().any(char::is_control) {
        return Err(ValidationError::new("control_characters"));
    }
    Ok(())
}

/// For a field that tells "omitted" (keep) from `null` (clear) in a partial update:
/// `#[serde(default, deserialize_with = "present")]` on an `Option<Option<T>>` makes an
/// omitted field `None` and a present one `Some(value or None)`.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(serde::Deserialize)]
    struct Partial {
        #[serde(default, deserialize_with = "present")]
        field: Option<Option<u8>>,
    }

    #[test]
    fn omitted_null_and_a_value_are_three_different_answers() {
        let read = |s: &str| serde_json::from_str::<Partial>(s).unwrap().field;
        assert_eq!(read("{}"), None);
        assert_eq!(read(r#"{"field": null}"#), Some(None));
        assert_eq!(read(r#"{"field": 3}"#), Some(Some(3)));
    }

    #[test]
    fn control_characters_are_refused_and_other_text_passes() {
        for bad in ["a\u{0}b", "line\nbreak", "tab\t", "\u{7f}", "\u{9f}"] {
            assert!(single_line(bad).is_err(), "{bad:?}");
        }
        for good in ["", "Jana Nováková", "José 😀", "a\u{a0}b", "<script>"] {
            assert!(single_line(good).is_ok(), "{good:?}");
        }
    }
}
