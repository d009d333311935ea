//! Personal data at rest (DESIGN.md data protection): sensitive fields are sealed with SM4-GCM
//! bound to their `table.column`, and ID numbers are found through an HMAC-SM3 blind index.

use jiuzhu_crypto::Keys;
use jiuzhu_domain::ResidentId;

use crate::AppError;

/// The lookup key of an ID number in the national index: its HMAC-SM3 blind index, so the
/// index finds a number without storing it.
pub fn id_key(keys: &Keys, id: &ResidentId) -> String {
    keys.index.index("id_number", id.as_str())
}

/// Encrypts a sensitive field of `persons` (SM4-GCM, bound to the column).
pub fn seal(keys: &Keys, column: &str, value: &str) -> String {
    seal_field(keys, &format!("persons.{column}"), value)
}

/// Encrypts a sensitive field of any table (`table.column` binds the ciphertext to it).
pub fn seal_field(keys: &Keys, table_column: &str, value: &str) -> String {
    keys.cipher.encrypt(table_column, value)
}

/// Decrypts a field sealed with [`seal_field`]; tampering is an error.
pub fn open_field(keys: &Keys, table_column: &str, stored: &str) -> Result<String, AppError> {
    keys.cipher.decrypt(table_column, stored).map_err(|e| {
        tracing::error!(column = table_column, error = %e, "a stored field failed authentication");
        AppError::Conflict(format!("数据校验失败：{e}"))
    })
}

/// Decrypts a sensitive field of `persons`. A value that fails authentication (tampered, moved
/// from another column, wrong key) is an error, never garbage.
pub fn open(keys: &Keys, column: &str, stored: &str) -> Result<String, AppError> {
    open_field(keys, &format!("persons.{column}"), stored)
}
