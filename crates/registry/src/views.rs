//! What the registry shows: households and persons as pages and the API present them, with
//! Chinese labels resolved and ID numbers masked (张*三, 410502********1234).

use jiuzhu_domain::person::*;
use jiuzhu_domain::{Money, RegionCode};
use jiuzhu_kernel::masking::{TAMPERED, mask_id_number, mask_name, mask_tail};
use jiuzhu_storage::models::{EconomicRecordRow, HouseholdRow, MembershipRow, PersonRow};
use serde::Serialize;
use utoipa::ToSchema;

use jiuzhu_crypto::Keys;
use jiuzhu_kernel::regions::RegionCache;

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
            jiuzhu_kernel::sealing::open(keys, column, stored)
                .unwrap_or_else(|_| TAMPERED.to_owned())
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
    pub supporters: Vec<SupporterView>,
    /// Members who are a staff member's near relative (近亲属备案), shown to deciders only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub near_relative_flags: Vec<jiuzhu_security::near_relatives::StaffRelation>,
}

/// A supporter as shown on the household file (name masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SupporterView {
    /// ID.
    pub id: String,
    /// The member supported (masked name).
    pub member: String,
    /// The member's person ID.
    pub person_id: String,
    /// The supporter (masked name).
    pub name_masked: String,
    /// Relation to the member, in Chinese.
    pub relation: String,
    /// Date of birth.
    pub birth_date: String,
    /// What bears on the ability to support, in Chinese (特困、重度残疾 …; 无 when nothing).
    pub circumstances: String,
    /// Own monthly income in yuan.
    pub income_monthly: String,
}

impl SupporterView {
    /// From a stored row and the household's current members (for the member's name).
    pub fn from_row(
        keys: &jiuzhu_crypto::Keys,
        r: &jiuzhu_storage::models::SupporterRow,
        members: &[MemberView],
    ) -> Result<Self, jiuzhu_kernel::AppError> {
        let mut circumstances: Vec<&str> = Vec::new();
        for (on, zh) in [
            (r.tekun, "特困人员"),
            (r.dibao, "低保对象"),
            (r.severe_disability, "重度残疾"),
            (r.incapacitated, "无民事行为能力、失踪或服刑"),
            (r.assets_above_limit, "财产超过规定"),
        ] {
            if on {
                circumstances.push(zh);
            }
        }
        Ok(SupporterView {
            id: r.id.clone(),
            member: members
                .iter()
                .find(|m| m.person.id == r.person_id)
                .map(|m| m.person.name_masked.clone())
                .unwrap_or_else(|| "（已离开本户）".into()),
            person_id: r.person_id.clone(),
            name_masked: mask_name(&jiuzhu_kernel::sealing::open_field(
                keys,
                "supporters.name",
                &r.name,
            )?),
            relation: SupporterRelation::parse(&r.relation)
                .map(|x| x.zh().to_owned())
                .unwrap_or_else(|| r.relation.clone()),
            birth_date: r.birth_date.to_string(),
            circumstances: if circumstances.is_empty() {
                "无".into()
            } else {
                circumstances.join("、")
            },
            income_monthly: Money::from_fen(r.income_monthly_fen).yuan_string(),
        })
    }
}
