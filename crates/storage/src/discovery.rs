//! Reads for active discovery (S20, 低收入人口动态监测): the registry side of finding people who
//! look eligible but receive nothing — severely disabled members, and the households that
//! received social assistance recently.

use crate::schema::{economic_records, memberships, persons};
use crate::{DbConnection, StorageError};
use chrono::NaiveDate;
use diesel::prelude::*;

/// A living current household member with a disability of at most `grade` (1 is the most
/// severe): (county, person, household).
pub fn severely_disabled(
    conn: &mut DbConnection,
    grade: i32,
) -> Result<Vec<(String, String, String)>, StorageError> {
    Ok(persons::table
        .inner_join(
            memberships::table.on(memberships::county_code
                .eq(persons::county_code)
                .and(memberships::person_id.eq(persons::id))
                .and(memberships::left_on.is_null())),
        )
        .filter(persons::disability_grade.le(grade))
        .filter(persons::death_date.is_null())
        .select((persons::county_code, persons::id, memberships::household_id))
        .load(conn)?)
}

/// Households with an economic record of `category` whose period reaches `since` or later:
/// (county, household).
pub fn households_with(
    conn: &mut DbConnection,
    category: &str,
    since: NaiveDate,
) -> Result<Vec<(String, String)>, StorageError> {
    Ok(economic_records::table
        .filter(economic_records::category.eq(category))
        .filter(economic_records::period_end.ge(since))
        .select((
            economic_records::county_code,
            economic_records::household_id,
        ))
        .distinct()
        .load(conn)?)
}
