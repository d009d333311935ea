//! Regions (reference data): the division tree, loaded once from the NBS codes.

use diesel::prelude::*;

use crate::models::RegionRow;
use crate::schema::regions;
use crate::{DbConnection, StorageError, bulk};

/// How many regions are stored.
pub fn count(conn: &mut DbConnection) -> Result<i64, StorageError> {
    Ok(regions::table.count().get_result(conn)?)
}

/// Stores regions (parents before children); existing codes are left as they are.
pub fn insert_missing(conn: &mut DbConnection, rows: &[RegionRow]) -> Result<usize, StorageError> {
    let existing: std::collections::HashSet<String> = regions::table
        .select(regions::code)
        .load(conn)?
        .into_iter()
        .collect();
    let new: Vec<RegionRow> = rows
        .iter()
        .filter(|r| !existing.contains(&r.code))
        .cloned()
        .collect();
    crate::write_transaction(conn, |conn| bulk::insert_regions(conn, &new))?;
    Ok(new.len())
}

/// One region.
pub fn get(conn: &mut DbConnection, code: &str) -> Result<Option<RegionRow>, StorageError> {
    Ok(regions::table
        .find(code)
        .select(RegionRow::as_select())
        .first(conn)
        .optional()?)
}

/// The children of a region, by code.
pub fn children(conn: &mut DbConnection, code: &str) -> Result<Vec<RegionRow>, StorageError> {
    Ok(regions::table
        .filter(regions::parent_code.eq(code))
        .order(regions::code)
        .select(RegionRow::as_select())
        .load(conn)?)
}

/// All regions of one level, by code.
pub fn of_level(conn: &mut DbConnection, level: &str) -> Result<Vec<RegionRow>, StorageError> {
    Ok(regions::table
        .filter(regions::level.eq(level))
        .order(regions::code)
        .select(RegionRow::as_select())
        .load(conn)?)
}

/// Every region (3,435 rows for Anyang: small enough to cache in memory).
pub fn all(conn: &mut DbConnection) -> Result<Vec<RegionRow>, StorageError> {
    Ok(regions::table
        .order(regions::code)
        .select(RegionRow::as_select())
        .load(conn)?)
}
