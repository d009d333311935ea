//! Rows of cases: the case, its decision records, instalments, moves, hotline requests and transfers.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::*;

/// An application for one programme and where it stands. Written whole on every move, so a
/// field that becomes empty (the due date once the clock stops) is written as NULL.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = cases, treat_none_as_null = true)]
pub struct CaseRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// The household.
    pub household_id: String,
    /// Where it is handled.
    pub region_code: String,
    /// Programme (`CaseKind` code).
    pub kind: String,
    /// How it came in.
    pub channel: String,
    /// Stage (`Stage` code).
    pub stage: String,
    /// The need as told (sealed).
    pub summary: String,
    /// Filed.
    pub filed_on: NaiveDate,
    /// Accepted.
    pub accepted_on: Option<NaiveDate>,
    /// Statutory due date while the clock runs.
    pub due_on: Option<NaiveDate>,
    /// Decided.
    pub decided_on: Option<NaiveDate>,
    /// Amount decided, in fen (monthly for 低保/特困, one-off for 临时救助).
    pub amount_fen: Option<i64>,
    /// Reasons of a refusal or non-acceptance.
    pub reasons: String,
    /// Optimistic-lock version.
    pub version: i32,
    /// Who filed it.
    pub created_by: String,
    /// When.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
    /// A staff member's near relative is in the household (近亲属备案): listed apart and
    /// decided by county civil affairs.
    pub near_relative: bool,
    /// The rules' answer at the opinion and the decision (sealed JSON; empty before).
    pub rules_opinion: String,
    /// 临时救助: the hardship as filed (sealed JSON; empty for other programmes).
    pub hardship: String,
    /// The rules' input the opinion and the decision were computed from (sealed JSON; empty
    /// before), so the decision can be replayed.
    pub rules_input: String,
}

/// The programme's own record of one decision (issue 16): sealed JSON under its spec's layout
/// version.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_decisions)]
pub struct CaseDecisionRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The case version the decision created.
    pub seq: i32,
    /// Programme (`CaseKind` code).
    pub kind: String,
    /// The action (`Action` code).
    pub action: String,
    /// The spec's record layout; 0: carried from the old columns, not yet sealed.
    pub record_version: i32,
    /// Sealed JSON (plain JSON while `record_version` is 0).
    pub payload: String,
    /// `record_version` 0: the caregiver as sealed on the old `cases.caregiver`.
    pub legacy_caregiver: Option<String>,
    /// The day of the decision.
    pub decided_on: NaiveDate,
    /// Recorded.
    pub created_at: NaiveDateTime,
}

/// One instalment of a staged temporary-assistance payment (一次审批、分阶段救助).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_instalments)]
pub struct InstalmentRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// 1, 2, … in payment order.
    pub seq: i32,
    /// The month it is paid in (YYYY-MM).
    pub month: String,
    /// Amount in fen.
    pub amount_fen: i64,
}

/// One move of a case.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_events)]
pub struct CaseEventRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The version the move created.
    pub seq: i32,
    /// `Action` code (or `file` for the filing).
    pub action: String,
    /// Stage before.
    pub from_stage: String,
    /// Stage after.
    pub to_stage: String,
    /// The day it happened.
    pub on_date: NaiveDate,
    /// Who.
    pub actor: String,
    /// Reasons, findings, investigators (sealed).
    pub note: String,
    /// When recorded.
    pub created_at: NaiveDateTime,
}

/// A request in the township intake queue: a 12345 call, a village discovery report or an
/// online application.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = hotline_requests)]
pub struct HotlineRow {
    /// County of the place.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// The place named (village or township).
    pub region_code: String,
    /// Caller's name (sealed).
    pub caller: String,
    /// Caller's phone (sealed).
    pub phone: String,
    /// The need as told (sealed).
    pub need: String,
    /// The hotline's own ticket number (a retried request is stored once).
    pub ticket: String,
    /// Received.
    pub received_at: NaiveDateTime,
    /// `open`, `converted` or `closed`.
    pub status: String,
    /// The case it became.
    pub case_id: Option<String>,
    /// Who handled it.
    pub handled_by: Option<String>,
    /// When.
    pub handled_at: Option<NaiveDateTime>,
    /// What was done.
    pub note: String,
    /// Where it came from: 12345热线, 村（社区）主动发现 or 网上申请.
    pub source: String,
    /// The registered household, when the reporter named one.
    pub household_id: Option<String>,
    /// Programmes asked for (comma-separated `CaseKind` codes; may be empty).
    pub kinds: String,
}

/// An item transferred to a county department.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_transfers)]
pub struct TransferRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// The case it came from.
    pub case_id: String,
    /// Where the case is handled.
    pub region_code: String,
    /// The department (its role code, or `charity`).
    pub department: String,
    /// What is asked (sealed).
    pub matter: String,
    /// Sent.
    pub sent_on: NaiveDate,
    /// By whom.
    pub sent_by: String,
    /// Answered.
    pub answered_on: Option<NaiveDate>,
    /// By whom.
    pub answered_by: Option<String>,
    /// The answer (sealed; empty until answered).
    pub answer: String,
}
