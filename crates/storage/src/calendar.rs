//! Holiday data (reference): stored so that an administrator can import a new year's State
//! Council notice without a release.

use diesel::prelude::*;

use crate::models::HolidayRow;
use crate::schema::holidays;
use crate::{DbConnection, StorageError, bulk};

/// All stored holiday rows.
pub fn all(conn: &mut DbConnection) -> Result<Vec<HolidayRow>, StorageError> {
    Ok(holidays::table
        .order(holidays::date)
        .select(HolidayRow::as_select())
        .load(conn)?)
}

/// Stores rows, replacing any stored row for the same date, in one transaction.
pub fn upsert(conn: &mut DbConnection, rows: &[HolidayRow]) -> Result<usize, StorageError> {
    crate::write_transaction(conn, |conn| {
        let dates: Vec<_> = rows.iter().map(|r| r.date).collect();
        for chunk in dates.chunks(500) {
            diesel::delete(holidays::table.filter(holidays::date.eq_any(chunk))).execute(conn)?;
        }
        bulk::insert_holidays(conn, rows)?;
        Ok(rows.len())
    })
}
