//! Rows of the payroll: enrolments, payee accounts, runs and their lines, reserve funds, receivables and budgets.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::*;

/// An enrolment: what a household is paid each month for an enrolled 低保 or 特困 case.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = enrolments, treat_none_as_null = true)]
pub struct EnrolmentRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// The case it came from.
    pub case_id: String,
    /// The household.
    pub household_id: String,
    /// Where the household lives.
    pub region_code: String,
    /// `dibao` or `tekun`.
    pub programme: String,
    /// Monthly amount in fen.
    pub monthly_fen: i64,
    /// First month paid (YYYY-MM).
    pub start_month: String,
    /// Last month paid (inclusive; None while it runs).
    pub end_month: Option<String>,
    /// `active`, `suspended` or `ended`.
    pub status: String,
    /// Why it was suspended or ended.
    pub note: String,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
    /// Persons it covers (the statistics' 人数).
    pub people: i32,
    /// Its next periodic review (YYYY-MM-DD; None: not set).
    pub review_due: Option<String>,
}

/// Where a household is paid.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = payee_accounts)]
pub struct PayeeAccountRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// The household.
    pub household_id: String,
    /// The bank.
    pub bank: String,
    /// Account number (sealed).
    pub account: String,
    /// Keyed hash of the account number.
    pub account_key: String,
    /// Account holder (sealed).
    pub holder: String,
    /// Who set it.
    pub updated_by: String,
    /// When.
    pub updated_at: NaiveDateTime,
}

/// A county's payroll for one month.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = payroll_runs, treat_none_as_null = true)]
pub struct PayrollRunRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// YYYY-MM.
    pub month: String,
    /// `RunStatus` code.
    pub status: String,
    /// Who generated the draft.
    pub drafted_by: String,
    /// When.
    pub drafted_at: NaiveDateTime,
    /// Who checked it.
    pub checked_by: Option<String>,
    /// When.
    pub checked_at: Option<NaiveDateTime>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// When.
    pub approved_at: Option<NaiveDateTime>,
    /// First export.
    pub exported_at: Option<NaiveDateTime>,
    /// Reconciled.
    pub reconciled_at: Option<NaiveDateTime>,
    /// Optimistic-lock version.
    pub version: i32,
}

/// One payment.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = payment_lines)]
pub struct PaymentLineRow {
    /// County.
    pub county_code: String,
    /// `{source}:{month}`.
    pub id: String,
    /// The run that pays it (a retry of a failed or held line is a new line in a later run).
    pub run_id: String,
    /// The month it pays for.
    pub month: String,
    /// Exactly-once key: the programme, or `temporary:{case}` for temporary assistance.
    pub pay_key: String,
    /// `CaseKind` code.
    pub programme: String,
    /// The household.
    pub household_id: String,
    /// Where it lives.
    pub region_code: String,
    /// The enrolment or instalment paid.
    pub source_id: String,
    /// Amount in fen.
    pub amount_fen: i64,
    /// The bank (empty: no account).
    pub bank: String,
    /// Account number (sealed as `payee_accounts.account`).
    pub account: String,
    /// Holder (sealed as `payee_accounts.holder`).
    pub holder: String,
    /// `LineStatus` code.
    pub status: String,
    /// Why held or failed.
    pub reason: String,
    /// When paid or failed.
    pub settled_at: Option<NaiveDateTime>,
    /// Withheld to recover an overpayment (the amount is what is paid).
    pub offset_fen: i64,
}

/// A township's reserve fund.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = reserve_funds)]
pub struct ReserveFundRow {
    /// County.
    pub county_code: String,
    /// The township's code.
    pub id: String,
    /// Balance in fen (never negative).
    pub balance_fen: i64,
    /// Last change.
    pub updated_at: NaiveDateTime,
}

/// One entry of a reserve fund's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = reserve_entries)]
pub struct ReserveEntryRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// The township.
    pub township_code: String,
    /// `allocation`, `replenishment` or `advance`.
    pub kind: String,
    /// Signed amount in fen.
    pub amount_fen: i64,
    /// Balance after the entry.
    pub balance_after_fen: i64,
    /// The case an advance was paid for.
    pub case_id: Option<String>,
    /// Note.
    pub note: String,
    /// Who.
    pub entered_by: String,
    /// When.
    pub entered_at: NaiveDateTime,
}

/// An overpayment to recover.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = receivables, treat_none_as_null = true)]
pub struct ReceivableRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// The case that caused it.
    pub case_id: String,
    /// The household.
    pub household_id: String,
    /// Where.
    pub region_code: String,
    /// `fraud`, `error` or `late_change`.
    pub cause: String,
    /// The overpaid amount in fen.
    pub amount_fen: i64,
    /// Offset per month against later payments (0: none).
    pub offset_per_month_fen: i64,
    /// `open`, `write_off_requested`, `settled` or `written_off`.
    pub status: String,
    /// How it arose.
    pub note: String,
    /// Who recorded it.
    pub created_by: String,
    /// When.
    pub created_at: NaiveDateTime,
    /// Why a write-off is asked for.
    pub write_off_reason: String,
    /// Who asked for it.
    pub write_off_requested_by: Option<String>,
    /// Optimistic-lock version.
    pub version: i32,
}

/// Money recovered or written off.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = receivable_entries)]
pub struct ReceivableEntryRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// The receivable.
    pub receivable_id: String,
    /// `repayment`, `offset` or `write_off`.
    pub kind: String,
    /// Amount in fen.
    pub amount_fen: i64,
    /// The payment line an offset was taken from.
    pub line_id: Option<String>,
    /// Note.
    pub note: String,
    /// Who.
    pub entered_by: String,
    /// When.
    pub entered_at: NaiveDateTime,
}

/// A county's budget for one programme and year.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = budgets)]
pub struct BudgetRow {
    /// County.
    pub county_code: String,
    /// `{year}:{programme}`.
    pub id: String,
    /// Year.
    pub year: i32,
    /// `CaseKind` code.
    pub programme: String,
    /// Amount in fen.
    pub amount_fen: i64,
    /// Who set it.
    pub set_by: String,
    /// When.
    pub set_at: NaiveDateTime,
}
