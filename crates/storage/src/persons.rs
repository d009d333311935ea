//! Persons, read and written inside a `Scope` (the person's place of residence decides which
//! region may see them), and the national ID index.

use diesel::prelude::*;
use jiuzhu_domain::{RegionCode, Scope};

use crate::models::{PersonIdentityRow, PersonRow};
use crate::schema::{person_identity, persons};
use crate::{DbConnection, StorageError};

fn in_scope(scope: &Scope, row: &PersonRow) -> bool {
    scope.has_county(&row.county_code)
        && RegionCode::parse(&row.residence_region_code)
            .map(|r| scope.contains(&r))
            .unwrap_or(false)
}

/// One person, if inside the scope.
pub fn get(
    conn: &mut DbConnection,
    scope: &Scope,
    county: &str,
    id: &str,
) -> Result<PersonRow, StorageError> {
    if !scope.has_county(county) {
        return Err(StorageError::NotFound);
    }
    let row = persons::table
        .find((county, id))
        .select(PersonRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    if in_scope(scope, &row) {
        Ok(row)
    } else {
        Err(StorageError::NotFound)
    }
}

/// The national index entry for an ID number's lookup key, anywhere in the country. It tells
/// only that the number is registered and in which county, which the caller needs to refuse a
/// second registration; the person's data stays behind the scope.
pub fn identity(
    conn: &mut DbConnection,
    id_key: &str,
) -> Result<Option<PersonIdentityRow>, StorageError> {
    Ok(person_identity::table
        .find(id_key)
        .select(PersonIdentityRow::as_select())
        .first(conn)
        .optional()?)
}

/// The person with this ID number's lookup key, if inside the scope.
pub fn find_by_id_key(
    conn: &mut DbConnection,
    scope: &Scope,
    id_key: &str,
) -> Result<Option<PersonRow>, StorageError> {
    match identity(conn, id_key)? {
        Some(ident) => match get(conn, scope, &ident.county_code, &ident.person_id) {
            Ok(p) => Ok(Some(p)),
            Err(StorageError::NotFound) => Ok(None),
            Err(e) => Err(e),
        },
        None => Ok(None),
    }
}

/// Inserts a new person and their national index entry in one transaction.
pub fn insert(
    conn: &mut DbConnection,
    scope: &Scope,
    row: &PersonRow,
    identity: &PersonIdentityRow,
) -> Result<(), StorageError> {
    if !in_scope(scope, row) {
        return Err(StorageError::NotFound);
    }
    crate::write_transaction(conn, |conn| {
        crate::bulk::insert_identities(conn, std::slice::from_ref(identity))
            .map_err(crate::error::map_unique_identity)?;
        diesel::insert_into(persons::table)
            .values(row)
            .execute(conn)?;
        Ok(())
    })
}

/// Saves a changed person if the stored version is still `row.version`. The ID number is not
/// changed here (a correction re-registers the national index: see the registry service).
pub fn update(
    conn: &mut DbConnection,
    scope: &Scope,
    row: &PersonRow,
) -> Result<PersonRow, StorageError> {
    crate::write_transaction(conn, |conn| {
        let current = get(conn, scope, &row.county_code, &row.id)?;
        if !in_scope(scope, row) {
            return Err(StorageError::NotFound);
        }
        let mut next = row.clone();
        next.id_number = current.id_number.clone();
        next.created_at = current.created_at;
        next.updated_at = jiuzhu_domain::time::now();
        next.version = row.version + 1;
        let n = diesel::update(
            persons::table
                .filter(persons::county_code.eq(&row.county_code))
                .filter(persons::id.eq(&row.id))
                .filter(persons::version.eq(row.version)),
        )
        .set(&next)
        .execute(conn)?;
        if n == 0 {
            return Err(StorageError::StaleVersion);
        }
        // Keep the household list's head name in step with the person's name.
        diesel::update(crate::schema::households::table)
            .filter(crate::schema::households::county_code.eq(&row.county_code))
            .filter(crate::schema::households::head_person_id.eq(&row.id))
            .set(crate::schema::households::head_name.eq(&next.name))
            .execute(conn)?;
        Ok(next)
    })
}

/// Income, asset and expense records of a household (economic records are read with the
/// household, so the household's scope check covers them).
pub mod economic {
    use super::*;
    use crate::models::EconomicRecordRow;
    use crate::schema::economic_records;

    /// All records of a household (a row just read in the scope), newest period first.
    pub fn for_household(
        conn: &mut DbConnection,
        scope: &Scope,
        household: &crate::models::HouseholdRow,
    ) -> Result<Vec<EconomicRecordRow>, StorageError> {
        crate::households::check_in_scope(scope, household)?;
        Ok(economic_records::table
            .filter(economic_records::county_code.eq(&household.county_code))
            .filter(economic_records::household_id.eq(&household.id))
            .order((economic_records::period_start.desc(), economic_records::id))
            .select(EconomicRecordRow::as_select())
            .load(conn)?)
    }

    /// Adds a record to a household in the scope.
    pub fn insert(
        conn: &mut DbConnection,
        scope: &Scope,
        row: &EconomicRecordRow,
    ) -> Result<(), StorageError> {
        crate::households::get(conn, scope, &row.county_code, &row.household_id)?;
        diesel::insert_into(economic_records::table)
            .values(row)
            .execute(conn)?;
        Ok(())
    }
}
