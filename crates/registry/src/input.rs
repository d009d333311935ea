//! Input of the registry forms and API, as typed by a person (strings), and its parsing into
//! stored rows: every field is checked, every mistake is reported with its field name, and
//! nothing is written unless all of it is valid ("parse, don't validate").

use chrono::NaiveDate;
use jiuzhu_domain::person::*;
use jiuzhu_domain::{Money, RegionCode, RegionLevel, ResidentId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use jiuzhu_kernel::Errors;
use jiuzhu_kernel::regions::RegionCache;

/// One person as entered (all fields text, as in a form or a spreadsheet row).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct PersonInput {
    /// 姓名.
    pub name: String,
    /// 身份证号 (18 digits, or an old 15-digit number).
    pub id_number: String,
    /// 与户主关系 (code or Chinese label: 户主, 配偶, 子女 …).
    pub relation: String,
    /// 户籍地区划代码 (defaults to the household's region).
    pub hukou_region_code: String,
    /// 户籍性质: 城镇 / 农村.
    pub hukou_type: String,
    /// 居住地区划代码 (defaults to the household's region).
    pub residence_region_code: String,
    /// 持居住证: 是 / 否.
    pub residence_permit: String,
    /// 残疾类别 (blank if none).
    pub disability_category: String,
    /// 残疾等级 1–4 (required with a category).
    pub disability_grade: String,
    /// 重特大疾病 (blank if none).
    pub serious_illness: String,
    /// 劳动能力.
    pub labour_capacity: String,
    /// 丧失的日常生活活动项目, comma-separated item codes or names (进食,穿衣,…).
    pub adl_lost: String,
    /// 就业状况.
    pub employment_status: String,
    /// 就学阶段 (blank if none).
    pub school_stage: String,
    /// 特殊身份 (blank if none).
    pub special_status: String,
    /// 死亡日期 YYYY-MM-DD (blank if alive).
    pub death_date: String,
    /// 联系电话.
    pub phone: String,
    /// 开户银行.
    pub bank_name: String,
    /// 银行账号.
    pub bank_account: String,
}

/// A household as entered: its address and members.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct HouseholdInput {
    /// 所在村（社区）的区划代码.
    pub region_code: String,
    /// 家庭住址.
    pub address: String,
    /// Members; exactly one is the head (户主).
    pub members: Vec<PersonInput>,
}

/// A person's fields after parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPerson {
    /// 姓名.
    pub name: String,
    /// 身份证号.
    pub id: ResidentId,
    /// 与户主关系.
    pub relation: Relation,
    /// 户籍地.
    pub hukou_region: RegionCode,
    /// 户籍性质.
    pub hukou_type: HukouType,
    /// 居住地.
    pub residence_region: RegionCode,
    /// 居住证.
    pub residence_permit: bool,
    /// 残疾.
    pub disability: Option<(DisabilityCategory, DisabilityGrade)>,
    /// 重特大疾病.
    pub serious_illness: Option<String>,
    /// 劳动能力.
    pub labour_capacity: LabourCapacity,
    /// ADL.
    pub adl_lost: AdlLost,
    /// 就业.
    pub employment_status: EmploymentStatus,
    /// 就学.
    pub school_stage: Option<SchoolStage>,
    /// 特殊身份.
    pub special_status: Option<SpecialStatus>,
    /// 死亡日期.
    pub death_date: Option<NaiveDate>,
    /// 电话.
    pub phone: Option<String>,
    /// 银行.
    pub bank_name: Option<String>,
    /// 账号.
    pub bank_account: Option<String>,
}

/// A household after parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidHousehold {
    /// Region (village or township).
    pub region: RegionCode,
    /// Address.
    pub address: String,
    /// Members, head first.
    pub members: Vec<ValidPerson>,
}

fn opt(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

fn parse_vocab<T: Copy>(
    errs: &mut Errors,
    field: &str,
    s: &str,
    parse: fn(&str) -> Option<T>,
    choices: String,
    default: Option<T>,
) -> Option<T> {
    match opt(s) {
        None => {
            if default.is_none() {
                errs.push(field, format!("必须填写，可选：{choices}"), "required");
            }
            default
        }
        Some(v) => match parse(v) {
            Some(x) => Some(x),
            None => {
                errs.push(
                    field,
                    format!("“{v}”无效，可选：{choices}"),
                    format!("'{v}' is not a valid value"),
                );
                None
            }
        },
    }
}

/// Parses a region code that must exist in the tree at village or township level.
pub fn parse_household_region(
    errs: &mut Errors,
    field: &str,
    s: &str,
    regions: &RegionCache,
) -> Option<RegionCode> {
    match RegionCode::parse(s) {
        Err(e) => {
            errs.push(field, e.to_string(), e.en());
            None
        }
        Ok(code) if regions.get(&code).is_none() => {
            errs.push(
                field,
                format!("区划代码 {code} 不在本市区划中"),
                "unknown region code",
            );
            None
        }
        Ok(code) if code.level() < RegionLevel::Township => {
            errs.push(
                field,
                "请选择到乡镇（街道）或村（社区）一级",
                "choose a township or village",
            );
            None
        }
        Ok(code) => Some(code),
    }
}

fn parse_any_region(errs: &mut Errors, field: &str, s: &str, default: &RegionCode) -> RegionCode {
    match opt(s) {
        None => default.clone(),
        Some(v) => match RegionCode::parse(v) {
            Ok(c) => c,
            Err(e) => {
                errs.push(field, e.to_string(), e.en());
                default.clone()
            }
        },
    }
}

fn parse_date(errs: &mut Errors, field: &str, s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let v = opt(s)?;
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if d > today => {
            errs.push(field, "日期不能晚于今天", "date is in the future");
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            errs.push(
                field,
                format!("“{v}”不是有效日期，应为 YYYY-MM-DD"),
                "expected a date YYYY-MM-DD",
            );
            None
        }
    }
}

fn parse_bool(errs: &mut Errors, field: &str, s: &str) -> bool {
    match s.trim() {
        "" | "否" | "no" | "false" | "0" | "off" => false,
        "是" | "yes" | "true" | "1" | "on" => true,
        v => {
            errs.push(
                field,
                format!("“{v}”无效，应为 是 或 否"),
                "expected yes or no",
            );
            false
        }
    }
}

fn parse_adl(errs: &mut Errors, field: &str, s: &str) -> AdlLost {
    let mut items = vec![];
    for part in s
        .split([',', '，', '、', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match AdlLost::ITEMS
            .iter()
            .position(|(code, zh, _)| *code == part || *zh == part)
        {
            Some(i) => items.push(i),
            None => errs.push(
                field,
                format!(
                    "“{part}”不是日常生活活动项目，可选：进食、穿衣、上下床、如厕、室内行走、洗澡"
                ),
                "unknown daily-living item",
            ),
        }
    }
    AdlLost::from_items(items)
}

/// Checks a phone number: 11-digit mobile or a fixed line with area code.
fn parse_phone(errs: &mut Errors, field: &str, s: &str) -> Option<String> {
    let v = opt(s)?;
    let digits: String = v.chars().filter(|c| *c != '-' && *c != ' ').collect();
    let mobile =
        digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit());
    let fixed = (10..=12).contains(&digits.len())
        && digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit());
    if mobile || fixed {
        Some(digits)
    } else {
        errs.push(
            field,
            "电话号码应为 11 位手机号或带区号的固定电话",
            "expected an 11-digit mobile or a fixed line with area code",
        );
        None
    }
}

fn parse_bank_account(errs: &mut Errors, field: &str, s: &str) -> Option<String> {
    let v = opt(s)?;
    let digits: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    if (12..=30).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Some(digits)
    } else {
        errs.push(
            field,
            "银行账号应为 12–30 位数字",
            "bank account must be 12–30 digits",
        );
        None
    }
}

impl PersonInput {
    /// Sets a field by its name (as in forms, JSON and the roster's columns). `adl_lost` may be
    /// given several times (one checkbox each) and accumulates. Unknown names are ignored and
    /// reported as `false`.
    pub fn set_field(&mut self, field: &str, value: String) -> bool {
        let slot = match field {
            "name" => &mut self.name,
            "id_number" => &mut self.id_number,
            "relation" => &mut self.relation,
            "hukou_region_code" => &mut self.hukou_region_code,
            "hukou_type" => &mut self.hukou_type,
            "residence_region_code" => &mut self.residence_region_code,
            "residence_permit" => &mut self.residence_permit,
            "disability_category" => &mut self.disability_category,
            "disability_grade" => &mut self.disability_grade,
            "serious_illness" => &mut self.serious_illness,
            "labour_capacity" => &mut self.labour_capacity,
            "adl_lost" => {
                if !self.adl_lost.is_empty() && !value.is_empty() {
                    self.adl_lost.push(',');
                }
                self.adl_lost.push_str(&value);
                return true;
            }
            "employment_status" => &mut self.employment_status,
            "school_stage" => &mut self.school_stage,
            "special_status" => &mut self.special_status,
            "death_date" => &mut self.death_date,
            "phone" => &mut self.phone,
            "bank_name" => &mut self.bank_name,
            "bank_account" => &mut self.bank_account,
            _ => return false,
        };
        *slot = value;
        true
    }
}

impl PersonInput {
    /// Parses one person; `prefix` names the fields (`members[0].`), `home` is the household's
    /// region (the default 户籍 and residence).
    pub fn parse(
        &self,
        errs: &mut Errors,
        prefix: &str,
        home: &RegionCode,
        today: NaiveDate,
    ) -> Option<ValidPerson> {
        let f = |name: &str| format!("{prefix}{name}");
        let before = errs.0.len();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errs.push(f("name"), "姓名必须填写", "name is required");
        } else if name.chars().count() > 50 {
            errs.push(f("name"), "姓名不能超过 50 个字", "name is too long");
        }
        let id = match ResidentId::parse_on(&self.id_number, today) {
            Ok(id) => Some(id),
            Err(e) => {
                errs.push(f("id_number"), e.to_string(), e.en());
                None
            }
        };
        let relation = parse_vocab(
            errs,
            &f("relation"),
            &self.relation,
            Relation::parse,
            Relation::choices_zh(),
            None,
        );
        let hukou_region =
            parse_any_region(errs, &f("hukou_region_code"), &self.hukou_region_code, home);
        let hukou_type = parse_vocab(
            errs,
            &f("hukou_type"),
            &self.hukou_type,
            HukouType::parse,
            HukouType::choices_zh(),
            None,
        );
        let residence_region = parse_any_region(
            errs,
            &f("residence_region_code"),
            &self.residence_region_code,
            home,
        );
        let residence_permit = parse_bool(errs, &f("residence_permit"), &self.residence_permit);
        let category = match opt(&self.disability_category) {
            None => None,
            Some(_) => parse_vocab(
                errs,
                &f("disability_category"),
                &self.disability_category,
                DisabilityCategory::parse,
                DisabilityCategory::choices_zh(),
                None,
            ),
        };
        let grade = match opt(&self.disability_grade) {
            None => None,
            Some(g) => match DisabilityGrade::parse(g) {
                Some(g) => Some(g),
                None => {
                    errs.push(
                        f("disability_grade"),
                        "残疾等级应为 1–4 级",
                        "disability grade must be 1–4",
                    );
                    None
                }
            },
        };
        let disability = match (
            category,
            grade,
            opt(&self.disability_category),
            opt(&self.disability_grade),
        ) {
            (Some(c), Some(g), _, _) => Some((c, g)),
            (None, None, None, None) => None,
            (_, None, Some(_), None) => {
                errs.push(
                    f("disability_grade"),
                    "填写残疾类别时必须填写残疾等级",
                    "grade required with a category",
                );
                None
            }
            (None, _, None, Some(_)) => {
                errs.push(
                    f("disability_category"),
                    "填写残疾等级时必须填写残疾类别",
                    "category required with a grade",
                );
                None
            }
            _ => None,
        };
        let labour_capacity = parse_vocab(
            errs,
            &f("labour_capacity"),
            &self.labour_capacity,
            LabourCapacity::parse,
            LabourCapacity::choices_zh(),
            None,
        );
        let adl_lost = parse_adl(errs, &f("adl_lost"), &self.adl_lost);
        let employment_status = parse_vocab(
            errs,
            &f("employment_status"),
            &self.employment_status,
            EmploymentStatus::parse,
            EmploymentStatus::choices_zh(),
            Some(EmploymentStatus::None),
        );
        let school_stage = opt(&self.school_stage).and_then(|_| {
            parse_vocab(
                errs,
                &f("school_stage"),
                &self.school_stage,
                SchoolStage::parse,
                SchoolStage::choices_zh(),
                None,
            )
        });
        let special_status = opt(&self.special_status).and_then(|_| {
            parse_vocab(
                errs,
                &f("special_status"),
                &self.special_status,
                SpecialStatus::parse,
                SpecialStatus::choices_zh(),
                None,
            )
        });
        let death_date = parse_date(errs, &f("death_date"), &self.death_date, today);
        if let (Some(d), Some(id)) = (death_date, &id)
            && d < id.birth_date()
        {
            errs.push(
                f("death_date"),
                "死亡日期不能早于出生日期",
                "death date before birth date",
            );
        }
        let phone = parse_phone(errs, &f("phone"), &self.phone);
        let bank_account = parse_bank_account(errs, &f("bank_account"), &self.bank_account);
        let bank_name = opt(&self.bank_name).map(str::to_owned);
        if bank_account.is_some() && bank_name.is_none() {
            errs.push(
                f("bank_name"),
                "填写银行账号时必须填写开户银行",
                "bank name required with an account",
            );
        }
        if errs.0.len() > before {
            return None;
        }
        Some(ValidPerson {
            name,
            id: id?,
            relation: relation?,
            hukou_region,
            hukou_type: hukou_type?,
            residence_region,
            residence_permit,
            disability,
            serious_illness: opt(&self.serious_illness).map(str::to_owned),
            labour_capacity: labour_capacity?,
            adl_lost,
            employment_status: employment_status?,
            school_stage,
            special_status,
            death_date,
            phone,
            bank_name,
            bank_account,
        })
    }
}

impl HouseholdInput {
    /// Parses the whole household: region, address, each member, and the household rules
    /// (exactly one head, no ID number twice).
    pub fn parse(
        &self,
        regions: &RegionCache,
        today: NaiveDate,
    ) -> Result<ValidHousehold, jiuzhu_kernel::AppError> {
        let mut errs = Errors::default();
        let region = parse_household_region(&mut errs, "region_code", &self.region_code, regions);
        let address = self.address.trim().to_owned();
        if address.is_empty() {
            errs.push("address", "家庭住址必须填写", "address is required");
        } else if address.chars().count() > 200 {
            errs.push(
                "address",
                "家庭住址不能超过 200 个字",
                "address is too long",
            );
        }
        if self.members.is_empty() {
            errs.push(
                "members",
                "家庭至少要有一名成员（户主）",
                "a household needs at least one member",
            );
        }
        let home = region
            .clone()
            .unwrap_or_else(|| RegionCode::parse("41").expect("valid"));
        let members: Vec<Option<ValidPerson>> = self
            .members
            .iter()
            .enumerate()
            .map(|(i, m)| m.parse(&mut errs, &format!("members[{i}]."), &home, today))
            .collect();
        let heads = self
            .members
            .iter()
            .filter(|m| Relation::parse(&m.relation) == Some(Relation::Head))
            .count();
        if !self.members.is_empty() && heads != 1 {
            errs.push(
                "members",
                format!("家庭必须有且只有一名户主，现有 {heads} 名"),
                "exactly one head of household is required",
            );
        }
        let mut seen = std::collections::HashMap::new();
        for (i, m) in members.iter().enumerate() {
            if let Some(m) = m
                && let Some(j) = seen.insert(m.id.as_str().to_owned(), i)
            {
                errs.push(
                    format!("members[{i}].id_number"),
                    format!("与第 {} 名成员的身份证号重复", j + 1),
                    "same ID number as another member",
                );
            }
        }
        let mut members: Vec<ValidPerson> = members.into_iter().flatten().collect();
        members.sort_by_key(|m| m.relation != Relation::Head);
        errs.finish(())?;
        Ok(ValidHousehold {
            region: region.expect("checked"),
            address,
            members,
        })
    }
}

/// An income, asset or expense record as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct EconomicRecordInput {
    /// Member's person ID (blank for the whole household).
    pub person_id: String,
    /// Category code or Chinese label (工资性收入, 存款, 医疗支出 …).
    pub category: String,
    /// Source: 申报 (declared), 核对 (verified), 调查 (investigated).
    pub source: String,
    /// Period start YYYY-MM-DD.
    pub period_start: String,
    /// Period end YYYY-MM-DD (inclusive).
    pub period_end: String,
    /// Amount in yuan (e.g. 1200.50).
    pub amount: String,
    /// Note.
    pub note: String,
}

/// A parsed economic record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEconomicRecord {
    /// Person.
    pub person_id: Option<String>,
    /// Category.
    pub category: EconomicCategory,
    /// Source.
    pub source: String,
    /// Period.
    pub period: (NaiveDate, NaiveDate),
    /// Amount.
    pub amount: Money,
    /// Note.
    pub note: String,
}

impl EconomicRecordInput {
    /// Parses the record.
    pub fn parse(&self) -> Result<ValidEconomicRecord, jiuzhu_kernel::AppError> {
        let mut errs = Errors::default();
        let category = parse_vocab(
            &mut errs,
            "category",
            &self.category,
            EconomicCategory::parse,
            EconomicCategory::choices_zh(),
            None,
        );
        let source = opt(&self.source).unwrap_or("申报").to_owned();
        let date = |errs: &mut Errors, field: &str, s: &str| match NaiveDate::parse_from_str(
            s.trim(),
            "%Y-%m-%d",
        ) {
            Ok(d) => Some(d),
            Err(_) => {
                errs.push(
                    field,
                    "应为有效日期 YYYY-MM-DD",
                    "expected a date YYYY-MM-DD",
                );
                None
            }
        };
        let start = date(&mut errs, "period_start", &self.period_start);
        let end = date(&mut errs, "period_end", &self.period_end);
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            errs.push(
                "period_end",
                "结束日期不能早于开始日期",
                "period ends before it starts",
            );
        }
        let amount = match Money::parse_non_negative_yuan(&self.amount) {
            Ok(m) => Some(m),
            Err(e) => {
                errs.push("amount", e.to_string(), e.en());
                None
            }
        };
        errs.finish(())?;
        Ok(ValidEconomicRecord {
            person_id: opt(&self.person_id).map(str::to_owned),
            category: category.expect("checked"),
            source,
            period: (start.expect("checked"), end.expect("checked")),
            amount: amount.expect("checked"),
            note: self.note.trim().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_set_by_name_and_daily_living_items_accumulate() {
        let mut p = PersonInput::default();
        assert!(p.set_field("name", "张三".into()));
        assert!(p.set_field("adl_lost", "eating".into()));
        assert!(p.set_field("adl_lost", "bathing".into()));
        assert!(
            !p.set_field("salary", "1".into()),
            "unknown fields are reported"
        );
        assert_eq!(p.name, "张三");
        assert_eq!(p.adl_lost, "eating,bathing");
    }
}
