//! Row types: one struct per table, as stored. The application layer turns them into and out
//! of domain types; nothing here validates.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::*;

/// A region row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = regions)]
pub struct RegionRow {
    /// 12-digit code.
    pub code: String,
    /// Name.
    pub name: String,
    /// `city` / `county` / `township` / `village`.
    pub level: String,
    /// Parent's 12-digit code.
    pub parent_code: Option<String>,
}

/// A holiday row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = holidays)]
pub struct HolidayRow {
    /// Date.
    pub date: NaiveDate,
    /// `holiday` / `workday`.
    pub kind: String,
    /// Festival name.
    pub name: String,
}

/// The national index entry of one ID number.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = person_identity)]
pub struct PersonIdentityRow {
    /// The lookup key of the ID number.
    pub id_key: String,
    /// The person.
    pub person_id: String,
    /// The county holding the person.
    pub county_code: String,
    /// When registered.
    pub registered_at: NaiveDateTime,
}

/// A household row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = households, treat_none_as_null = true)]
pub struct HouseholdRow {
    /// County (distribution key).
    pub county_code: String,
    /// ID.
    pub id: String,
    /// Village or township of the address.
    pub region_code: String,
    /// Street address.
    pub address: String,
    /// Head of household.
    pub head_person_id: Option<String>,
    /// Head's name, kept for lists and search.
    pub head_name: String,
    /// Current members, kept for lists.
    pub member_count: i32,
    /// `active` / `closed`.
    pub status: String,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
    /// Optimistic-lock version.
    pub version: i32,
}

/// A person row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = persons, treat_none_as_null = true)]
pub struct PersonRow {
    /// County (distribution key).
    pub county_code: String,
    /// ID.
    pub id: String,
    /// 姓名.
    pub name: String,
    /// 身份证号.
    pub id_number: String,
    /// 性别 code.
    pub sex: String,
    /// 出生日期.
    pub birth_date: NaiveDate,
    /// 户籍地.
    pub hukou_region_code: String,
    /// 户籍性质 code.
    pub hukou_type: String,
    /// 居住地.
    pub residence_region_code: String,
    /// 持居住证.
    pub residence_permit: bool,
    /// 残疾类别 code.
    pub disability_category: Option<String>,
    /// 残疾等级.
    pub disability_grade: Option<i32>,
    /// 重特大疾病.
    pub serious_illness: Option<String>,
    /// 劳动能力 code.
    pub labour_capacity: String,
    /// ADL items lost (bit set).
    pub adl_lost: i32,
    /// 就业状况 code.
    pub employment_status: String,
    /// 就学阶段 code.
    pub school_stage: Option<String>,
    /// 特殊身份 code.
    pub special_status: Option<String>,
    /// 死亡日期.
    pub death_date: Option<NaiveDate>,
    /// 联系电话.
    pub phone: Option<String>,
    /// 开户银行.
    pub bank_name: Option<String>,
    /// 银行账号.
    pub bank_account: Option<String>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
    /// Optimistic-lock version.
    pub version: i32,
}

/// A membership row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships)]
pub struct MembershipRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// Household.
    pub household_id: String,
    /// Person.
    pub person_id: String,
    /// 与户主关系 code.
    pub relation: String,
    /// Joined.
    pub joined_on: NaiveDate,
    /// Left (exclusive: not a member from this day).
    pub left_on: Option<NaiveDate>,
    /// Why joined.
    pub join_reason: String,
    /// Why left.
    pub leave_reason: Option<String>,
    /// Recorded.
    pub created_at: NaiveDateTime,
}

/// An income, asset or expense record.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = economic_records)]
pub struct EconomicRecordRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// Household.
    pub household_id: String,
    /// Person, when the record is personal.
    pub person_id: Option<String>,
    /// `income` / `asset` / `expense`.
    pub kind: String,
    /// Category code.
    pub category: String,
    /// Where it came from (申报, 核对, …).
    pub source: String,
    /// Period start.
    pub period_start: NaiveDate,
    /// Period end (inclusive).
    pub period_end: NaiveDate,
    /// Amount or value in fen.
    pub amount_fen: i64,
    /// Note.
    pub note: String,
    /// Recorded.
    pub recorded_at: NaiveDateTime,
}

/// A legal supporter living outside the household (43号 Art. 8), recorded for one member.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = supporters)]
pub struct SupporterRow {
    /// County.
    pub county_code: String,
    /// ID.
    pub id: String,
    /// Household of the member supported.
    pub household_id: String,
    /// The member supported.
    pub person_id: String,
    /// Name (sealed).
    pub name: String,
    /// Who the supporter is to the member (`child`, `spouse`, `parent`, `grandchild`,
    /// `grandparent`, `sibling`).
    pub relation: String,
    /// Date of birth (for age).
    pub birth_date: NaiveDate,
    /// Is 特困 themselves.
    pub tekun: bool,
    /// Receives 低保.
    pub dibao: bool,
    /// Grade 1–2, or grade-3 intellectual or mental disability.
    pub severe_disability: bool,
    /// Lacks civil capacity, declared missing or in prison.
    pub incapacitated: bool,
    /// Own monthly income in fen.
    pub income_monthly_fen: i64,
    /// Assets above the local low-income asset rules.
    pub assets_above_limit: bool,
    /// Who recorded it.
    pub recorded_by: String,
    /// When.
    pub recorded_at: NaiveDateTime,
}

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct UserRow {
    /// Id.
    pub id: String,
    /// Login name (unique).
    pub username: String,
    /// Name shown in pages and the audit log.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// 12-digit region the user works in.
    pub region_code: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Sealed TOTP secret.
    pub totp_secret: Option<String>,
    /// Whether the TOTP secret has been confirmed and is required at login.
    pub totp_enabled: bool,
    /// Consecutive failed logins.
    pub failed_logins: i32,
    /// Locked until (after too many failures).
    pub locked_until: Option<NaiveDateTime>,
    /// Disabled by an administrator.
    pub disabled: bool,
    /// The next login must set a new password (after creation or a reset).
    pub must_change_password: bool,
    /// When the password was last set.
    pub password_changed_at: NaiveDateTime,
    /// Last successful login.
    pub last_login_at: Option<NaiveDateTime>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Updated.
    pub updated_at: NaiveDateTime,
    /// Optimistic-locking version.
    pub version: i32,
    /// `approved`, `pending` (asked for by a system administrator, waiting for the security
    /// administrator) or `rejected`; only approved accounts sign in.
    pub approval: String,
    /// The administrator who asked for the account (none: the platform).
    pub requested_by: Option<String>,
    /// Who receives the account's password letters (密码函) to hand them over.
    pub supervisor_id: Option<String>,
}

/// A one-time password letter (密码函): sealed until the supervisor opens it, once.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = password_letters)]
pub struct PasswordLetterRow {
    /// Id.
    pub id: String,
    /// The account the letter is for.
    pub user_id: String,
    /// The supervisor who may open it.
    pub supervisor_id: String,
    /// `create` or `reset`.
    pub purpose: String,
    /// SM4-GCM sealed JSON of the password (and TOTP secret); none once opened.
    pub sealed: Option<String>,
    /// Written.
    pub created_at: NaiveDateTime,
    /// Opened by the supervisor.
    pub opened_at: Option<NaiveDateTime>,
}

/// A signed-in session.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    /// SM3 of the token.
    pub token_hash: String,
    /// The user.
    pub user_id: String,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// Client address at login.
    pub ip: String,
    /// Signed in at.
    pub created_at: NaiveDateTime,
    /// Last request at (updated at most once a minute).
    pub last_seen_at: NaiveDateTime,
}

/// A near relative declared by a staff member (近亲属备案).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = near_relatives)]
pub struct NearRelativeRow {
    /// Id.
    pub id: String,
    /// The staff member.
    pub user_id: String,
    /// The relative's name.
    pub relative_name: String,
    /// Relation (配偶, 父母, 子女 …).
    pub relation: String,
    /// Blind index of the relative's ID number.
    pub id_key: String,
    /// Sealed ID number.
    pub id_number: String,
    /// Filed at.
    pub filed_at: NaiveDateTime,
    /// Withdrawn at (the filing stays on record).
    pub withdrawn_at: Option<NaiveDateTime>,
}

/// One entry of an audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    /// The chain (county code, or 410500 for the city).
    pub county_code: String,
    /// Position in the chain, from 1.
    pub id: i64,
    /// When.
    pub at: NaiveDateTime,
    /// The acting user (none for anonymous attempts).
    pub user_id: Option<String>,
    /// The acting user's login name (as typed, for failed logins).
    pub username: String,
    /// The acting user's role code.
    pub role: String,
    /// Client address.
    pub ip: String,
    /// What was done (`household.view`, `person.update`, `login` …).
    pub action: String,
    /// `ok`, `denied` or `failed`.
    pub outcome: String,
    /// Kind of object (`household`, `person`, `user` …).
    pub object_kind: String,
    /// Object id.
    pub object_id: String,
    /// Region of the object (or of the user).
    pub region_code: String,
    /// Reason given (for reveals and exports).
    pub reason: String,
    /// JSON detail.
    pub detail: String,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// Keyed SM3 hash of this entry and `prev_hash`.
    pub hash: String,
}

impl AuditRow {
    /// The bytes the chain hash covers: every field but `hash`, unambiguously separated.
    pub fn canonical(&self) -> Vec<u8> {
        let fields: [&str; 15] = [
            &self.county_code,
            &self.id.to_string(),
            &self.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
            self.user_id.as_deref().unwrap_or(""),
            &self.username,
            &self.role,
            &self.ip,
            &self.action,
            &self.outcome,
            &self.object_kind,
            &self.object_id,
            &self.region_code,
            &self.reason,
            &self.detail,
            &self.prev_hash,
        ];
        let mut out = Vec::new();
        for f in fields {
            // Length-prefixed, so no choice of field values can collide with another.
            out.extend_from_slice(&(f.len() as u64).to_be_bytes());
            out.extend_from_slice(f.as_bytes());
        }
        out
    }
}

/// The head of an audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_heads)]
pub struct AuditHeadRow {
    /// The chain.
    pub chain: String,
    /// Last position.
    pub seq: i64,
    /// Hash of the last entry.
    pub hash: String,
    /// Keyed seal of (chain, seq, hash).
    pub seal: String,
}

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
