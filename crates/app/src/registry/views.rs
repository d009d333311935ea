//! What the registry shows: households and persons as pages and the API present them, with
//! Chinese labels resolved and ID numbers masked (张*三, 410502********1234).

use jiuzhu_domain::person::*;
use jiuzhu_domain::{Money, RegionCode, ResidentId};
use jiuzhu_storage::models::{EconomicRecordRow, HouseholdRow, MembershipRow, PersonRow};
use serde::Serialize;
use utoipa::ToSchema;

use crate::regions::RegionCache;
use jiuzhu_crypto::Keys;

/// Shown in place of a field whose stored ciphertext failed authentication.
pub const TAMPERED: &str = "（数据校验失败）";

/// Masks a name for lists and notices: 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// Masks an ID number: 410502********1234.
pub fn mask_id_number(id: &str) -> String {
    ResidentId::parse(id)
        .map(|i| i.masked())
        .unwrap_or_else(|_| "******".into())
}

/// A row of the household list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HouseholdSummary {
    /// Household ID.
    pub id: String,
    /// County code.
    pub county_code: String,
    /// Region code.
    pub region_code: String,
    /// "文峰区 / 东大街街道 / 楼东社区居委会".
    pub region_path: String,
    /// Address.
    pub address: String,
    /// Head's name, masked.
    pub head_name_masked: String,
    /// Current members.
    pub member_count: i32,
    /// `active` / `closed`.
    pub status: String,
}

impl HouseholdSummary {
    /// From a stored row.
    pub fn from_row(h: &HouseholdRow, regions: &RegionCache) -> Self {
        let region = RegionCode::parse(&h.region_code).ok();
        HouseholdSummary {
            id: h.id.clone(),
            county_code: h.county_code.clone(),
            region_code: h.region_code.clone(),
            region_path: region.map(|r| regions.path(&r)).unwrap_or_default(),
            address: h.address.clone(),
            head_name_masked: mask_name(&h.head_name),
            member_count: h.member_count,
            status: h.status.clone(),
        }
    }
}

/// A page of the household list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HouseholdPage {
    /// Rows of this page.
    pub items: Vec<HouseholdSummary>,
    /// Cursor for the next page, if any.
    pub next_cursor: Option<String>,
    /// Matching households, counted up to `total_capped_at`.
    pub total: i64,
    /// The count's cap: `total == total_capped_at` reads "at least".
    pub total_capped_at: i64,
}

/// A person as shown (labels resolved, ID masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonView {
    /// Person ID.
    pub id: String,
    /// County code.
    pub county_code: String,
    /// Masked name (the full name is revealed on request, with a reason).
    pub name_masked: String,
    /// Masked ID number.
    pub id_number_masked: String,
    /// 性别.
    pub sex: String,
    /// 出生日期.
    pub birth_date: String,
    /// Age today.
    pub age: i32,
    /// 户籍地.
    pub hukou_region: String,
    /// 户籍性质.
    pub hukou_type: String,
    /// 居住地.
    pub residence_region: String,
    /// 居住证.
    pub residence_permit: bool,
    /// 残疾 ("肢体 二级") or empty.
    pub disability: String,
    /// 重特大疾病: only whether one is recorded (the details are revealed on request).
    pub serious_illness: String,
    /// 劳动能力.
    pub labour_capacity: String,
    /// 丧失的日常生活活动项目.
    pub adl_lost: Vec<String>,
    /// 就业状况.
    pub employment_status: String,
    /// 就学阶段.
    pub school_stage: String,
    /// 特殊身份.
    pub special_status: String,
    /// 死亡日期.
    pub death_date: String,
    /// Masked phone.
    pub phone_masked: String,
    /// 开户银行.
    pub bank_name: String,
    /// Masked account.
    pub bank_account_masked: String,
    /// Optimistic-lock version.
    pub version: i32,
}

fn label<T>(code: Option<&str>, parse: fn(&str) -> Option<T>, zh: fn(T) -> &'static str) -> String {
    code.and_then(parse).map(zh).unwrap_or_default().to_owned()
}

/// The last four characters behind four asterisks, whatever the length (a phone or an account
/// number in a list: ****5678); empty stays empty.
pub fn mask_last_four(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let tail: Vec<char> = s.chars().rev().take(4).collect();
    format!("****{}", tail.iter().rev().collect::<String>())
}

/// Masks all but the last `keep` characters: 13812345678 → *******5678.
pub fn mask_tail(s: &str, keep: usize) -> String {
    let n = s.chars().count();
    if n <= keep {
        return "*".repeat(n);
    }
    format!(
        "{}{}",
        "*".repeat(n - keep),
        s.chars().skip(n - keep).collect::<String>()
    )
}

impl PersonView {
    /// From a stored row, decrypting the sensitive fields only to mask them. A field that fails
    /// authentication is shown as such (and logged), never as garbage.
    pub fn from_row(
        keys: &Keys,
        p: &PersonRow,
        regions: &RegionCache,
        today: chrono::NaiveDate,
    ) -> Self {
        let clear = |column: &str, stored: &str| {
            super::open(keys, column, stored).unwrap_or_else(|_| TAMPERED.to_owned())
        };
        let id_number = clear("id_number", &p.id_number);
        let region_path = |c: &str| {
            RegionCode::parse(c)
                .map(|r| regions.path(&r))
                .unwrap_or_default()
        };
        let adl = AdlLost::from_bits(p.adl_lost).unwrap_or_default();
        PersonView {
            id: p.id.clone(),
            county_code: p.county_code.clone(),
            name_masked: mask_name(&p.name),
            id_number_masked: if id_number == TAMPERED {
                id_number.clone()
            } else {
                mask_id_number(&id_number)
            },
            sex: label(Some(&p.sex), Sex::parse, Sex::zh),
            birth_date: p.birth_date.to_string(),
            age: jiuzhu_domain::time::age_on(p.birth_date, today),
            hukou_region: region_path(&p.hukou_region_code),
            hukou_type: label(Some(&p.hukou_type), HukouType::parse, HukouType::zh),
            residence_region: region_path(&p.residence_region_code),
            residence_permit: p.residence_permit,
            disability: match (&p.disability_category, p.disability_grade) {
                (Some(c), Some(g)) => format!(
                    "{} {}级",
                    label(Some(c), DisabilityCategory::parse, DisabilityCategory::zh),
                    g
                ),
                _ => String::new(),
            },
            serious_illness: match p
                .serious_illness
                .as_deref()
                .map(|v| clear("serious_illness", v))
            {
                Some(v) if v == TAMPERED => v,
                Some(_) => "已登记".to_owned(),
                None => String::new(),
            },
            labour_capacity: label(
                Some(&p.labour_capacity),
                LabourCapacity::parse,
                LabourCapacity::zh,
            ),
            adl_lost: (0..6)
                .filter(|i| adl.has(*i))
                .map(|i| AdlLost::ITEMS[i].1.to_owned())
                .collect(),
            employment_status: label(
                Some(&p.employment_status),
                EmploymentStatus::parse,
                EmploymentStatus::zh,
            ),
            school_stage: label(
                p.school_stage.as_deref(),
                SchoolStage::parse,
                SchoolStage::zh,
            ),
            special_status: label(
                p.special_status.as_deref(),
                SpecialStatus::parse,
                SpecialStatus::zh,
            ),
            death_date: p.death_date.map(|d| d.to_string()).unwrap_or_default(),
            phone_masked: p
                .phone
                .as_deref()
                .map(|v| mask_tail(&clear("phone", v), 4))
                .unwrap_or_default(),
            bank_name: p.bank_name.clone().unwrap_or_default(),
            bank_account_masked: p
                .bank_account
                .as_deref()
                .map(|v| mask_tail(&clear("bank_account", v), 4))
                .unwrap_or_default(),
            version: p.version,
        }
    }
}

/// A member in a household view.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberView {
    /// 与户主关系.
    pub relation: String,
    /// Joined.
    pub joined_on: String,
    /// Left (empty while a member).
    pub left_on: String,
    /// Why joined.
    pub join_reason: String,
    /// Why left.
    pub leave_reason: String,
    /// The person.
    pub person: PersonView,
}

impl MemberView {
    /// From a membership and its person.
    pub fn from_rows(
        keys: &Keys,
        m: &MembershipRow,
        p: &PersonRow,
        regions: &RegionCache,
        today: chrono::NaiveDate,
    ) -> Self {
        MemberView {
            relation: label(Some(&m.relation), Relation::parse, Relation::zh),
            joined_on: m.joined_on.to_string(),
            left_on: m.left_on.map(|d| d.to_string()).unwrap_or_default(),
            join_reason: m.join_reason.clone(),
            leave_reason: m.leave_reason.clone().unwrap_or_default(),
            person: PersonView::from_row(keys, p, regions, today),
        }
    }
}

/// An economic record as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EconomicRecordView {
    /// ID.
    pub id: String,
    /// 收入 / 财产 / 支出.
    pub kind: String,
    /// Category label.
    pub category: String,
    /// Member's masked name, or 全家.
    pub person: String,
    /// Source.
    pub source: String,
    /// "2026-01-01 至 2026-06-30".
    pub period: String,
    /// Amount in fen.
    pub amount_fen: i64,
    /// Amount in yuan, two decimals.
    pub amount_yuan: String,
    /// Note.
    pub note: String,
}

impl EconomicRecordView {
    /// From a stored row and the household's members (for the name).
    pub fn from_row(r: &EconomicRecordRow, members: &[MemberView]) -> Self {
        EconomicRecordView {
            id: r.id.clone(),
            kind: label(Some(&r.kind), RecordKind::parse, RecordKind::zh),
            category: label(
                Some(&r.category),
                EconomicCategory::parse,
                EconomicCategory::zh,
            ),
            person: r
                .person_id
                .as_ref()
                .and_then(|pid| members.iter().find(|m| &m.person.id == pid))
                .map(|m| m.person.name_masked.clone())
                .unwrap_or_else(|| "全家".into()),
            source: r.source.clone(),
            period: format!("{} 至 {}", r.period_start, r.period_end),
            amount_fen: r.amount_fen,
            amount_yuan: Money::from_fen(r.amount_fen).yuan_string(),
            note: r.note.clone(),
        }
    }
}

/// A household page: the household, its members now, its membership history, its records.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HouseholdView {
    /// Summary.
    pub household: HouseholdSummary,
    /// Optimistic-lock version.
    pub version: i32,
    /// Created.
    pub created_at: String,
    /// Current members, head first.
    pub members: Vec<MemberView>,
    /// Everyone who ever belonged, with dates.
    pub history: Vec<MemberView>,
    /// Income, asset and expense records.
    pub economic_records: Vec<EconomicRecordView>,
    /// Legal supporters recorded outside the household (43号 Art. 8).
    pub supporters: Vec<super::SupporterView>,
    /// Members who are a staff member's near relative (近亲属备案), shown to deciders only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub near_relative_flags: Vec<crate::security::near_relatives::StaffRelation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_are_masked() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("张三丰"), "张*丰");
        assert_eq!(mask_name("欧阳娜娜"), "欧**娜");
        assert_eq!(mask_tail("13812345678", 4), "*******5678");
        assert_eq!(mask_last_four("6228480000000000411"), "****0411");
        assert_eq!(mask_last_four("123"), "****123");
        assert_eq!(mask_last_four(""), "");
        assert_eq!(mask_id_number("11010519491231002X"), "110105********002X");
    }
}
