//! A person's row as stored, its sensitive fields sealed (DESIGN.md data protection).

use jiuzhu_crypto::Keys;
use jiuzhu_kernel::sealing::seal;
use jiuzhu_storage::models::PersonRow;

use super::input::ValidPerson;

/// A person's row, its sensitive fields sealed.
pub(crate) fn person_row(
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
