//! Secrets at rest: access codes as salted Argon2id hashes, and idempotent answers sealed under
//! a key derived from the client's `Idempotency-Key`, so a copy of the database yields neither
//! an access code nor the means to act on a report.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::{Digest, Sha256};

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the OS random number generator is available");
    buf
}

/// The stored form of an access code (already normalised): Argon2id with a random salt, in
/// the PHC string format (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub fn hash_access_code(code: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(code.as_bytes(), &salt)
        .expect("Argon2 hashes any input with default parameters")
        .to_string()
}

/// The prefix of a legacy digest wrapped in Argon2 ([`wrap_legacy_digest`]).
const WRAPPED_SHA256: &str = "sha256+";

/// Reports made before codes were salted kept an unsalted SHA-256 hex digest, which a copied
/// database gives up to brute force. Without the code it cannot be re-hashed, but the digest
/// itself can: Argon2id over it (`sha256+$argon2id$…`), checked as Argon2 of the code's digest.
pub fn wrap_legacy_digest(sha256_hex: &str) -> String {
    format!("{WRAPPED_SHA256}{}", hash_access_code(sha256_hex))
}

/// Whether `stored` is a bare legacy digest still to be wrapped.
pub fn is_legacy_digest(stored: &str) -> bool {
    stored.len() == 64 && stored.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `code` (normalised) is the one `stored` was made from. Takes tens of milliseconds
/// on purpose: call it off the database lock. Legacy digests verify, bare or wrapped.
pub fn verify_access_code(code: &str, stored: &str) -> bool {
    if let Some(wrapped) = stored.strip_prefix(WRAPPED_SHA256) {
        return verify_access_code(&crate::routes::sha256_hex(code.as_bytes()), wrapped);
    }
    match PasswordHash::new(stored) {
        Ok(hash) => Argon2::default()
            .verify_password(code.as_bytes(), &hash)
            .is_ok(),
        Err(_) => {
            stored.len() == 64
                && crate::routes::same_secret(&crate::routes::sha256_hex(code.as_bytes()), stored)
        }
    }
}

/// What the server keeps of an `Idempotency-Key`: a lookup name, and the key that seals the
/// answer. Both are derived from the key the client holds; the key itself is not stored.
pub struct ReplayKey {
    /// Stored in place of the client's key, to find the record again.
    pub lookup: String,
    cipher: [u8; 32],
}

impl ReplayKey {
    pub fn derive(idempotency_key: &str) -> ReplayKey {
        let derive = |purpose: &[u8]| -> [u8; 32] {
            let mut hasher = Sha256::new();
            hasher.update(purpose);
            hasher.update([0]);
            hasher.update(idempotency_key.as_bytes());
            hasher.finalize().into()
        };
        ReplayKey {
            lookup: crate::routes::sha256_hex(&derive(b"lapor idempotency lookup")),
            cipher: derive(b"lapor idempotency seal"),
        }
    }

    /// A digest of a request body that tells whether a retry is the same request, keyed so
    /// that it cannot be used to confirm a guess of a report's text.
    pub fn request_digest(&self, body: &[u8]) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.cipher);
        hasher.update(body);
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// `answer` encrypted and authenticated, as text (base64 of nonce and ciphertext).
    pub fn seal(&self, answer: &str) -> String {
        let nonce = random_bytes::<12>();
        let sealed = ChaCha20Poly1305::new(Key::from_slice(&self.cipher))
            .encrypt(Nonce::from_slice(&nonce), answer.as_bytes())
            .expect("ChaCha20-Poly1305 encrypts any length we store");
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    /// The answer `seal` sealed, or `None` when it was sealed under another key or altered.
    pub fn open(&self, sealed: &str) -> Option<String> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(sealed)
            .ok()?;
        let (nonce, ciphertext) = bytes.split_at_checked(12)?;
        let plain = ChaCha20Poly1305::new(Key::from_slice(&self.cipher))
            .decrypt(Nonce::from_slice(nonce), ciphertext)
            .ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_codes_are_salted_and_verified() {
        let a = hash_access_code("ABCD2345");
        let b = hash_access_code("ABCD2345");
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "every hash has its own salt");
        assert!(!a.contains("ABCD2345"));
        assert!(verify_access_code("ABCD2345", &a));
        assert!(!verify_access_code("ABCD2346", &a));
    }

    #[test]
    fn codes_hashed_before_salting_still_verify_bare_and_wrapped() {
        let legacy = crate::routes::sha256_hex(b"ABCD2345");
        assert!(is_legacy_digest(&legacy));
        assert!(verify_access_code("ABCD2345", &legacy));
        assert!(!verify_access_code("ABCD2346", &legacy));
        let wrapped = wrap_legacy_digest(&legacy);
        assert!(wrapped.starts_with("sha256+$argon2id$") && !wrapped.contains(&legacy));
        assert!(!is_legacy_digest(&wrapped));
        assert!(verify_access_code("ABCD2345", &wrapped));
        assert!(!verify_access_code("ABCD2346", &wrapped));
    }

    #[test]
    fn a_sealed_answer_opens_only_with_the_same_idempotency_key() {
        let key = ReplayKey::derive("4f8a-key");
        let sealed = key.seal(r#"{"access_code":"ABCD2345"}"#);
        assert!(!sealed.contains("ABCD2345"));
        assert_eq!(
            key.open(&sealed).as_deref(),
            Some(r#"{"access_code":"ABCD2345"}"#)
        );
        assert_eq!(ReplayKey::derive("other").open(&sealed), None);
        assert_ne!(key.lookup, "4f8a-key");
        assert_eq!(key.lookup, ReplayKey::derive("4f8a-key").lookup);
        assert_ne!(
            key.request_digest(b"body"),
            ReplayKey::derive("other").request_digest(b"body")
        );
    }
}
