//! The township intake queue: 12345 calls, village discovery reports and online applications
//! waiting until a caseworker turns them into an application or closes them.

use crate::models::HotlineRow;
use crate::per_backend::insert_or_ignore;
use crate::schema::hotline_requests as h;
use crate::{DbConnection, StorageError};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use jiuzhu_domain::Scope;

/// Stores a request; a retry with the same ticket stores nothing and returns the earlier ID.
pub fn insert(conn: &mut DbConnection, row: &HotlineRow) -> Result<String, StorageError> {
    let n = insert_or_ignore!(conn, h::table, row)?;
    if n == 1 {
        return Ok(row.id.clone());
    }
    Ok(h::table
        .filter(h::county_code.eq(&row.county_code))
        .filter(h::ticket.eq(&row.ticket))
        .select(h::id)
        .first(conn)?)
}

/// Open requests for places in the scope, oldest first.
pub fn open(conn: &mut DbConnection, scope: &Scope) -> Result<Vec<HotlineRow>, StorageError> {
    let (low, high) = scope.root().subtree_range();
    Ok(h::table
        .filter(h::county_code.eq_any(scope.counties()))
        .filter(h::region_code.between(low, high))
        .filter(h::status.eq("open"))
        .order((h::received_at, h::id))
        .select(HotlineRow::as_select())
        .load(conn)?)
}

/// Closes an open request; false when it was handled already.
#[allow(clippy::too_many_arguments)]
pub fn close(
    conn: &mut DbConnection,
    county: &str,
    id: &str,
    status: &str,
    case_id: Option<&str>,
    by: &str,
    at: NaiveDateTime,
    note: &str,
) -> Result<bool, StorageError> {
    let n = diesel::update(
        h::table
            .filter(h::county_code.eq(county))
            .filter(h::id.eq(id))
            .filter(h::status.eq("open")),
    )
    .set((
        h::status.eq(status),
        h::case_id.eq(case_id),
        h::handled_by.eq(by),
        h::handled_at.eq(at),
        h::note.eq(note),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// One request (any status).
pub fn get(conn: &mut DbConnection, county: &str, id: &str) -> Result<HotlineRow, StorageError> {
    h::table
        .filter(h::county_code.eq(county))
        .filter(h::id.eq(id))
        .select(HotlineRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(StorageError::NotFound)
}
