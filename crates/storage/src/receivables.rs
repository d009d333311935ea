//! Overpayments to recover and what has been recovered or written off.

use crate::per_backend::insert_or_ignore;
use diesel::prelude::*;

use crate::models::{ReceivableEntryRow, ReceivableRow};
use crate::schema::{receivable_entries, receivables};
use crate::{DbConnection, StorageError};

/// Stores a new receivable.
pub fn insert(conn: &mut DbConnection, row: &ReceivableRow) -> Result<(), StorageError> {
    diesel::insert_into(receivables::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// One receivable.
pub fn get(conn: &mut DbConnection, county: &str, id: &str) -> Result<ReceivableRow, StorageError> {
    receivables::table
        .filter(receivables::county_code.eq(county))
        .filter(receivables::id.eq(id))
        .select(ReceivableRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)
}

/// The receivables of these counties, newest first (at most 1,000), optionally of one case.
pub fn list(
    conn: &mut DbConnection,
    counties: &[String],
    case_id: Option<&str>,
) -> Result<Vec<ReceivableRow>, StorageError> {
    let mut q = receivables::table
        .filter(receivables::county_code.eq_any(counties))
        .into_boxed();
    if let Some(c) = case_id {
        q = q.filter(receivables::case_id.eq(c));
    }
    Ok(q.order(receivables::created_at.desc())
        .limit(1000)
        .select(ReceivableRow::as_select())
        .load(conn)?)
}

/// Open receivables of a county that may be offset against payments.
pub fn offsettable(
    conn: &mut DbConnection,
    county: &str,
) -> Result<Vec<ReceivableRow>, StorageError> {
    Ok(receivables::table
        .filter(receivables::county_code.eq(county))
        .filter(receivables::status.eq("open"))
        .filter(receivables::offset_per_month_fen.gt(0))
        .order(receivables::created_at)
        .select(ReceivableRow::as_select())
        .load(conn)?)
}

/// Rewrites a receivable if its version is still `row.version - 1`.
pub fn advance(conn: &mut DbConnection, row: &ReceivableRow) -> Result<bool, StorageError> {
    let n = diesel::update(
        receivables::table
            .filter(receivables::county_code.eq(&row.county_code))
            .filter(receivables::id.eq(&row.id))
            .filter(receivables::version.eq(row.version - 1)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

/// Records an entry; false when an offset from that line is already recorded.
pub fn insert_entry(
    conn: &mut DbConnection,
    row: &ReceivableEntryRow,
) -> Result<bool, StorageError> {
    let n = insert_or_ignore!(conn, receivable_entries::table, row)?;
    Ok(n == 1)
}

/// A receivable's entries, oldest first.
pub fn entries(
    conn: &mut DbConnection,
    county: &str,
    id: &str,
) -> Result<Vec<ReceivableEntryRow>, StorageError> {
    Ok(receivable_entries::table
        .filter(receivable_entries::county_code.eq(county))
        .filter(receivable_entries::receivable_id.eq(id))
        .order((receivable_entries::entered_at, receivable_entries::id))
        .select(ReceivableEntryRow::as_select())
        .load(conn)?)
}

/// Entries of many receivables (for the report).
pub fn entries_of(
    conn: &mut DbConnection,
    county: &str,
    ids: &[String],
) -> Result<Vec<ReceivableEntryRow>, StorageError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(10_000) {
        out.extend(
            receivable_entries::table
                .filter(receivable_entries::county_code.eq(county))
                .filter(receivable_entries::receivable_id.eq_any(chunk))
                .select(ReceivableEntryRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}
