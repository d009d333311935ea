//! Rows of the registry: regions and the holiday calendar (reference data), the national ID index, households, persons, memberships, economic records and supporters.

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

/// A person row (serialisable for the audit log's record of an edit).
#[derive(
    Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize,
)]
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
