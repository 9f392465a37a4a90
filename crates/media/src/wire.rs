//! Small wire-format types shared by the carrier protocols.
//!
//! Twilio and Telnyx send counters such as `sequenceNumber`, `chunk` and `timestamp` as JSON
//! strings holding decimal numbers. [`NumStr`] parses them once at the edge into a `u64` and
//! writes them back as strings, so a fake carrier built on these types is byte-faithful.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A non-negative counter carried on the wire as a decimal JSON string (`"42"`).
///
/// A bare JSON number is also accepted, because tolerant parsing costs nothing here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct NumStr(pub u64);

impl NumStr {
    /// The counter's value.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl From<u64> for NumStr {
    fn from(value: u64) -> Self {
        Self(value)
    }
}

impl fmt::Display for NumStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for NumStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for NumStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumStrVisitor;
        impl Visitor<'_> for NumStrVisitor {
            type Value = NumStr;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal counter as a string, such as \"1\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NumStr, E> {
                if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(E::invalid_value(de::Unexpected::Str(v), &self));
                }
                v.parse()
                    .map(NumStr)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumStr, E> {
                Ok(NumStr(v))
            }
        }
        deserializer.deserialize_any(NumStrVisitor)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn counters_travel_as_strings() {
        assert_eq!(serde_json::to_string(&NumStr(7)).unwrap(), "\"7\"");
        assert_eq!(
            serde_json::from_str::<NumStr>("\"12\"").unwrap(),
            NumStr(12)
        );
        assert_eq!(serde_json::from_str::<NumStr>("12").unwrap(), NumStr(12));
    }

    #[test]
    fn non_numeric_counters_are_rejected() {
        for bad in [
            "\"\"",
            "\"-1\"",
            "\"1.5\"",
            "\"x\"",
            "\"99999999999999999999999\"",
            "-3",
            "null",
        ] {
            assert!(serde_json::from_str::<NumStr>(bad).is_err(), "{bad}");
        }
    }
}
