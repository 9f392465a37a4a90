//! Telnyx webhook signatures: Ed25519 over `"{timestamp}|{raw body}"`.
//!
//! Telnyx signs each webhook with the account's Ed25519 key and sends the base64 signature in
//! `telnyx-signature-ed25519` and the Unix time in `telnyx-timestamp`. [`WebhookVerifier`]
//! checks the signature over the exact body bytes, rejects timestamps more than the tolerance
//! (300 s, as the SDKs use) away from now, and refuses a signature it has already accepted
//! within that window, so a captured request cannot be replayed. The clock is passed in, so
//! tests and the simulator control time. Deduplicating Telnyx's own retries (same `data.id`,
//! new signature) is the webhook handler's job.

use std::collections::{HashMap, VecDeque};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_compact::{PublicKey, Signature};
use thiserror::Error;

/// Header carrying the base64 Ed25519 signature.
pub const SIGNATURE_HEADER: &str = "telnyx-signature-ed25519";
/// Header carrying the Unix timestamp in seconds.
pub const TIMESTAMP_HEADER: &str = "telnyx-timestamp";
/// Default allowed clock difference, in seconds.
pub const DEFAULT_TOLERANCE_SECS: u64 = 300;

/// Why a webhook was rejected.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum VerifyError {
    /// The configured public key is not base64 of 32 bytes.
    #[error("Telnyx public key must be base64 of 32 bytes")]
    BadPublicKey,
    /// A signing seed that is not 32 bytes (base64 of 32 bytes for the text form).
    #[error("Ed25519 signing seed must be 32 bytes")]
    BadSeed,
    /// A required header is absent.
    #[error("missing header {0}")]
    MissingHeader(&'static str),
    /// The signature header is not base64 of 64 bytes.
    #[error("signature is not base64 of a 64-byte Ed25519 signature")]
    MalformedSignature,
    /// The timestamp header is not a decimal Unix time.
    #[error("timestamp is not a Unix time in seconds")]
    MalformedTimestamp,
    /// The timestamp is too far from now.
    #[error("timestamp {timestamp} is more than {tolerance} s from now ({now})")]
    Stale {
        /// The request's timestamp.
        timestamp: i64,
        /// The verifier's clock.
        now: i64,
        /// Allowed difference in seconds.
        tolerance: u64,
    },
    /// The signature does not verify.
    #[error("signature does not verify")]
    BadSignature,
    /// This exact signed request was already accepted.
    #[error("replayed webhook")]
    Replay,
}

/// Verifies Telnyx webhook signatures and remembers accepted ones for replay protection.
#[derive(Debug, Clone)]
pub struct WebhookVerifier {
    key: PublicKey,
    tolerance_secs: u64,
    seen: HashMap<[u8; 64], i64>,
    order: VecDeque<([u8; 64], i64)>,
}

impl WebhookVerifier {
    /// A verifier for the base64 public key shown in the Telnyx portal.
    pub fn new(public_key_b64: &str) -> Result<Self, VerifyError> {
        let raw = BASE64
            .decode(public_key_b64.trim())
            .map_err(|_| VerifyError::BadPublicKey)?;
        let key = PublicKey::from_slice(&raw).map_err(|_| VerifyError::BadPublicKey)?;
        Ok(Self {
            key,
            tolerance_secs: DEFAULT_TOLERANCE_SECS,
            seen: HashMap::new(),
            order: VecDeque::new(),
        })
    }

    /// Changes the allowed clock difference.
    pub fn with_tolerance(mut self, seconds: u64) -> Self {
        self.tolerance_secs = seconds;
        self
    }

    /// Verifies a request given its headers (matched case-insensitively) and raw body.
    pub fn verify_headers<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        headers: &[(K, V)],
        body: &[u8],
        now_unix: i64,
    ) -> Result<(), VerifyError> {
        let find = |name: &'static str| {
            headers
                .iter()
                .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_ref())
                .ok_or(VerifyError::MissingHeader(name))
        };
        let signature = find(SIGNATURE_HEADER)?;
        let timestamp = find(TIMESTAMP_HEADER)?;
        self.verify(signature, timestamp, body, now_unix)
    }

    /// Verifies the signature and timestamp header values against the raw body.
    pub fn verify(
        &mut self,
        signature_b64: &str,
        timestamp: &str,
        body: &[u8],
        now_unix: i64,
    ) -> Result<(), VerifyError> {
        let raw = BASE64
            .decode(signature_b64.trim())
            .map_err(|_| VerifyError::MalformedSignature)?;
        let raw: [u8; 64] = raw
            .try_into()
            .map_err(|_| VerifyError::MalformedSignature)?;
        let ts_text = timestamp.trim();
        if ts_text.is_empty() || !ts_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(VerifyError::MalformedTimestamp);
        }
        let ts: i64 = ts_text
            .parse()
            .map_err(|_| VerifyError::MalformedTimestamp)?;
        if ts.abs_diff(now_unix) > self.tolerance_secs {
            return Err(VerifyError::Stale {
                timestamp: ts,
                now: now_unix,
                tolerance: self.tolerance_secs,
            });
        }
        let mut message = Vec::with_capacity(ts_text.len() + 1 + body.len());
        message.extend_from_slice(ts_text.as_bytes());
        message.push(b'|');
        message.extend_from_slice(body);
        let signature = Signature::from_slice(&raw).map_err(|_| VerifyError::MalformedSignature)?;
        self.key
            .verify(&message, &signature)
            .map_err(|_| VerifyError::BadSignature)?;
        self.forget_older_than(now_unix);
        if self.seen.contains_key(&raw) {
            return Err(VerifyError::Replay);
        }
        self.seen.insert(raw, ts);
        self.order.push_back((raw, ts));
        Ok(())
    }

    /// Signatures remembered for replay protection.
    pub fn remembered(&self) -> usize {
        self.seen.len()
    }

    /// Drops signatures whose timestamps can no longer pass the freshness check.
    fn forget_older_than(&mut self, now_unix: i64) {
        // A tolerance past i64::MAX keeps everything (an `as` cast would turn it negative).
        let tolerance = i64::try_from(self.tolerance_secs).unwrap_or(i64::MAX);
        let horizon = now_unix.saturating_sub(tolerance);
        // Timestamps arrive roughly in order; an out-of-order old one is caught on a later pass.
        while let Some((sig, ts)) = self.order.front().copied() {
            if ts >= horizon {
                break;
            }
            self.order.pop_front();
            self.seen.remove(&sig);
        }
    }
}

/// Signs webhooks as Telnyx does; for simulators and tests that play Telnyx's part.
///
/// ```
/// use cc_media::telnyx::signature::{WebhookSigner, WebhookVerifier};
/// let signer = WebhookSigner::from_seed(&[7u8; 32]).unwrap();
/// let body = br#"{"data":{}}"#;
/// let signature = signer.sign(1_700_000_000, body);
/// let mut verifier = WebhookVerifier::new(&signer.public_key_b64()).unwrap();
/// assert!(verifier.verify(&signature, "1700000000", body, 1_700_000_000).is_ok());
/// ```
#[derive(Debug, Clone)]
pub struct WebhookSigner {
    keys: ed25519_compact::KeyPair,
}

impl WebhookSigner {
    /// A signer for the 32-byte Ed25519 secret seed.
    pub fn from_seed(seed: &[u8]) -> Result<Self, VerifyError> {
        let seed = ed25519_compact::Seed::from_slice(seed).map_err(|_| VerifyError::BadSeed)?;
        Ok(Self {
            keys: ed25519_compact::KeyPair::from_seed(seed),
        })
    }

    /// A signer for a base64 32-byte seed (what `cc-sim --signing-key-b64` takes).
    pub fn from_seed_b64(seed_b64: &str) -> Result<Self, VerifyError> {
        let raw = BASE64
            .decode(seed_b64.trim())
            .map_err(|_| VerifyError::BadSeed)?;
        Self::from_seed(&raw)
    }

    /// The base64 public key an app configures to verify this signer.
    pub fn public_key_b64(&self) -> String {
        BASE64.encode(self.keys.pk.as_ref())
    }

    /// The `telnyx-signature-ed25519` value for `body` sent at `timestamp`.
    pub fn sign(&self, timestamp: i64, body: &[u8]) -> String {
        let mut message = format!("{timestamp}|").into_bytes();
        message.extend_from_slice(body);
        BASE64.encode(self.keys.sk.sign(&message, None).as_ref())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use ed25519_compact::{KeyPair, Seed};

    use super::*;

    // RFC 8032 test-1 key and a vector recomputed in shared/protocols.md §3.4.
    const SEED_HEX: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    const PUBLIC_B64: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    const BODY: &[u8] = br#"{"data":{"event_type":"call.hangup","payload":{"call_control_id":"v3:abc"},"record_type":"event"}}"#;
    const SIGNATURE: &str =
        "KCQ2mb+VFfnDhaSeEuPyvJJTtgDu4d3rphrmQVENOTekvFTvJKWNFGVslgJ4nNp/5Nq/beaq6A+gPsJcBLRkDA==";
    const TS: i64 = 1_700_000_000;

    fn keypair() -> KeyPair {
        KeyPair::from_seed(Seed::from_slice(&hex::decode(SEED_HEX).unwrap()).unwrap())
    }

    #[test]
    fn key_handling_matches_rfc_8032() {
        let kp = keypair();
        assert_eq!(BASE64.encode(kp.pk.as_ref()), PUBLIC_B64);
        assert_eq!(
            hex::encode(kp.sk.sign(b"", None).as_ref()),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
    }

    #[test]
    fn the_reference_webhook_verifies_once_and_its_replay_is_refused() {
        let mut v = WebhookVerifier::new(PUBLIC_B64).unwrap();
        let headers = [
            ("Telnyx-Signature-Ed25519", SIGNATURE),
            ("TELNYX-TIMESTAMP", "1700000000"),
        ];
        assert_eq!(v.verify_headers(&headers, BODY, TS + 10), Ok(()));
        assert_eq!(
            v.verify_headers(&headers, BODY, TS + 20),
            Err(VerifyError::Replay)
        );
    }

    #[test]
    fn timestamps_outside_the_tolerance_are_stale() {
        let mut v = WebhookVerifier::new(PUBLIC_B64).unwrap();
        assert!(matches!(
            v.verify(SIGNATURE, "1700000000", BODY, TS + 301),
            Err(VerifyError::Stale { .. })
        ));
        assert!(matches!(
            v.verify(SIGNATURE, "1700000000", BODY, TS - 301),
            Err(VerifyError::Stale { .. })
        ));
        assert_eq!(v.verify(SIGNATURE, "1700000000", BODY, TS + 300), Ok(()));
        let mut strict = WebhookVerifier::new(PUBLIC_B64).unwrap().with_tolerance(5);
        assert!(matches!(
            strict.verify(SIGNATURE, "1700000000", BODY, TS + 6),
            Err(VerifyError::Stale { .. })
        ));
    }

    #[test]
    fn any_change_to_body_or_timestamp_breaks_the_signature() {
        let mut v = WebhookVerifier::new(PUBLIC_B64).unwrap();
        let mut body = BODY.to_vec();
        body[20] ^= 1;
        assert_eq!(
            v.verify(SIGNATURE, "1700000000", &body, TS),
            Err(VerifyError::BadSignature)
        );
        assert_eq!(
            v.verify(SIGNATURE, "1700000001", BODY, TS),
            Err(VerifyError::BadSignature)
        );
    }

    #[test]
    fn malformed_inputs_are_named() {
        assert_eq!(
            WebhookVerifier::new("not base64!").unwrap_err(),
            VerifyError::BadPublicKey
        );
        assert_eq!(
            WebhookVerifier::new(&BASE64.encode([0u8; 31])).unwrap_err(),
            VerifyError::BadPublicKey
        );
        let mut v = WebhookVerifier::new(PUBLIC_B64).unwrap();
        assert_eq!(
            v.verify_headers(&[("telnyx-timestamp", "1")], BODY, TS),
            Err(VerifyError::MissingHeader(SIGNATURE_HEADER))
        );
        assert_eq!(
            v.verify_headers(&[(SIGNATURE_HEADER, SIGNATURE)], BODY, TS),
            Err(VerifyError::MissingHeader(TIMESTAMP_HEADER))
        );
        assert_eq!(
            v.verify(&BASE64.encode([0u8; 63]), "1700000000", BODY, TS),
            Err(VerifyError::MalformedSignature)
        );
        assert_eq!(
            v.verify("%%%", "1700000000", BODY, TS),
            Err(VerifyError::MalformedSignature)
        );
        for ts in ["", "-5", "17e8", "99999999999999999999"] {
            assert_eq!(
                v.verify(SIGNATURE, ts, BODY, TS),
                Err(VerifyError::MalformedTimestamp),
                "{ts:?}"
            );
        }
    }

    #[test]
    fn remembered_signatures_expire_with_the_tolerance_window() {
        let kp = keypair();
        let mut v = WebhookVerifier::new(PUBLIC_B64).unwrap();
        for i in 0..5i64 {
            let ts = TS + i * 100;
            let body = format!("{{\"n\":{i}}}");
            let sig = BASE64.encode(kp.sk.sign(format!("{ts}|{body}"), None).as_ref());
            v.verify(&sig, &ts.to_string(), body.as_bytes(), ts)
                .unwrap();
        }
        // At TS+400 only timestamps >= TS+100 can still be fresh.
        assert_eq!(v.remembered(), 4);
    }

    #[test]
    fn a_tolerance_beyond_i64_still_refuses_replays() {
        // `u64::MAX as i64` is -1, which put the forget horizon after now and emptied the
        // replay memory before every check.
        for tolerance in [u64::MAX, 1 << 63] {
            let mut v = WebhookVerifier::new(PUBLIC_B64)
                .unwrap()
                .with_tolerance(tolerance);
            assert_eq!(v.verify(SIGNATURE, "1700000000", BODY, TS), Ok(()));
            assert_eq!(
                v.verify(SIGNATURE, "1700000000", BODY, TS),
                Err(VerifyError::Replay),
                "tolerance {tolerance}"
            );
        }
    }

    #[test]
    fn the_signer_reproduces_the_reference_signature() {
        let signer = WebhookSigner::from_seed(&hex::decode(SEED_HEX).unwrap()).unwrap();
        assert_eq!(signer.public_key_b64(), PUBLIC_B64);
        assert_eq!(signer.sign(TS, BODY), SIGNATURE);
        assert!(WebhookSigner::from_seed_b64("c2hvcnQ=").is_err());
    }
}
