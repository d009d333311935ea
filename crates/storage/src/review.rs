//! Cross-matching the caseload against agency data (S7, G3) and the review tasks it raises.

use crate::models::ReviewTaskRow;
use crate::per_backend::insert_or_ignore;
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
    /// End of the period the record covers, if any.
    pub period_end: Option<NaiveDate>,
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
            agency_records::period_end,
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
        n += insert_or_ignore!(conn, review_tasks::table, chunk)?;
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

/// An open task as the review queue shows it: the task, its household's region and the
/// person's (stored) name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    /// The task.
    pub task: ReviewTaskRow,
    /// The household's region.
    pub region_code: String,
    /// The person's name as stored (the caller masks it).
    pub person_name: String,
}

/// Open tasks of households inside the scope, oldest first.
pub fn queue(
    conn: &mut DbConnection,
    scope: &jiuzhu_domain::Scope,
    leads: bool,
    limit: i64,
) -> Result<Vec<QueueItem>, StorageError> {
    use crate::schema::{households, persons};
    let (low, high) = scope.root().subtree_range();
    let mut q = review_tasks::table
        .inner_join(
            households::table.on(households::county_code
                .eq(review_tasks::county_code)
                .and(households::id.eq(review_tasks::household_id))),
        )
        .inner_join(
            persons::table.on(persons::county_code
                .eq(review_tasks::county_code)
                .and(persons::id.eq(review_tasks::person_id))),
        )
        .filter(review_tasks::county_code.eq_any(scope.counties()))
        .filter(review_tasks::status.eq("open"))
        .filter(households::region_code.between(low, high))
        .into_boxed();
    // Discovery leads (kinds `lead_…`) and cross-matching hits are separate queues.
    q = if leads {
        q.filter(review_tasks::kind.like("lead\\_%").escape('\\'))
    } else {
        q.filter(review_tasks::kind.not_like("lead\\_%").escape('\\'))
    };
    let rows: Vec<(ReviewTaskRow, String, String)> = q
        .order((review_tasks::created_at, review_tasks::id))
        .limit(limit)
        .select((
            ReviewTaskRow::as_select(),
            households::region_code,
            persons::name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(task, region_code, person_name)| QueueItem {
            task,
            region_code,
            person_name,
        })
        .collect())
}

/// One task with its household's region, inside the scope.
pub fn get(
    conn: &mut DbConnection,
    scope: &jiuzhu_domain::Scope,
    county: &str,
    id: &str,
) -> Result<(ReviewTaskRow, String), StorageError> {
    use crate::schema::households;
    let (task, region): (ReviewTaskRow, String) = review_tasks::table
        .inner_join(
            households::table.on(households::county_code
                .eq(review_tasks::county_code)
                .and(households::id.eq(review_tasks::household_id))),
        )
        .filter(review_tasks::county_code.eq(county))
        .filter(review_tasks::id.eq(id))
        .select((ReviewTaskRow::as_select(), households::region_code))
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    let code = jiuzhu_domain::RegionCode::parse(&region).map_err(|_| StorageError::NotFound)?;
    if !scope.contains(&code) {
        return Err(StorageError::NotFound);
    }
    Ok((task, region))
}

/// Closes an open task; `StaleVersion` when someone closed it first.
pub fn close(
    conn: &mut DbConnection,
    county: &str,
    id: &str,
    status: &str,
    note: &str,
    by: &str,
    at: chrono::NaiveDateTime,
) -> Result<(), StorageError> {
    let n = diesel::update(
        review_tasks::table
            .filter(review_tasks::county_code.eq(county))
            .filter(review_tasks::id.eq(id))
            .filter(review_tasks::status.eq("open")),
    )
    .set((
        review_tasks::status.eq(status),
        review_tasks::note.eq(note),
        review_tasks::closed_by.eq(by),
        review_tasks::closed_at.eq(at),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(StorageError::StaleVersion);
    }
    Ok(())
}
