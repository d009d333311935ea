//! jiuzhu crypto: protection of personal data at rest with China's commercial algorithms
//! (DESIGN: data protection; S22: protection of assistance information).
//! - `FieldCipher`: SM4-GCM encryption of a sensitive field (ID number, phone, bank account,
//!   illness), bound to the field it belongs to, so a ciphertext copied into another column
//!   fails to decrypt.
//! - `BlindIndex`: HMAC-SM3 of a normalised value under a separate key, for exact lookup of an
//!   encrypted field without decrypting anything.
//! - `Keys`: the two keys, from a key file made on first run with mode 0600 (a KMS or HSM can
//!   replace the file behind the same type).

mod keys;
mod primitives;

pub use keys::{KeyError, KeyFileProvider, KeyProvider, Keys};
pub use primitives::*;
