//! Personal data at rest (DESIGN.md data protection): sensitive fields are sealed with SM4-GCM
//! bound to their `table.column`, and ID numbers are found through an HMAC-SM3 blind index; a
//! person's row is built here with its sensitive fields sealed.

use jiuzhu_crypto::Keys;
use jiuzhu_domain::ResidentId;

use jiuzhu_storage::models::PersonRow;

use super::input::ValidPerson;
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

/// A person's row, its sensitive fields sealed.
pub(super) fn person_row(
    keys: &Keys,
    county: &str,
    id: &str,
    p: &ValidPerson,
    now: chrono::NaiveDateTime,
) -> PersonRow {
    PersonRow {
        county_code: county.to_owned(),
        id: id.to_owned(),
        name: p.name.clone(),
        id_number: seal(keys, "id_number", p.id.as_str()),
        sex: p.id.sex().code().to_owned(),
        birth_date: p.id.birth_date(),
        hukou_region_code: p.hukou_region.to_string(),
        hukou_type: p.hukou_type.code().to_owned(),
        residence_region_code: p.residence_region.to_string(),
        residence_permit: p.residence_permit,
        disability_category: p.disability.map(|d| d.0.code().to_owned()),
        disability_grade: p.disability.map(|d| d.1.get()),
        serious_illness: p
            .serious_illness
            .as_deref()
            .map(|v| seal(keys, "serious_illness", v)),
        labour_capacity: p.labour_capacity.code().to_owned(),
        adl_lost: p.adl_lost.bits(),
        employment_status: p.employment_status.code().to_owned(),
        school_stage: p.school_stage.map(|s| s.code().to_owned()),
        special_status: p.special_status.map(|s| s.code().to_owned()),
        death_date: p.death_date,
        phone: p.phone.as_deref().map(|v| seal(keys, "phone", v)),
        bank_name: p.bank_name.clone(),
        bank_account: p
            .bank_account
            .as_deref()
            .map(|v| seal(keys, "bank_account", v)),
        created_at: now,
        updated_at: now,
        version: 1,
    }
}
