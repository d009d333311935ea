//! Township reserve funds and their ledger. A balance changes only by one conditional UPDATE
//! (`balance + amount >= 0`), so two advances at once can never overdraw a fund, and the table's
//! CHECK constraint refuses a negative balance whatever the caller does.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::models::{ReserveEntryRow, ReserveFundRow};
use crate::schema::{reserve_entries, reserve_funds};
use crate::{DbConnection, StorageError};

/// Adds `amount_fen` (negative: takes it) to a township's fund, creating the fund at zero
/// first when money comes in. Returns the balance after, or None when the fund is missing or
/// holds too little (nothing is changed then).
pub fn change(
    conn: &mut DbConnection,
    county: &str,
    township: &str,
    amount_fen: i64,
    at: NaiveDateTime,
) -> Result<Option<i64>, StorageError> {
    if amount_fen > 0 && fund(conn, county, township)?.is_none() {
        diesel::insert_into(reserve_funds::table)
            .values(&ReserveFundRow {
                county_code: county.into(),
                id: township.into(),
                balance_fen: 0,
                updated_at: at,
            })
            .execute(conn)?;
    }
    let n = diesel::update(
        reserve_funds::table
            .filter(reserve_funds::county_code.eq(county))
            .filter(reserve_funds::id.eq(township))
            .filter(reserve_funds::balance_fen.ge(-amount_fen)),
    )
    .set((
        reserve_funds::balance_fen.eq(reserve_funds::balance_fen + amount_fen),
        reserve_funds::updated_at.eq(at),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    Ok(fund(conn, county, township)?.map(|f| f.balance_fen))
}

/// A township's fund.
pub fn fund(
    conn: &mut DbConnection,
    county: &str,
    township: &str,
) -> Result<Option<ReserveFundRow>, StorageError> {
    Ok(reserve_funds::table
        .filter(reserve_funds::county_code.eq(county))
        .filter(reserve_funds::id.eq(township))
        .select(ReserveFundRow::as_select())
        .first(conn)
        .optional()?)
}

/// The funds of these counties.
pub fn funds(
    conn: &mut DbConnection,
    counties: &[String],
) -> Result<Vec<ReserveFundRow>, StorageError> {
    Ok(reserve_funds::table
        .filter(reserve_funds::county_code.eq_any(counties))
        .order(reserve_funds::id)
        .select(ReserveFundRow::as_select())
        .load(conn)?)
}

/// Records a ledger entry.
pub fn insert_entry(conn: &mut DbConnection, row: &ReserveEntryRow) -> Result<(), StorageError> {
    diesel::insert_into(reserve_entries::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A township's ledger, newest first (at most 500 entries).
pub fn entries(
    conn: &mut DbConnection,
    county: &str,
    township: &str,
) -> Result<Vec<ReserveEntryRow>, StorageError> {
    Ok(reserve_entries::table
        .filter(reserve_entries::county_code.eq(county))
        .filter(reserve_entries::township_code.eq(township))
        .order((
            reserve_entries::entered_at.desc(),
            reserve_entries::id.desc(),
        ))
        .limit(500)
        .select(ReserveEntryRow::as_select())
        .load(conn)?)
}
