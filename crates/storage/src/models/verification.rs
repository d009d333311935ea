//! Rows of household economic-status verification: agency imports and records, review tasks, consents and reports.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::*;

/// One imported agency file.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = agency_imports)]
pub struct AgencyImportRow {
    /// ID.
    pub id: String,
    /// Source code.
    pub source: String,
    /// File name as given.
    pub file_name: String,
    /// SM3 of the file's bytes.
    pub file_digest: String,
    /// Data rows read.
    pub rows_total: i32,
    /// Records stored.
    pub rows_imported: i32,
    /// Records already stored from an earlier file.
    pub rows_duplicate: i32,
    /// Rows refused.
    pub rows_failed: i32,
    /// Who imported it.
    pub imported_by: String,
    /// When.
    pub imported_at: NaiveDateTime,
}

/// One agency record.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = agency_records)]
pub struct AgencyRecordRow {
    /// Source code.
    pub source: String,
    /// SM3 of the normalised record.
    pub record_key: String,
    /// Lookup key of the person's ID number.
    pub subject_key: String,
    /// Record type code.
    pub kind: String,
    /// Amount in fen (monthly income, balance or value).
    pub amount_fen: Option<i64>,
    /// Period start.
    pub period_start: Option<NaiveDate>,
    /// Period end.
    pub period_end: Option<NaiveDate>,
    /// As-of date.
    pub as_of: NaiveDate,
    /// Delivering agency.
    pub agency: String,
    /// The agency's reference (plate, deed, company number).
    pub reference: String,
    /// Import it came with.
    pub import_id: String,
    /// Row in that file (1 = first data row).
    pub row_no: i32,
}

/// A review task raised by cross-matching.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = review_tasks)]
pub struct ReviewTaskRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// The person the evidence is about.
    pub person_id: String,
    /// Their current household.
    pub household_id: String,
    /// What was found (death, vehicle, business, real_estate, public_payroll, income).
    pub kind: String,
    /// Evidence: source code.
    pub source: String,
    /// Evidence: the agency record.
    pub record_key: String,
    /// Evidence: its as-of date.
    pub as_of: NaiveDate,
    /// Evidence: its amount.
    pub amount_fen: Option<i64>,
    /// open / confirmed / dismissed.
    pub status: String,
    /// The reviewer's note.
    pub note: String,
    /// The cross-matching run that raised it.
    pub run_id: String,
    /// When.
    pub created_at: NaiveDateTime,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// When it was closed.
    pub closed_at: Option<NaiveDateTime>,
}

/// One member's consent to the economic-status check.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = verification_consents)]
pub struct ConsentRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// Household.
    pub household_id: String,
    /// The member who consented.
    pub person_id: String,
    /// Date signed.
    pub signed_on: NaiveDate,
    /// 书面 (paper, signed and fingerprinted) or 电子 (online).
    pub method: String,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub recorded_at: NaiveDateTime,
}

/// A stored household verification report (its body sealed).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = verification_reports)]
pub struct VerificationReportRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// Household.
    pub household_id: String,
    /// Date of the check.
    pub checked_on: NaiveDate,
    /// Who ran it.
    pub checked_by: String,
    /// When.
    pub created_at: NaiveDateTime,
    /// Differences flagged.
    pub differences: i32,
    /// The report as sealed JSON.
    pub body: String,
}
