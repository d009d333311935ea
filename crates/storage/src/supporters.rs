//! Legal supporters outside the household (43号 Art. 8; 民法典 第1067、1074、1075条): recorded
//! per member by the window, read with the household by the rules' feed.

use crate::models::{HouseholdRow, SupporterRow};
use crate::schema::supporters;
use crate::{DbConnection, StorageError};
use diesel::prelude::*;
use jiuzhu_domain::Scope;

/// The supporters recorded for a household (a row just read in the scope), oldest first.
pub fn for_household(
    conn: &mut DbConnection,
    scope: &Scope,
    household: &HouseholdRow,
) -> Result<Vec<SupporterRow>, StorageError> {
    crate::households::check_in_scope(scope, household)?;
    for_households(conn, &household.county_code, &[household.id.as_str()])
}

/// The supporters of several households of one county (the feed's page).
pub fn for_households(
    conn: &mut DbConnection,
    county: &str,
    household_ids: &[&str],
) -> Result<Vec<SupporterRow>, StorageError> {
    Ok(supporters::table
        .filter(supporters::county_code.eq(county))
        .filter(supporters::household_id.eq_any(household_ids))
        .order((
            supporters::household_id,
            supporters::recorded_at,
            supporters::id,
        ))
        .select(SupporterRow::as_select())
        .load(conn)?)
}

/// Records a supporter for a household in the scope.
pub fn insert(
    conn: &mut DbConnection,
    scope: &Scope,
    row: &SupporterRow,
) -> Result<(), StorageError> {
    crate::households::get(conn, scope, &row.county_code, &row.household_id)?;
    diesel::insert_into(supporters::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Removes a supporter recorded in error (or who died); `NotFound` when it is not this
/// household's.
pub fn delete(
    conn: &mut DbConnection,
    scope: &Scope,
    household: &HouseholdRow,
    id: &str,
) -> Result<SupporterRow, StorageError> {
    crate::households::check_in_scope(scope, household)?;
    let row = supporters::table
        .filter(supporters::county_code.eq(&household.county_code))
        .filter(supporters::household_id.eq(&household.id))
        .filter(supporters::id.eq(id))
        .select(SupporterRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    diesel::delete(
        supporters::table
            .filter(supporters::county_code.eq(&row.county_code))
            .filter(supporters::id.eq(&row.id)),
    )
    .execute(conn)?;
    Ok(row)
}
