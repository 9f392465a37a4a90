//! `X-Twilio-Signature` validation for Twilio webhooks (form-encoded and JSON bodies).
//!
//! The signature is base64(HMAC-SHA1(auth token, URL + sorted parameters)). Form webhooks sign
//! the full URL followed by each POST parameter name and value, names in byte order, values
//! de-duplicated and sorted, with no separators. JSON webhooks sign only the URL, which then
//! carries `bodySHA256=<hex sha256 of the raw body>` in its query, and the body hash is checked
//! separately. Because Twilio is not consistent about ports, a signature is accepted over the
//! URL with its port removed or with the scheme's default port added, as the official SDKs do.
//! The legacy query re-serialisation that twilio-node also tries is not implemented.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac_sha1_compact::HMAC;
use sha2::{Digest, Sha256};
use thiserror::Error;

/// Why a request failed validation.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SignatureError {
    /// The signature does not match any accepted form of the URL.
    #[error("X-Twilio-Signature does not match")]
    Mismatch,
    /// A JSON webhook whose URL has no `bodySHA256` query parameter.
    #[error("URL has no bodySHA256 parameter for a JSON body")]
    MissingBodyHash,
    /// The body does not hash to the URL's `bodySHA256`.
    #[error("body does not match bodySHA256")]
    BodyHashMismatch,
}

/// Computes the signature Twilio would send for `url` and form `params`.
///
/// ```
/// use cc_media::twilio::signature::compute_signature;
/// let params = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"),
///               ("From", "+14158675309"), ("To", "+18005551212")];
/// assert_eq!(compute_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", &params),
///            "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
/// ```
pub fn compute_signature<K: AsRef<str>, V: AsRef<str>>(
    auth_token: &str,
    url: &str,
    params: &[(K, V)],
) -> String {
    let mut pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_ref()))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut message = String::with_capacity(
        url.len() + pairs.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>(),
    );
    message.push_str(url);
    for (name, value) in pairs {
        message.push_str(name);
        message.push_str(value);
    }
    BASE64.encode(HMAC::mac(message.as_bytes(), auth_token.as_bytes()))
}

/// Validates a form-encoded webhook: `params` are the URL-decoded POST fields.
pub fn validate_form<K: AsRef<str>, V: AsRef<str>>(
    auth_token: &str,
    url: &str,
    params: &[(K, V)],
    signature: &str,
) -> Result<(), SignatureError> {
    let matches = url_variants(url).iter().any(|candidate| {
        constant_time_eq(
            compute_signature(auth_token, candidate, params).as_bytes(),
            signature.as_bytes(),
        )
    });
    if matches {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// Validates a raw `application/x-www-form-urlencoded` body.
pub fn validate_form_body(
    auth_token: &str,
    url: &str,
    body: &[u8],
    signature: &str,
) -> Result<(), SignatureError> {
    let params: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    validate_form(auth_token, url, &params, signature)
}

/// Validates a JSON webhook: the URL signature (with no parameters) and its `bodySHA256`.
pub fn validate_json(
    auth_token: &str,
    url: &str,
    body: &[u8],
    signature: &str,
) -> Result<(), SignatureError> {
    validate_form::<&str, &str>(auth_token, url, &[], signature)?;
    let query = url
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(q))
        .unwrap_or("");
    let claimed = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "bodySHA256")
        .map(|(_, v)| v.into_owned())
        .ok_or(SignatureError::MissingBodyHash)?;
    let actual = hex::encode(Sha256::digest(body));
    if constant_time_eq(actual.as_bytes(), claimed.to_ascii_lowercase().as_bytes()) {
        Ok(())
    } else {
        Err(SignatureError::BodyHashMismatch)
    }
}

/// The URL without its port and with its (explicit or default) port; one entry if neither differs.
fn url_variants(url: &str) -> Vec<String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return vec![url.to_owned()];
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((user, hp)) => (format!("{user}@"), hp),
        None => (String::new(), authority),
    };
    // A port is digits after the last ':' that is not inside an IPv6 literal.
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p))
            if !p.contains(']') && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (h, Some(p))
        }
        _ => (host_port, None),
    };
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "https" | "wss" => Some("443"),
        "http" | "ws" => Some("80"),
        _ => None,
    };
    let without = format!("{scheme}://{userinfo}{host}{tail}");
    let mut variants = vec![without];
    if let Some(port) = port.or(default_port) {
        variants.push(format!("{scheme}://{userinfo}{host}:{port}{tail}"));
    }
    variants
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    // Lengths are public (a signature's length is fixed); the bytes are compared in
    // constant time.
    subtle::ConstantTimeEq::ct_eq(a, b).into()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    //! Vectors from twilio-python `tests/unit/test_request_validator.py`.
    use super::*;

    const TOKEN: &str = "12345";
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const PARAMS: [(&str, &str); 5] = [
        ("CallSid", "CA1234567890ABCDE"),
        ("Digits", "1234"),
        ("From", "+14158675309"),
        ("To", "+18005551212"),
        ("Caller", "+14158675309"),
    ];

    #[test]
    fn computes_the_sdk_signature() {
        assert_eq!(
            compute_signature(TOKEN, URL, &PARAMS),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
    }

    #[test]
    fn duplicate_values_are_sorted_and_deduplicated() {
        let params = [
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
            ("Digits", "1234"),
        ];
        assert_eq!(
            compute_signature(TOKEN, URL, &params),
            "IK+Dwps556ElfBT0I3Rgjkr1wJU="
        );
    }

    #[test]
    fn validates_over_each_port_form_the_sdks_accept() {
        assert_eq!(
            validate_form(TOKEN, URL, &PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
            Ok(())
        );
        // Port removed on https.
        assert_eq!(
            validate_form(
                TOKEN,
                "https://mycompany.com:1234/myapp.php?foo=1&bar=2",
                &PARAMS,
                "RSOYDt4T1cUTdK1PDd93/VVr8B8="
            ),
            Ok(())
        );
        // Explicit non-default port kept on http.
        assert_eq!(
            validate_form(
                TOKEN,
                "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
                &PARAMS,
                "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="
            ),
            Ok(())
        );
        // Default port added on https and http.
        assert_eq!(
            validate_form(TOKEN, URL, &PARAMS, "kvajT1Ptam85bY51eRf/AJRuM3w="),
            Ok(())
        );
        assert_eq!(
            validate_form(
                TOKEN,
                "http://mycompany.com/myapp.php?foo=1&bar=2",
                &PARAMS,
                "0ZXoZLH/DfblKGATFgpif+LLRf4="
            ),
            Ok(())
        );
    }

    #[test]
    fn a_tampered_request_is_rejected() {
        let mut params = PARAMS.to_vec();
        params[1] = ("Digits", "9999");
        assert_eq!(
            validate_form(TOKEN, URL, &params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            validate_form("54321", URL, &PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            validate_form(TOKEN, URL, &PARAMS, ""),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_raw_form_body_is_decoded_before_signing() {
        let body = b"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";
        assert_eq!(
            validate_form_body(TOKEN, URL, body, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
            Ok(())
        );
    }

    #[test]
    fn json_body_variant_checks_signature_and_body_hash() {
        let body = br#"{"property": "value", "boolean": true}"#;
        let hash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        let url = format!("{URL}&bodySHA256={hash}");
        assert_eq!(
            validate_json(TOKEN, &url, body, "a9nBmqA0ju/hNViExpshrM61xv4="),
            Ok(())
        );
        assert_eq!(
            validate_json(TOKEN, &url, b"{}", "a9nBmqA0ju/hNViExpshrM61xv4="),
            Err(SignatureError::BodyHashMismatch)
        );
        assert_eq!(
            validate_json(TOKEN, &url, body, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
            Err(SignatureError::Mismatch)
        );
        let unsigned = compute_signature::<&str, &str>(TOKEN, URL, &[]);
        assert_eq!(
            validate_json(TOKEN, URL, body, &unsigned),
            Err(SignatureError::MissingBodyHash)
        );
    }

    #[test]
    fn url_variants_handle_userinfo_and_ipv6() {
        assert_eq!(
            url_variants("https://u:p@h.com:8443/x"),
            vec![
                "https://u:p@h.com/x".to_owned(),
                "https://u:p@h.com:8443/x".to_owned()
            ]
        );
        assert_eq!(
            url_variants("wss://[::1]/s"),
            vec!["wss://[::1]/s".to_owned(), "wss://[::1]:443/s".to_owned()]
        );
        assert_eq!(url_variants("not a url"), vec!["not a url".to_owned()]);
    }
}
