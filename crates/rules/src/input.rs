//! What the rules are given: one household as the caseworker or the registry knows it.
//! This is the JSON accepted by `jiuzhu eval` and `POST /api/v1/eval` (schema in
//! `docs/schema/eval-input.schema.json`). Money is written in yuan as a string (`"1200.50"`)
//! or a whole number of yuan; a JSON float is refused, so no float ever touches money.

use chrono::NaiveDate;
use jiuzhu_domain::Money;
use jiuzhu_domain::person::HukouType;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An amount in yuan, held exactly in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Yuan(pub Money);

impl Serialize for Yuan {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.yuan_string())
    }
}

impl<'de> Deserialize<'de> for Yuan {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Yuan;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("金额（元），写成字符串如 \"1200.50\" 或整数")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Yuan, E> {
                Money::parse_non_negative_yuan(s)
                    .map(Yuan)
                    .map_err(|e| E::custom(format!("金额 {s}：{e}")))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Yuan, E> {
                i64::try_from(n)
                    .ok()
                    .and_then(|n| n.checked_mul(100))
                    .map(|f| Yuan(Money::from_fen(f)))
                    .ok_or_else(|| E::custom("金额超出范围"))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Yuan, E> {
                if n < 0 {
                    return Err(E::custom("金额不能为负数"));
                }
                self.visit_u64(n as u64)
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Yuan, E> {
                Err(E::custom(
                    "金额须写成字符串，如 \"1200.50\"（不接受浮点数）",
                ))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Yuan {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Yuan".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "金额（元）：字符串如 \"1200.50\"（最多两位小数），或整数元",
            "oneOf": [
                { "type": "string", "pattern": "^[0-9,]*(\\.[0-9]{1,2})?$" },
                { "type": "integer", "minimum": 0 }
            ]
        })
    }
}

/// Urban or rural: selects the 低保 standard (S3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// 城镇.
    Urban,
    /// 农村.
    Rural,
}

impl From<Area> for HukouType {
    fn from(a: Area) -> Self {
        match a {
            Area::Urban => HukouType::Urban,
            Area::Rural => HukouType::Rural,
        }
    }
}

/// One household to assess.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Household {
    /// Caller's identifier, echoed in the result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Region code (county, township or village) whose parameters apply.
    pub region: String,
    /// 城镇 or 农村 standard.
    pub area: Area,
    /// Members as registered (共同生活家庭成员 and others; exclusions are rules).
    pub members: Vec<Member>,
    /// Monthly income records.
    #[serde(default)]
    pub incomes: Vec<Income>,
    /// Assets of the household.
    #[serde(default)]
    pub assets: Assets,
    /// 因残因病增加的刚性支出 per month (deductible where the county allows, 57号 Art. 13).
    #[serde(default)]
    pub extra_spending_monthly: Yuan,
    /// 刚性支出 over the last 12 months: medical, education, rehabilitation (§3).
    #[serde(default)]
    pub rigid_spending_12m: Yuan,
    /// The household lacks safe housing (住房救助 referral, S10); absent when nobody
    /// recorded the housing situation (then 住房救助 is listed as not assessed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub housing_need: Option<bool>,
    /// The household's current 低保 enrolment, if any (for 渐退期, S11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_dibao: Option<CurrentDibao>,
    /// A sudden hardship, for 临时救助 (S14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardship: Option<Hardship>,
    /// This month's price indices, for 价格临时补贴 (S16).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_index: Option<PriceIndex>,
}

/// A member's relation to the head of the household, as the 户口簿 and the application form
/// record it (the rules derive legal support duties from it, 民法典 第1059、1067、1074、1075条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// 户主.
    Head,
    /// 配偶.
    Spouse,
    /// 子女.
    Child,
    /// 儿媳、女婿.
    ChildInLaw,
    /// 父母.
    Parent,
    /// 孙子女、外孙子女.
    Grandchild,
    /// 祖父母、外祖父母.
    Grandparent,
    /// 兄弟姐妹.
    Sibling,
    /// 其他.
    Other,
}

/// Why a person is not counted in the household (57号 Art. 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// 共同生活.
    #[default]
    CoResident,
    /// 宗教教职人员，脱离家庭连续三年以上.
    ClergyAway,
    /// 在监狱服刑.
    Imprisoned,
    /// 强制隔离戒毒.
    DrugRehab,
    /// 宣告失踪.
    Missing,
}

/// Disability category (GB/T 26341).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisabilityKind {
    /// 视力.
    Visual,
    /// 听力.
    Hearing,
    /// 言语.
    Speech,
    /// 肢体.
    Physical,
    /// 智力.
    Intellectual,
    /// 精神.
    Mental,
    /// 多重.
    Multiple,
}

/// A disability certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Disability {
    /// Category.
    pub category: DisabilityKind,
    /// Grade 1 (most severe) to 4.
    #[schemars(range(min = 1, max = 4))]
    pub grade: u8,
}

/// Orphan status (§2.4, §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Orphan {
    /// 孤儿.
    Orphan,
    /// 事实无人抚养儿童.
    DeFacto,
}

/// One member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Identifier within the household (incomes refer to it).
    pub id: String,
    /// Relation to the head of the household. Needed in a household of more than one person
    /// to know who owes whom support (特困, 43号 Art. 4(3)); without it the rules say so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<Relation>,
    /// Date of birth (ages are whole years on the assessment date).
    pub birth_date: NaiveDate,
    /// Counted or excluded (57号 Art. 7).
    #[serde(default)]
    pub presence: Presence,
    /// Disability certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disability: Option<Disability>,
    /// 重特大疾病 recognised locally.
    #[serde(default)]
    pub serious_illness: bool,
    /// Activities of daily living lost, 0–6 (43号 Art. 20).
    #[serde(default)]
    #[schemars(range(max = 6))]
    pub adl_lost: u8,
    /// Has work (wages get the employment-cost deduction, S11).
    #[serde(default)]
    pub employed: bool,
    /// In full-time education (bachelor or below).
    #[serde(default)]
    pub student: bool,
    /// 孤儿 / 事实无人抚养儿童.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orphan: Option<Orphan>,
    /// Chose the orphan-allowance track (then not 特困, 43号 Art. 9).
    #[serde(default)]
    pub orphan_track: bool,
    /// Already supported as 特困 (minors keep it while in school, 43号 Art. 24).
    #[serde(default)]
    pub tekun_now: bool,
    /// Receives unemployment-insurance benefit (price subsidy group).
    #[serde(default)]
    pub unemployment_insurance: bool,
    /// Receives state 优抚 periodic payments (price subsidy group).
    #[serde(default)]
    pub youfu: bool,
    /// Receives work-injury care payments (excluded from the care subsidy).
    #[serde(default)]
    pub work_injury_care: bool,
    /// Needs long-term care (care subsidy, §6).
    #[serde(default)]
    pub needs_long_term_care: bool,
    /// Lacks civil capacity (无民事行为能力或限制民事行为能力), as a supporter (43号 Art. 8(5)).
    #[serde(default)]
    pub civil_incapacity: bool,
    /// Legal supporters (赡养/抚养/扶养义务人) living outside the household, for 特困 (§2.4);
    /// those inside it are derived from `relation`.
    #[serde(default)]
    pub supporters: Vec<Supporter>,
}

impl Member {
    /// A co-resident member with nothing else recorded: no disability, illness, work, school,
    /// special status or supporters (fill in the rest with struct update syntax).
    pub fn new(id: impl Into<String>, birth_date: NaiveDate) -> Self {
        Member {
            id: id.into(),
            relation: None,
            birth_date,
            presence: Presence::CoResident,
            disability: None,
            serious_illness: false,
            adl_lost: 0,
            employed: false,
            student: false,
            orphan: None,
            orphan_track: false,
            tekun_now: false,
            unemployment_insurance: false,
            youfu: false,
            work_injury_care: false,
            needs_long_term_care: false,
            civil_incapacity: false,
            supporters: Vec::new(),
        }
    }
}

/// A legal supporter, described as far as 43号 Art. 8 needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Supporter {
    /// How the explanation names them, e.g. `长子` (no personal data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Who the supporter is to the member: `child` (赡养), `spouse` (扶养), `parent` (抚养)
    /// are first in line; `grandchild`, `grandparent` and `sibling` owe support only when
    /// those are dead or unable (民法典 第1074、1075条). Absent: first in line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<Relation>,
    /// Age in whole years.
    pub age: u32,
    /// Is 特困 themselves.
    #[serde(default)]
    pub tekun: bool,
    /// Receives 低保.
    #[serde(default)]
    pub dibao: bool,
    /// Grade 1–2, or grade-3 intellectual or mental disability.
    #[serde(default)]
    pub severe_disability: bool,
    /// Lacks civil capacity, declared missing or in prison.
    #[serde(default)]
    pub incapacitated: bool,
    /// Own monthly income.
    #[serde(default)]
    pub income_monthly: Yuan,
    /// Their assets exceed the local low-income asset rules (then cases 3–5 of 43号 Art. 8
    /// do not apply).
    #[serde(default)]
    pub assets_above_limit: bool,
}

/// Income categories (57号 Art. 13; 43号 Art. 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncomeKind {
    /// 工资性收入.
    Wage,
    /// 经营净收入.
    Business,
    /// 财产净收入.
    Property,
    /// 转移净收入.
    Transfer,
    /// 其他收入.
    Other,
    /// 优抚金、计生奖励、奖学金、见义勇为奖励 (not counted).
    ExemptReward,
    /// 政府社会救助款物 (not counted).
    ExemptAssistance,
    /// 城乡居民基础养老金 (not counted).
    BasicPension,
    /// 高龄津贴 (not counted for 特困).
    ElderlyAllowance,
    /// Support from siblings or from people aged 60+ to a 单人户 applicant (may be exempt, 83号).
    FamilySupport,
}

/// One monthly income.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Income {
    /// Member it belongs to; none for household-level income.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Category.
    pub kind: IncomeKind,
    /// Monthly amount.
    pub monthly: Yuan,
}

/// Household assets (57号 Art. 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assets {
    /// Deposits, securities, funds, commercial insurance, claims, internet finance.
    #[serde(default)]
    pub financial: Yuan,
    /// Ordinary vehicles (not disability mobility or low-value work vehicles).
    #[serde(default)]
    pub vehicles: u32,
    /// Homes owned.
    #[serde(default)]
    pub homes: u32,
    /// Non-residential real estate owned.
    #[serde(default)]
    pub other_real_estate: u32,
}

/// The household's current 低保 enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CurrentDibao {
    /// Monthly amount paid now.
    pub monthly: Yuan,
    /// Months of 渐退期 already used.
    #[serde(default)]
    pub gradual_exit_months_used: u32,
    /// Months still to run of an 渐退期 already granted (the enrolment's end month); when
    /// given it bounds what is left instead of `gradual_exit_months_used`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gradual_exit_months_left: Option<u32>,
    /// The rise in income comes from a member taking up work (S11).
    #[serde(default)]
    pub income_rise_from_employment: bool,
}

/// Kind of 临时救助 (民发〔2018〕23号 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HardshipKind {
    /// 急难型: accident, disaster, sudden illness.
    Emergency,
    /// 支出型: essential spending beyond what the household can bear.
    Expenditure,
}

/// Severity of a hardship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 一般.
    General,
    /// 较重.
    Serious,
    /// 特别严重.
    Grave,
}

/// A sudden hardship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hardship {
    /// 急难型 or 支出型.
    pub kind: HardshipKind,
    /// Severity.
    pub severity: Severity,
    /// Caused by a natural disaster (refer to 应急管理, S12).
    #[serde(default)]
    pub disaster: bool,
    /// An amount the caseworker proposes instead of the table amount (its approval level is
    /// computed the same way).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<Yuan>,
}

/// Year-on-year price rises for the month, e.g. `"3.8%"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceIndex {
    /// CPI year-on-year.
    pub cpi: String,
    /// Food CPI year-on-year.
    pub food_cpi: String,
}
