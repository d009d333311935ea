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

/// Filters of the household list. The region filter is applied by narrowing the `Scope`.
#[derive(Debug, Clone, Default)]
pub struct HouseholdFilter {
    /// Name of any current member, matched as a prefix (`张` finds 张三 and 张三丰).
    pub name: Option<String>,
    /// Exactly this household (found through an ID number).
    pub household_id: Option<String>,
    /// `active` / `closed`.
    pub status: Option<String>,
    /// At least this many members.
    pub min_members: Option<i32>,
}

/// Where a page of the list starts: after this (region, id) in list order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Region code of the last row shown.
    pub region_code: String,
    /// ID of the last row shown.
    pub id: String,
}

impl Cursor {
    /// The opaque form used in URLs (`region.id`).
    pub fn encode(&self) -> String {
        format!("{}.{}", self.region_code, self.id)
    }

    /// Parses the URL form; `None` for anything malformed.
    pub fn decode(s: &str) -> Option<Cursor> {
        let (r, i) = s.split_once('.')?;
        let ok = r.len() == 12
            && r.bytes().all(|b| b.is_ascii_digit())
            && !i.is_empty()
            && i.bytes().all(|b| b.is_ascii_alphanumeric());
        ok.then(|| Cursor {
            region_code: r.to_owned(),
            id: i.to_owned(),
        })
    }
}

/// The upper bound of a prefix range: every string starting with `prefix` sorts below
/// `prefix` + U+10FFFF (the highest code point) bytewise. SQLite compares BINARY and the
/// PostgreSQL column is `COLLATE "C"`, so both serve the range from their B-tree.
fn prefix_upper(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

type Boxed = households::BoxedQuery<'static, crate::db::MultiBackend>;

/// Households in the scope that match the filter (unordered, unpaged).
fn filtered(scope: &Scope, filter: &HouseholdFilter) -> Boxed {
    let (low, high) = scope.root().subtree_range();
    let counties: Vec<String> = scope.counties().to_vec();
    let mut q = households::table
        .filter(households::county_code.eq_any(counties.clone()))
        .filter(households::region_code.between(low, high))
        .into_boxed();
    if let Some(name) = filter
        .name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let person_ids = persons::table
            .filter(persons::county_code.eq_any(counties.clone()))
            .filter(persons::name.ge(name.to_owned()))
            .filter(persons::name.lt(prefix_upper(name)))
            .select(persons::id);
        let household_ids = memberships::table
            .filter(memberships::county_code.eq_any(counties))
            .filter(memberships::left_on.is_null())
            .filter(memberships::person_id.eq_any(person_ids))
            .select(memberships::household_id);
        q = q.filter(households::id.eq_any(household_ids));
    }
    if let Some(id) = &filter.household_id {
        q = q.filter(households::id.eq(id.clone()));
    }
    if let Some(status) = &filter.status {
        q = q.filter(households::status.eq(status.clone()));
    }
    if let Some(n) = filter.min_members {
        q = q.filter(households::member_count.ge(n));
    }
    q
}

/// One page of households in the scope, ordered by (region, id), with keyset pagination so
/// that the cost of a page does not grow with the database. Returns `limit + 1` rows at most
/// so the caller can tell whether a next page exists.
pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    filter: &HouseholdFilter,
    after: Option<&Cursor>,
    limit: i64,
) -> Result<Vec<HouseholdRow>, StorageError> {
    let mut q = filtered(scope, filter);
    if let Some(c) = after {
        // region >= r AND (region > r OR id > i): the first conjunct lets the index seek.
        q = q
            .filter(households::region_code.ge(c.region_code.clone()))
            .filter(
                households::region_code
                    .gt(c.region_code.clone())
                    .or(households::region_code
                        .eq(c.region_code.clone())
                        .and(households::id.gt(c.id.clone()))),
            );
    }
    Ok(q.order((households::region_code, households::id))
        .limit(limit + 1)
        .select(HouseholdRow::as_select())
        .load(conn)?)
}

/// Counts households in the scope matching the filter, up to `cap` (an exact count of a
/// whole city on every page view would cost more than it tells; lists show "10000+"). Reads
/// IDs only, from the covering index `households_region`.
pub fn count_capped(
    conn: &mut DbConnection,
    scope: &Scope,
    filter: &HouseholdFilter,
    cap: i64,
) -> Result<i64, StorageError> {
    let ids: Vec<String> = filtered(scope, filter)
        .select(households::id)
        .limit(cap)
        .load(conn)?;
    Ok(ids.len() as i64)
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
    let region = RegionCode::parse(&row.region_code).map_err(|_| StorageError::NotFound)?;
    if !scope.contains(&region) {
        return Err(StorageError::NotFound);
    }
    Ok(row)
}

/// Finds a household by ID alone within the scope's counties (IDs are globally unique).
pub fn find(
    conn: &mut DbConnection,
    scope: &Scope,
    id: &str,
) -> Result<HouseholdRow, StorageError> {
    let county: Option<String> = households::table
        .filter(households::county_code.eq_any(scope.counties()))
        .filter(households::id.eq(id))
        .select(households::county_code)
        .first(conn)
        .optional()?;
    match county {
        Some(c) => get(conn, scope, &c, id),
        None => Err(StorageError::NotFound),
    }
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
    conn.transaction(|conn| {
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
    let mut q = memberships::table
        .inner_join(
            persons::table.on(persons::county_code
                .eq(memberships::county_code)
                .and(persons::id.eq(memberships::person_id))),
        )
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

/// Every membership record of a household, past and present (the membership history).
pub fn membership_history(
    conn: &mut DbConnection,
    scope: &Scope,
    county: &str,
    household_id: &str,
) -> Result<Vec<(MembershipRow, PersonRow)>, StorageError> {
    get(conn, scope, county, household_id)?;
    Ok(memberships::table
        .inner_join(
            persons::table.on(persons::county_code
                .eq(memberships::county_code)
                .and(persons::id.eq(memberships::person_id))),
        )
        .filter(memberships::county_code.eq(county))
        .filter(memberships::household_id.eq(household_id))
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
    conn.transaction(|conn| {
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
    conn.transaction(|conn| {
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
    let current: Vec<(String, String, String)> = memberships::table
        .inner_join(
            persons::table.on(persons::county_code
                .eq(memberships::county_code)
                .and(persons::id.eq(memberships::person_id))),
        )
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

/// Maps a unique violation on the national ID index to [`StorageError::DuplicateIdNumber`].
pub fn map_unique_identity(e: StorageError) -> StorageError {
    match e {
        StorageError::Db(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => StorageError::DuplicateIdNumber,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let c = Cursor {
            region_code: "410502001001".into(),
            id: "abc123".into(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("410502001001.'; drop"), None);
        assert_eq!(Cursor::decode("4105.abc"), None);
        assert!(prefix_upper("张") > "张三丰".to_owned());
        assert!(prefix_upper("张") < "彰".to_owned());
    }
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
