//! Households and their memberships, always read and written inside a `Scope`. A household
//! outside the caller's scope is reported as not found, never as forbidden, so its existence
//! is not disclosed.

use chrono::NaiveDate;
use diesel::prelude::*;
use jiuzhu_domain::{RegionCode, Scope};

use crate::bulk::HouseholdBatch;
use crate::models::{HouseholdRow, MembershipRow, PersonRow};
use crate::schema::{households, memberships, persons};
use crate::{DbConnection, StorageError};

#[macro_use]
mod list;

pub use crate::error::map_unique_identity;
pub use list::*;

/// Refuses (as not found) a household row outside the scope. In memory: for rows the caller
/// has just read.
pub(crate) fn check_in_scope(scope: &Scope, row: &HouseholdRow) -> Result<(), StorageError> {
    let inside = scope.has_county(&row.county_code)
        && RegionCode::parse(&row.region_code)
            .map(|r| scope.contains(&r))
            .unwrap_or(false);
    if inside {
        Ok(())
    } else {
        Err(StorageError::NotFound)
    }
}

/// One household, if it exists inside the scope.
pub fn get(
    conn: &mut DbConnection,
    scope: &Scope,
    county: &str,
    id: &str,
) -> Result<HouseholdRow, StorageError> {
    if !scope.has_county(county) {
        return Err(StorageError::NotFound);
    }
    let row = households::table
        .find((county, id))
        .select(HouseholdRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    check_in_scope(scope, &row)?;
    Ok(row)
}

/// Finds a household by ID alone within the scope's counties (IDs are globally unique), in
/// one query.
pub fn find(
    conn: &mut DbConnection,
    scope: &Scope,
    id: &str,
) -> Result<HouseholdRow, StorageError> {
    let row = households::table
        .filter(households::county_code.eq_any(scope.counties()))
        .filter(households::id.eq(id))
        .select(HouseholdRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    check_in_scope(scope, &row)?;
    Ok(row)
}

/// Creates households with their persons and memberships (one county) in one transaction,
/// refusing any household whose region lies outside the scope.
pub fn create(
    conn: &mut DbConnection,
    scope: &Scope,
    batch: &HouseholdBatch,
) -> Result<(), StorageError> {
    for h in &batch.households {
        let region = RegionCode::parse(&h.region_code).map_err(|_| StorageError::NotFound)?;
        if !scope.contains(&region) || !scope.has_county(&h.county_code) {
            return Err(StorageError::NotFound);
        }
    }
    batch.insert(conn)
}

/// Saves changed address, region or status if the stored version is still `row.version`;
/// the version is then incremented. A stale version is refused.
pub fn update(
    conn: &mut DbConnection,
    scope: &Scope,
    row: &HouseholdRow,
) -> Result<HouseholdRow, StorageError> {
    crate::write_transaction(conn, |conn| {
        let current = get(conn, scope, &row.county_code, &row.id)?;
        let region = RegionCode::parse(&row.region_code).map_err(|_| StorageError::NotFound)?;
        if !scope.contains(&region) || region.county_code() != Some(current.county_code.as_str()) {
            return Err(StorageError::NotFound);
        }
        let n = diesel::update(
            households::table
                .filter(households::county_code.eq(&row.county_code))
                .filter(households::id.eq(&row.id))
                .filter(households::version.eq(row.version)),
        )
        .set((
            households::address.eq(&row.address),
            households::region_code.eq(&row.region_code),
            households::status.eq(&row.status),
            households::updated_at.eq(jiuzhu_domain::time::now()),
            households::version.eq(row.version + 1),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(StorageError::StaleVersion);
        }
        get(conn, scope, &current.county_code, &current.id)
    })
}

/// The members of a household with their membership records: current members when `on` is
/// `None`, otherwise those who belonged to it on that date (joined on or before it and not
/// yet left).
pub fn members(
    conn: &mut DbConnection,
    scope: &Scope,
    county: &str,
    household_id: &str,
    on: Option<NaiveDate>,
) -> Result<Vec<(MembershipRow, PersonRow)>, StorageError> {
    get(conn, scope, county, household_id)?;
    let mut q = members_with_persons!()
        .filter(memberships::county_code.eq(county))
        .filter(memberships::household_id.eq(household_id))
        .into_boxed();
    q = match on {
        None => q.filter(memberships::left_on.is_null()),
        Some(d) => q.filter(memberships::joined_on.le(d)).filter(
            memberships::left_on
                .is_null()
                .or(memberships::left_on.gt(d)),
        ),
    };
    Ok(q.order((memberships::joined_on, memberships::created_at))
        .select((MembershipRow::as_select(), PersonRow::as_select()))
        .load(conn)?)
}

/// Every membership record of a household, past and present (the membership history), for
/// a household row just read in the scope.
pub fn membership_history(
    conn: &mut DbConnection,
    scope: &Scope,
    household: &HouseholdRow,
) -> Result<Vec<(MembershipRow, PersonRow)>, StorageError> {
    check_in_scope(scope, household)?;
    Ok(members_with_persons!()
        .filter(memberships::county_code.eq(&household.county_code))
        .filter(memberships::household_id.eq(&household.id))
        .order((memberships::joined_on, memberships::created_at))
        .select((MembershipRow::as_select(), PersonRow::as_select()))
        .load(conn)?)
}

/// Adds a membership for a person already stored in the same county (a new member is stored
/// by the caller first). Refused if the person is a current member elsewhere.
pub fn add_membership(
    conn: &mut DbConnection,
    scope: &Scope,
    m: &MembershipRow,
    expected_version: i32,
) -> Result<(), StorageError> {
    crate::write_transaction(conn, |conn| {
        let h = get(conn, scope, &m.county_code, &m.household_id)?;
        if h.version != expected_version {
            return Err(StorageError::StaleVersion);
        }
        diesel::insert_into(memberships::table)
            .values(m)
            .execute(conn)
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ) => StorageError::AlreadyMember,
                other => StorageError::Db(other),
            })?;
        refresh_summary(conn, &m.county_code, &m.household_id)
    })
}

/// A member leaving: who, from which day (exclusive), and why.
#[derive(Debug, Clone)]
pub struct MembershipEnd {
    /// The person.
    pub person_id: String,
    /// Not a member from this day.
    pub left_on: NaiveDate,
    /// Why (死亡, 迁出 …).
    pub reason: String,
}

/// Ends a person's current membership.
pub fn end_membership(
    conn: &mut DbConnection,
    scope: &Scope,
    county: &str,
    household_id: &str,
    end: &MembershipEnd,
    expected_version: i32,
) -> Result<(), StorageError> {
    crate::write_transaction(conn, |conn| {
        let h = get(conn, scope, county, household_id)?;
        if h.version != expected_version {
            return Err(StorageError::StaleVersion);
        }
        let n = diesel::update(
            memberships::table
                .filter(memberships::county_code.eq(county))
                .filter(memberships::household_id.eq(household_id))
                .filter(memberships::person_id.eq(&end.person_id))
                .filter(memberships::left_on.is_null()),
        )
        .set((
            memberships::left_on.eq(Some(end.left_on)),
            memberships::leave_reason.eq(Some(&end.reason)),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(StorageError::NotFound);
        }
        refresh_summary(conn, county, household_id)
    })
}

/// Recomputes the head's name and member count kept on the household for lists, and bumps
/// its version (a membership change is a change of the household).
fn refresh_summary(
    conn: &mut DbConnection,
    county: &str,
    household_id: &str,
) -> Result<(), StorageError> {
    let current: Vec<(String, String, String)> = members_with_persons!()
        .filter(memberships::county_code.eq(county))
        .filter(memberships::household_id.eq(household_id))
        .filter(memberships::left_on.is_null())
        .select((memberships::relation, persons::id, persons::name))
        .load(conn)?;
    let head = current.iter().find(|(rel, _, _)| rel == "head");
    diesel::update(households::table.find((county, household_id)))
        .set((
            households::member_count.eq(current.len() as i32),
            households::head_person_id.eq(head.map(|h| h.1.clone())),
            households::head_name.eq(head.map(|h| h.2.clone()).unwrap_or_default()),
            households::updated_at.eq(jiuzhu_domain::time::now()),
            households::version.eq(households::version + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// The household a person currently belongs to (in the person's county), if any.
pub fn current_household_of(
    conn: &mut DbConnection,
    scope: &Scope,
    county: &str,
    person_id: &str,
) -> Result<Option<HouseholdRow>, StorageError> {
    let hid: Option<String> = memberships::table
        .filter(memberships::county_code.eq(county))
        .filter(memberships::person_id.eq(person_id))
        .filter(memberships::left_on.is_null())
        .select(memberships::household_id)
        .first(conn)
        .optional()?;
    match hid {
        Some(h) => match get(conn, scope, county, &h) {
            Ok(row) => Ok(Some(row)),
            Err(StorageError::NotFound) => Ok(None),
            Err(e) => Err(e),
        },
        None => Ok(None),
    }
}
