//! Agency data (核对, S22): imported files and their records, stored once per record whatever
//! file repeats it, and looked up by the ID number's lookup key.

use crate::models::{AgencyImportRow, AgencyRecordRow};
use crate::per_backend::insert_or_ignore;
use crate::schema::{agency_imports, agency_records};
use crate::{DbConnection, StorageError};
use diesel::prelude::*;

/// The import of a file already imported for this source, if any.
pub fn import_of_digest(
    conn: &mut DbConnection,
    source: &str,
    digest: &str,
) -> Result<Option<AgencyImportRow>, StorageError> {
    Ok(agency_imports::table
        .filter(agency_imports::source.eq(source))
        .filter(agency_imports::file_digest.eq(digest))
        .select(AgencyImportRow::as_select())
        .first(conn)
        .optional()?)
}

/// Records an import (call inside the import's transaction, before its records).
pub fn insert_import(conn: &mut DbConnection, row: &AgencyImportRow) -> Result<(), StorageError> {
    diesel::insert_into(agency_imports::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Sets an import's counts once its records are in.
pub fn finish_import(
    conn: &mut DbConnection,
    id: &str,
    imported: i32,
    duplicate: i32,
) -> Result<(), StorageError> {
    diesel::update(agency_imports::table.filter(agency_imports::id.eq(id)))
        .set((
            agency_imports::rows_imported.eq(imported),
            agency_imports::rows_duplicate.eq(duplicate),
        ))
        .execute(conn)?;
    Ok(())
}

/// Inserts records, skipping those already stored (same source and record key); returns how
/// many were new. Batches stay under both backends' bind-parameter limits.
pub fn insert_records(
    conn: &mut DbConnection,
    rows: &[AgencyRecordRow],
) -> Result<usize, StorageError> {
    let mut inserted = 0;
    for chunk in rows.chunks(2_000) {
        inserted += insert_or_ignore!(conn, agency_records::table, chunk)?;
    }
    Ok(inserted)
}

/// Every record about the given subjects (lookup keys).
pub fn records_of(
    conn: &mut DbConnection,
    subjects: &[String],
) -> Result<Vec<AgencyRecordRow>, StorageError> {
    let mut out = Vec::new();
    for chunk in subjects.chunks(1_000) {
        out.extend(
            agency_records::table
                .filter(agency_records::subject_key.eq_any(chunk))
                .order((agency_records::subject_key, agency_records::as_of.desc()))
                .select(AgencyRecordRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// Imports, newest first.
pub fn imports(conn: &mut DbConnection, limit: i64) -> Result<Vec<AgencyImportRow>, StorageError> {
    Ok(agency_imports::table
        .order(agency_imports::imported_at.desc())
        .limit(limit)
        .select(AgencyImportRow::as_select())
        .load(conn)?)
}

/// How many records a source holds.
pub fn count(conn: &mut DbConnection, source: &str) -> Result<i64, StorageError> {
    Ok(agency_records::table
        .filter(agency_records::source.eq(source))
        .count()
        .get_result(conn)?)
}

/// Every lookup key of the national ID index with its county (benchmarks and generators).
pub fn identity_keys(conn: &mut DbConnection) -> Result<Vec<String>, StorageError> {
    use crate::schema::person_identity;
    Ok(person_identity::table
        .select(person_identity::id_key)
        .order(person_identity::id_key)
        .load(conn)?)
}

/// Records a member's consent (a second one for the same member is ignored); returns whether
/// it was new.
pub fn insert_consent(
    conn: &mut DbConnection,
    row: &crate::models::ConsentRow,
) -> Result<bool, StorageError> {
    use crate::schema::verification_consents;
    let n = insert_or_ignore!(conn, verification_consents::table, row)?;
    Ok(n == 1)
}

/// The consents recorded for a household.
pub fn consents(
    conn: &mut DbConnection,
    county: &str,
    household_id: &str,
) -> Result<Vec<crate::models::ConsentRow>, StorageError> {
    use crate::schema::verification_consents;
    Ok(verification_consents::table
        .filter(verification_consents::county_code.eq(county))
        .filter(verification_consents::household_id.eq(household_id))
        .select(crate::models::ConsentRow::as_select())
        .load(conn)?)
}

/// Stores a verification report.
pub fn insert_report(
    conn: &mut DbConnection,
    row: &crate::models::VerificationReportRow,
) -> Result<(), StorageError> {
    use crate::schema::verification_reports;
    diesel::insert_into(verification_reports::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// A household's stored reports, newest first.
pub fn reports_of(
    conn: &mut DbConnection,
    county: &str,
    household_id: &str,
) -> Result<Vec<crate::models::VerificationReportRow>, StorageError> {
    use crate::schema::verification_reports as r;
    Ok(r::table
        .filter(r::county_code.eq(county))
        .filter(r::household_id.eq(household_id))
        .order((r::created_at.desc(), r::id.desc()))
        .select(crate::models::VerificationReportRow::as_select())
        .load(conn)?)
}
