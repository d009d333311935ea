//! Password hashing with argon2id (the OWASP-recommended memory-hard function; parameters
//! are stored in each PHC string, so raising them later does not invalidate old hashes), and
//! what a sealed password letter carries.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};

/// What a letter carries.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct LetterSecret {
    /// A one-time password (must be changed at first sign-in).
    pub password: Option<String>,
    /// A TOTP secret (base32), for administrators.
    pub totp_secret: Option<String>,
}

/// argon2id with 19 MiB, 2 passes, 1 lane (OWASP's first recommended setting).
fn argon2() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters"),
    )
}

/// Hashes a password into a PHC string.
pub fn hash(password: &str) -> String {
    let salt_bytes: [u8; 16] = jiuzhu_crypto::random_bytes();
    let salt = SaltString::encode_b64(&salt_bytes).expect("16 bytes make a valid salt");
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing does not fail on valid parameters")
        .to_string()
}

/// Whether a password matches a stored hash (a malformed hash never matches).
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(h) => argon2().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// A hash of nothing anyone knows, verified against when the user name does not exist, so a
/// wrong name takes as long as a wrong password (no account enumeration by timing).
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash(&jiuzhu_crypto::random_token(24)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("Spring-2026-rain");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Spring-2026-rain", &h));
        assert!(!verify("Spring-2026-rain!", &h));
        assert!(!verify("Spring-2026-rain", "not a hash"));
        assert_ne!(h, hash("Spring-2026-rain"), "salted");
    }
}
