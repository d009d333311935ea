//! The primitives: SM4-GCM field sealing bound to its column, the HMAC-SM3 blind index, SM3
//! digests and randomness.

use aes_gcm::AesGcm;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use hmac::{Hmac, Mac};
use rand::RngCore;

type Sm4Gcm = AesGcm<sm4::Sm4, U12>;

/// Why a stored value could not be decrypted. A tampered or misplaced ciphertext fails loudly
/// rather than yielding garbage.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// Not in the `v1:` format.
    #[error("密文格式错误")]
    Format,
    /// Authentication failed: the ciphertext, its field binding or the key is wrong.
    #[error("密文校验失败（数据被篡改或密钥不符）")]
    Tampered,
    /// The plaintext was not UTF-8.
    #[error("解密结果不是文本")]
    NotText,
    /// Sealed with a key version this process does not hold (retired, or a newer key file).
    #[error("密文使用的密钥版本 v{0} 不在密钥文件中")]
    UnknownKey(u32),
}

/// Encrypts and decrypts sensitive fields with SM4-GCM. Holds every key version still in use:
/// new values are sealed with the current one (`v{n}:` prefix), old ones open with the key of
/// their version until they are re-sealed and that version retired (issue 15: key rotation).
#[derive(Clone)]
pub struct FieldCipher {
    current: u32,
    ciphers: std::collections::BTreeMap<u32, Sm4Gcm>,
}

impl FieldCipher {
    /// A cipher over one 128-bit SM4 key, version 1.
    pub fn new(key: &[u8; 16]) -> Self {
        Self::with_versions(1, &[(1, *key)])
    }

    /// A cipher over several key versions, sealing with `current` (which must be among them).
    pub fn with_versions(current: u32, keys: &[(u32, [u8; 16])]) -> Self {
        let ciphers: std::collections::BTreeMap<u32, Sm4Gcm> = keys
            .iter()
            .map(|(v, k)| (*v, Sm4Gcm::new(GenericArray::from_slice(k))))
            .collect();
        assert!(
            ciphers.contains_key(&current),
            "the current key version is held"
        );
        FieldCipher { current, ciphers }
    }

    /// The version new values are sealed with.
    pub fn current_version(&self) -> u32 {
        self.current
    }

    /// The prefix of values sealed with the current version (`v2:` …).
    pub fn current_prefix(&self) -> String {
        format!("v{}:", self.current)
    }

    /// The key version a stored value was sealed with.
    pub fn version_of(stored: &str) -> Option<u32> {
        let rest = stored.strip_prefix('v')?;
        let (n, _) = rest.split_once(':')?;
        n.parse().ok()
    }

    /// Encrypts `plaintext` for the field named `field` (e.g. `persons.id_number`), with a
    /// fresh random nonce: `v{n}:` + base64(nonce ‖ ciphertext ‖ tag).
    pub fn encrypt(&self, field: &str, plaintext: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let ct = self.ciphers[&self.current]
            .encrypt(
                GenericArray::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: field.as_bytes(),
                },
            )
            .expect("SM4-GCM encryption of a bounded message cannot fail");
        let mut out = Vec::with_capacity(12 + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        format!("{}{}", self.current_prefix(), B64.encode(out))
    }

    /// Decrypts a value stored for `field`, with the key of its version.
    pub fn decrypt(&self, field: &str, stored: &str) -> Result<String, CryptoError> {
        let version = Self::version_of(stored).ok_or(CryptoError::Format)?;
        let cipher = self
            .ciphers
            .get(&version)
            .ok_or(CryptoError::UnknownKey(version))?;
        let b64 = &stored[stored.find(':').expect("versioned") + 1..];
        let raw = B64.decode(b64).map_err(|_| CryptoError::Format)?;
        if raw.len() < 12 + 16 {
            return Err(CryptoError::Format);
        }
        let (nonce, ct) = raw.split_at(12);
        let pt = cipher
            .decrypt(
                GenericArray::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: field.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Tampered)?;
        String::from_utf8(pt).map_err(|_| CryptoError::NotText)
    }
}

/// HMAC-SM3 blind index for exact lookup of encrypted values.
#[derive(Clone)]
pub struct BlindIndex {
    key: [u8; 32],
}

impl BlindIndex {
    /// An index over a 256-bit key (separate from the encryption key).
    pub fn new(key: &[u8; 32]) -> Self {
        BlindIndex { key: *key }
    }

    /// The index of `value` in the domain `kind` (e.g. `id_number`), as 64 hex characters.
    /// The caller normalises the value first (an ID number in its 18-digit upper-case form).
    pub fn index(&self, kind: &str, value: &str) -> String {
        self.mac(kind, value.as_bytes())
    }

    /// HMAC-SM3 of bytes in the domain `kind`, as 64 hex characters (the audit chain's keyed
    /// hash: without the key nobody can recompute a chain they edited).
    pub fn mac(&self, kind: &str, value: &[u8]) -> String {
        let mut mac = <Hmac<sm3::Sm3> as Mac>::new_from_slice(&self.key)
            .expect("HMAC accepts any key length");
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(value);
        hex::encode(mac.finalize().into_bytes())
    }
}

/// SM3 digest as 64 hex characters (session tokens are stored only as their digest).
pub fn sm3_hex(data: &[u8]) -> String {
    use sm3::Digest;
    hex::encode(sm3::Sm3::digest(data))
}

/// A random token of `bytes` bytes (rand's thread generator: a CSPRNG seeded from the
/// operating system), URL-safe base64.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// Random bytes from the same generator.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use rand::RngCore;
    let mut buf = [0u8; N];
    rand::rng().fill_bytes(&mut buf);
    buf
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cipher() -> FieldCipher {
        FieldCipher::new(&[7u8; 16])
    }

    #[test]
    fn a_value_round_trips_and_never_shows_in_the_ciphertext() {
        let c = cipher();
        let stored = c.encrypt("persons.id_number", "11010519491231002X");
        assert!(stored.starts_with("v1:"));
        assert!(!stored.contains("19491231"));
        assert_eq!(
            c.decrypt("persons.id_number", &stored).unwrap(),
            "11010519491231002X"
        );
    }

    #[test]
    fn the_same_value_encrypts_differently_each_time() {
        let c = cipher();
        assert_ne!(c.encrypt("f", "13800000000"), c.encrypt("f", "13800000000"));
    }

    #[test]
    fn a_tampered_ciphertext_fails_loudly() {
        let c = cipher();
        let stored = c.encrypt("persons.phone", "13800000000");
        let mut raw = B64.decode(&stored[3..]).unwrap();
        raw[14] ^= 1;
        let tampered = format!("v1:{}", B64.encode(raw));
        assert_eq!(
            c.decrypt("persons.phone", &tampered),
            Err(CryptoError::Tampered)
        );
        assert_eq!(
            c.decrypt("persons.phone", "13800000000"),
            Err(CryptoError::Format)
        );
        assert_eq!(
            c.decrypt("persons.phone", "v1:AAAA"),
            Err(CryptoError::Format)
        );
    }

    #[test]
    fn a_ciphertext_moved_to_another_field_or_key_does_not_decrypt() {
        let c = cipher();
        let stored = c.encrypt("persons.bank_account", "6228480000000000000");
        assert_eq!(
            c.decrypt("persons.phone", &stored),
            Err(CryptoError::Tampered)
        );
        assert_eq!(
            FieldCipher::new(&[8u8; 16]).decrypt("persons.bank_account", &stored),
            Err(CryptoError::Tampered)
        );
    }

    #[test]
    fn the_blind_index_is_stable_keyed_and_separated_by_kind() {
        let a = BlindIndex::new(&[1u8; 32]);
        let b = BlindIndex::new(&[2u8; 32]);
        let id = "11010519491231002X";
        assert_eq!(a.index("id_number", id), a.index("id_number", id));
        assert_eq!(a.index("id_number", id).len(), 64);
        assert_ne!(a.index("id_number", id), b.index("id_number", id));
        assert_ne!(a.index("id_number", id), a.index("phone", id));
        assert!(!a.index("id_number", id).contains("1949"));
    }

    #[test]
    fn values_of_an_older_key_version_still_open_and_new_ones_use_the_current() {
        let old = FieldCipher::new(&[7u8; 16]);
        let sealed_v1 = old.encrypt("f", "13800000000");
        let both = FieldCipher::with_versions(2, &[(1, [7u8; 16]), (2, [9u8; 16])]);
        assert_eq!(both.decrypt("f", &sealed_v1).unwrap(), "13800000000");
        let sealed_v2 = both.encrypt("f", "13800000000");
        assert!(sealed_v2.starts_with("v2:"), "{sealed_v2}");
        assert_eq!(FieldCipher::version_of(&sealed_v2), Some(2));
        assert_eq!(
            old.decrypt("f", &sealed_v2),
            Err(CryptoError::UnknownKey(2))
        );
        let retired = FieldCipher::with_versions(2, &[(2, [9u8; 16])]);
        assert_eq!(
            retired.decrypt("f", &sealed_v1),
            Err(CryptoError::UnknownKey(1))
        );
    }

    proptest! {
        #[test]
        fn any_text_round_trips(s in "\\PC{0,64}") {
            let c = cipher();
            prop_assert_eq!(c.decrypt("x", &c.encrypt("x", &s)).unwrap(), s);
        }
    }
}
