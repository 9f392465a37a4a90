//! Phone numbers in E.164, parsed once at the edge with the `phonenumber` crate
//! (libphonenumber's metadata) so inner code never re-checks them. Inputs in national
//! format, with spaces or punctuation, with a `+` or a `00` international prefix all land
//! on the same number.

use std::fmt;

use phonenumber::country;

/// Why an input is not a usable phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// The default region is not an ISO 3166 code the metadata knows.
    #[error("unknown region {0}")]
    UnknownRegion(String),
    /// The input cannot be read as a phone number.
    #[error("{0:?} is not a phone number")]
    Unparsable(String),
    /// The input parses but no such number can exist.
    #[error("{0:?} is not a valid phone number")]
    Invalid(String),
}

/// A valid phone number in E.164. Its digits fit a `u64` (at most 15 of them and never a
/// leading zero), which is what the do-not-call sets store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhoneE164 {
    digits: u64,
    country_code: u16,
    region: Option<[u8; 2]>,
    national: u64,
}

impl PhoneE164 {
    /// Parses `input`; numbers without an international prefix are read in
    /// `default_region` (ISO 3166 alpha-2, e.g. "US", "GB").
    ///
    /// ```
    /// # use cc_core::phone::PhoneE164;
    /// let a = PhoneE164::parse("(212) 555-0123", Some("US")).unwrap();
    /// let b = PhoneE164::parse("001 212 555 0123", None).unwrap();
    /// assert_eq!(a, b);
    /// assert_eq!(a.to_string(), "+12125550123");
    /// ```
    pub fn parse(input: &str, default_region: Option<&str>) -> Result<Self, PhoneError> {
        let region = match default_region {
            Some(code) => Some(
                code.to_ascii_uppercase()
                    .parse::<country::Id>()
                    .map_err(|_| PhoneError::UnknownRegion(code.to_owned()))?,
            ),
            None => None,
        };
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        let first = phonenumber::parse(region, &compact)
            .ok()
            .filter(|n| n.is_valid());
        let number = match first {
            Some(number) => number,
            None => Self::parse_with_00(&compact, region)?,
        };
        Self::from_parsed(&number, input)
    }

    /// `00` is the international prefix in most of the world: retry it as `+`.
    fn parse_with_00(
        compact: &str,
        region: Option<country::Id>,
    ) -> Result<phonenumber::PhoneNumber, PhoneError> {
        let retry = compact.strip_prefix("00").map(|rest| format!("+{rest}"));
        let number = phonenumber::parse(region, retry.as_deref().unwrap_or(compact))
            .map_err(|_| PhoneError::Unparsable(compact.to_owned()))?;
        if number.is_valid() {
            Ok(number)
        } else {
            Err(PhoneError::Invalid(compact.to_owned()))
        }
    }

    fn from_parsed(number: &phonenumber::PhoneNumber, input: &str) -> Result<Self, PhoneError> {
        let national = number.national();
        let text = format!("{}{}", number.code().value(), national);
        let digits = text
            .parse::<u64>()
            .map_err(|_| PhoneError::Invalid(input.to_owned()))?;
        let region = number.country().id().and_then(|id| {
            let bytes = id.as_ref().as_bytes();
            <[u8; 2]>::try_from(bytes).ok()
        });
        Ok(Self {
            digits,
            country_code: number.code().value(),
            region,
            national: national.value(),
        })
    }

    /// The E.164 digits as one integer (no `+`), the key of do-not-call sets.
    pub fn digits(&self) -> u64 {
        self.digits
    }

    /// The country calling code (1 for the North American Numbering Plan, 44 for the UK).
    pub fn country_code(&self) -> u16 {
        self.country_code
    }

    /// The ISO 3166 region the number belongs to, when the metadata can tell.
    pub fn region(&self) -> Option<&str> {
        self.region
            .as_ref()
            .and_then(|r| std::str::from_utf8(r).ok())
    }

    /// The three-digit area code of a North American number.
    pub fn nanp_area_code(&self) -> Option<u16> {
        if self.country_code != 1 || !(1_000_000_000..10_000_000_000).contains(&self.national) {
            return None;
        }
        u16::try_from(self.national / 10_000_000).ok()
    }
}

impl fmt::Display for PhoneE164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.digits)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn national_formats_spaces_and_prefixes_normalize_to_e164() {
        let cases = [
            ("+44 20 7946 0958", None),
            ("020 7946 0958", Some("GB")),
            ("0044 20 7946 0958", None),
            ("0044 (0)20-7946-0958", Some("DE")),
            ("+44.20.7946.0958", Some("us")),
        ];
        for (input, region) in cases {
            let n = PhoneE164::parse(input, region).unwrap();
            assert_eq!(n.to_string(), "+442079460958", "{input}");
            assert_eq!(n.region(), Some("GB"));
        }
        let cz = PhoneE164::parse("602 547 854", Some("CZ")).unwrap();
        assert_eq!(cz.to_string(), "+420602547854");
    }

    #[test]
    fn leading_zeros_that_belong_to_the_number_are_kept() {
        // Italian landlines keep their 0 after +39.
        let rome = PhoneE164::parse("06 1234 5678", Some("IT")).unwrap();
        assert_eq!(rome.to_string(), "+390612345678");
    }

    #[test]
    fn north_american_numbers_expose_their_area_code() {
        let n = PhoneE164::parse("1-850-555-0100", Some("US")).unwrap();
        assert_eq!(n.nanp_area_code(), Some(850));
        assert_eq!(n.region(), Some("US"));
        let uk = PhoneE164::parse("+442079460958", None).unwrap();
        assert_eq!(uk.nanp_area_code(), None);
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        assert!(matches!(
            PhoneE164::parse("hello", None),
            Err(PhoneError::Unparsable(_))
        ));
        assert!(PhoneE164::parse("+1 212", None).is_err());
        assert!(matches!(
            PhoneE164::parse("123", Some("XX")),
            Err(PhoneError::UnknownRegion(_))
        ));
    }
}
