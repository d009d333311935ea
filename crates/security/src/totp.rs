//! TOTP second factor (RFC 6238: 6 digits, 30-second steps, one step of clock drift either
//! way), compatible with every authenticator app.

use totp_rs::{Algorithm, Secret, TOTP};

fn totp(secret_b32: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes).ok()
}

/// A new random secret, base32 (what the user types into an authenticator app).
pub fn new_secret() -> String {
    let raw: [u8; 20] = jiuzhu_crypto::random_bytes();
    Secret::Raw(raw.to_vec()).to_encoded().to_string()
}

/// The `otpauth://` address an authenticator app can import.
pub fn otpauth_url(secret_b32: &str, username: &str) -> String {
    format!(
        "otpauth://totp/jiuzhu:{username}?secret={secret_b32}&issuer=jiuzhu&algorithm=SHA1&digits=6&period=30"
    )
}

/// Whether `code` is valid for the secret at `unix_time`.
pub fn check(secret_b32: &str, code: &str, unix_time: u64) -> bool {
    let code = code.trim();
    code.len() == 6
        && code.bytes().all(|b| b.is_ascii_digit())
        && totp(secret_b32).is_some_and(|t| t.check(code, unix_time))
}

/// The code for the secret at `unix_time` (for tests and the command line's self-check).
pub fn code_at(secret_b32: &str, unix_time: u64) -> String {
    totp(secret_b32)
        .map(|t| t.generate(unix_time))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_within_one_step_only() {
        let s = new_secret();
        let t = 1_800_000_000;
        let c = code_at(&s, t);
        assert!(check(&s, &c, t));
        assert!(check(&s, &c, t + 30), "one step of drift");
        assert!(!check(&s, &c, t + 95), "three steps later");
        assert!(!check(&s, "12345", t));
        assert!(!check(&s, "abcdef", t));
    }

    #[test]
    fn the_rfc_6238_vector_matches() {
        // RFC 6238 appendix B, SHA-1, T = 59: 94287082 (8 digits) → last 6 "287082".
        let s = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        assert_eq!(code_at(&s, 59), "287082");
    }
}
