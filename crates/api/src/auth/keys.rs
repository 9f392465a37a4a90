//! Ed25519 signing and verification keys for access tokens, with `kid` so that several
//! verification keys may be active during a rotation. Production keys come from PEM
//! files; the embedded default generates one on first run and keeps it in the data folder.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use base64::Engine;
use jwt_simple::prelude::*;
use serde::Serialize;
use sha2::Digest;

use crate::config::Config;

/// Claims of our access tokens beyond the registered ones.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccessClaims {
    /// Organization of the user.
    pub org: uuid::Uuid,
    /// Role at the time of issue.
    pub role: cc_types::Role,
    /// Session (refresh-token family) the token belongs to.
    pub sid: uuid::Uuid,
    /// Email at the time of issue, for the audit trail.
    pub email: String,
}

/// One public key as published at `/.well-known/jwks.json`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Jwk {
    /// Always `OKP`.
    pub kty: &'static str,
    /// Always `Ed25519`.
    pub crv: &'static str,
    /// The public key, base64url without padding.
    pub x: String,
    /// Key id, matched against the token's `kid` header.
    pub kid: String,
    /// Always `EdDSA`.
    pub alg: &'static str,
    /// Always `sig`.
    #[serde(rename = "use")]
    pub use_: &'static str,
}

/// A JSON Web Key Set.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Jwks {
    /// Every key that verifies tokens now.
    pub keys: Vec<Jwk>,
}

/// What a verified access token says.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedToken {
    /// The user.
    pub subject: uuid::Uuid,
    /// The token id, for revocation.
    pub jti: uuid::Uuid,
    /// Expiry, unix seconds.
    pub exp: i64,
    /// Our claims.
    pub claims: AccessClaims,
}

/// The signing key and every key that verifies.
pub struct KeyRing {
    signing: Ed25519KeyPair,
    verifying: HashMap<String, Ed25519PublicKey>,
    jwks: Jwks,
    // An Ed25519 verification costs ~0.1 ms; a client presents the same token for 15
    // minutes, so the outcome of a successful verification is remembered until expiry.
    verified: crate::cache::TtlCache<String, VerifiedToken>,
}

const ISSUER: &str = "cc-lite";

fn kid_of(public: &[u8]) -> String {
    let digest = sha2::Sha256::digest(public);
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

impl KeyRing {
    /// Loads the keys the configuration names, or creates the embedded default.
    pub fn load(config: &Config) -> anyhow::Result<KeyRing> {
        let signing = match &config.jwt_signing_key {
            Some(path) => read_pair(path)?,
            None => load_or_create(&config.data_dir.join("keys").join("jwt-signing.pem"))?,
        };
        let mut extra = Vec::new();
        for path in &config.jwt_verify_keys {
            let pem = std::fs::read_to_string(path)
                .with_context(|| format!("reading CC_JWT_VERIFY_KEYS file {}", path.display()))?;
            extra.push(
                Ed25519PublicKey::from_pem(&pem)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
            );
        }
        Ok(KeyRing::from_keys(signing, extra))
    }

    /// Builds a ring from a signing pair and extra verification keys.
    pub fn from_keys(signing: Ed25519KeyPair, extra: Vec<Ed25519PublicKey>) -> KeyRing {
        let public = signing.public_key();
        let kid = kid_of(&public.to_bytes());
        let signing = signing.with_key_id(&kid);
        let mut verifying = HashMap::new();
        let mut keys = Vec::new();
        for pk in std::iter::once(public).chain(extra) {
            let bytes = pk.to_bytes();
            let kid = kid_of(&bytes);
            keys.push(Jwk {
                kty: "OKP",
                crv: "Ed25519",
                x: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes),
                kid: kid.clone(),
                alg: "EdDSA",
                use_: "sig",
            });
            verifying.insert(kid, pk);
        }
        KeyRing {
            signing,
            verifying,
            jwks: Jwks { keys },
            verified: crate::cache::TtlCache::new(std::time::Duration::from_secs(16 * 60), 100_000),
        }
    }

    /// Signs an access token.
    pub fn sign(
        &self,
        subject: uuid::Uuid,
        jti: uuid::Uuid,
        claims: AccessClaims,
        ttl_secs: u64,
    ) -> anyhow::Result<String> {
        let claims = Claims::with_custom_claims(claims, Duration::from_secs(ttl_secs))
            .with_subject(subject)
            .with_jwt_id(jti)
            .with_issuer(ISSUER);
        self.signing
            .sign(claims)
            .map_err(|e| anyhow::anyhow!("signing token: {e}"))
    }

    /// Verifies signature, issuer and expiry; `None` for any invalid token.
    pub fn verify(&self, token: &str) -> Option<VerifiedToken> {
        let now = chrono::Utc::now().timestamp();
        if let Some(v) = self.verified.get(token) {
            return (v.exp + 30 > now).then_some(v);
        }
        let meta = Token::decode_metadata(token).ok()?;
        let key = self.verifying.get(meta.key_id()?)?;
        let options = VerificationOptions {
            allowed_issuers: Some(HashSet::from_strings(&[ISSUER])),
            time_tolerance: Some(Duration::from_secs(30)),
            ..Default::default()
        };
        let claims = key
            .verify_token::<AccessClaims>(token, Some(options))
            .ok()?;
        let verified = VerifiedToken {
            subject: claims.subject.as_deref()?.parse().ok()?,
            jti: claims.jwt_id.as_deref()?.parse().ok()?,
            exp: claims.expires_at.map(|e| e.as_secs() as i64)?,
            claims: claims.custom,
        };
        self.verified.insert(token.to_owned(), verified.clone());
        Some(verified)
    }

    /// The published key set.
    pub fn jwks(&self) -> &Jwks {
        &self.jwks
    }
}

fn read_pair(path: &Path) -> anyhow::Result<Ed25519KeyPair> {
    let pem = std::fs::read_to_string(path)
        .with_context(|| format!("reading signing key {}", path.display()))?;
    Ed25519KeyPair::from_pem(&pem)
        .map_err(|e| anyhow::anyhow!("signing key {}: {e}", path.display()))
}

/// Reads the key at `path`, or creates it. Instances sharing a data directory may start
/// together: the key is written whole under a name of its own, then linked into place,
/// which fails if another instance got there first; then that instance's key is read.
fn load_or_create(path: &Path) -> anyhow::Result<Ed25519KeyPair> {
    if path.exists() {
        return read_pair(path);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let pair = Ed25519KeyPair::generate();
    let draft = path.with_extension(format!("{}.new", uuid::Uuid::now_v7().simple()));
    write_private(&draft, &pair.to_pem())?;
    let linked = std::fs::hard_link(&draft, path);
    let _ = std::fs::remove_file(&draft);
    match linked {
        Ok(()) => {
            tracing::info!(path = %path.display(), "generated a new JWT signing key");
            Ok(pair)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_pair(path),
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

fn write_private(path: &Path, pem: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(pem.as_bytes())
        .and_then(|()| f.sync_all())
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn instances_creating_the_key_together_all_end_up_with_the_same_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join("jwt-signing.pem");
        let kids: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    s.spawn(|| kid_of(&load_or_create(&path).unwrap().public_key().to_bytes()))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(kids.iter().all(|k| k == &kids[0]), "{kids:?}");
        let files: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(files.len(), 1, "drafts left behind: {files:?}");
    }

    #[test]
    fn a_key_made_by_openssl_genpkey_is_accepted() {
        // `openssl genpkey -algorithm ed25519`, as docs/OPERATIONS.md tells operators to do.
        let pem = "-----BEGIN PRIVATE KEY-----\n\
                   MC4CAQAwBQYDK2VwBCIEINMdnhOsjRR6bUNWqKY/Ddlt4ATkM+T7WTzwy7lGL0HI\n\
                   -----END PRIVATE KEY-----\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.pem");
        std::fs::write(&path, pem).unwrap();
        read_pair(&path).unwrap();
    }

    fn claims() -> AccessClaims {
        AccessClaims {
            org: uuid::Uuid::nil(),
            role: cc_types::Role::Agent,
            sid: uuid::Uuid::nil(),
            email: "a@b.test".into(),
        }
    }

    #[test]
    fn tokens_carry_kid_and_verify_only_with_a_known_key() {
        let ring = KeyRing::from_keys(Ed25519KeyPair::generate(), vec![]);
        let token = ring
            .sign(uuid::Uuid::now_v7(), uuid::Uuid::now_v7(), claims(), 60)
            .unwrap();
        let meta = Token::decode_metadata(&token).unwrap();
        assert_eq!(meta.key_id(), Some(ring.jwks().keys[0].kid.as_str()));
        assert_eq!(ring.verify(&token).unwrap().claims, claims());
        assert_eq!(
            ring.verify(&token).unwrap().claims,
            claims(),
            "a cached verification answers the same"
        );
        let mut forged = token.clone();
        forged.push('A');
        assert!(ring.verify(&forged).is_none());
        let other = KeyRing::from_keys(Ed25519KeyPair::generate(), vec![]);
        assert!(other.verify(&token).is_none());
    }

    #[test]
    fn a_rotated_out_signing_key_still_verifies_when_listed() {
        let old = Ed25519KeyPair::generate();
        let old_public = old.public_key();
        let old_ring = KeyRing::from_keys(old, vec![]);
        let token = old_ring
            .sign(uuid::Uuid::now_v7(), uuid::Uuid::now_v7(), claims(), 60)
            .unwrap();
        let new_ring = KeyRing::from_keys(Ed25519KeyPair::generate(), vec![old_public]);
        assert_eq!(new_ring.jwks().keys.len(), 2);
        assert!(new_ring.verify(&token).is_some());
    }

    #[test]
    fn embedded_key_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config {
            data_dir: dir.path().to_path_buf(),
            ..Config::default()
        };
        let a = KeyRing::load(&config).unwrap();
        let b = KeyRing::load(&config).unwrap();
        assert_eq!(a.jwks().keys[0].kid, b.jwks().keys[0].kid);
    }
}
