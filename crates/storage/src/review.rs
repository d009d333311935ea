//! Cross-matching the caseload against agency data (S7, G3) and the review tasks it raises.

use crate::models::ReviewTaskRow;
use crate::schema::{agency_records, memberships, person_identity, review_tasks};
use crate::{DbConnection, StorageError};
use chrono::NaiveDate;
use diesel::prelude::*;

/// One agency record about a registered person in a household.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Hit {
    /// The person's county.
    pub county_code: String,
    /// The person.
    pub person_id: String,
    /// The person's ID lookup key (the same on every backend, unlike the person's row ID).
    pub subject_key: String,
    /// Their current household.
    pub household_id: String,
    /// Source code.
    pub source: String,
    /// The agency record.
    pub record_key: String,
    /// Record type code.
    pub kind: String,
    /// Amount in fen.
    pub amount_fen: Option<i64>,
    /// As of.
    pub as_of: NaiveDate,
}

/// Every agency record of the given types about a person who currently belongs to a
/// household: one join of the records with the national ID index and the current memberships.
pub fn hits(conn: &mut DbConnection, kinds: &[&str]) -> Result<Vec<Hit>, StorageError> {
    Ok(agency_records::table
        .inner_join(
            person_identity::table.on(person_identity::id_key.eq(agency_records::subject_key)),
        )
        .inner_join(
            memberships::table.on(memberships::county_code
                .eq(person_identity::county_code)
                .and(memberships::person_id.eq(person_identity::person_id))
                .and(memberships::left_on.is_null())),
        )
        .filter(agency_records::kind.eq_any(kinds))
        .select((
            person_identity::county_code,
            person_identity::person_id,
            agency_records::subject_key,
            memberships::household_id,
            agency_records::source,
            agency_records::record_key,
            agency_records::kind,
            agency_records::amount_fen,
            agency_records::as_of,
        ))
        .load(conn)?)
}

/// Inserts tasks, skipping those already raised (same person, kind and evidence); returns how
/// many are new.
pub fn insert_tasks(
    conn: &mut DbConnection,
    rows: &[ReviewTaskRow],
) -> Result<usize, StorageError> {
    let mut n = 0;
    for chunk in rows.chunks(1_500) {
        n += match conn {
            DbConnection::Sqlite(c) => diesel::insert_or_ignore_into(review_tasks::table)
                .values(chunk)
                .execute(c)?,
            DbConnection::Postgresql(c) => diesel::insert_into(review_tasks::table)
                .values(chunk)
                .on_conflict_do_nothing()
                .execute(c)?,
        };
    }
    Ok(n)
}

/// Open tasks of some counties, oldest first, at most `limit`.
pub fn open_tasks(
    conn: &mut DbConnection,
    counties: &[String],
    limit: i64,
) -> Result<Vec<ReviewTaskRow>, StorageError> {
    Ok(review_tasks::table
        .filter(review_tasks::county_code.eq_any(counties))
        .filter(review_tasks::status.eq("open"))
        .order((review_tasks::created_at, review_tasks::id))
        .limit(limit)
        .select(ReviewTaskRow::as_select())
        .load(conn)?)
}

/// How many tasks a county has, open or not.
pub fn count_tasks(conn: &mut DbConnection, county: &str) -> Result<i64, StorageError> {
    Ok(review_tasks::table
        .filter(review_tasks::county_code.eq(county))
        .count()
        .get_result(conn)?)
}
