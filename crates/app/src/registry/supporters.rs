//! Legal supporters outside the household (43号 Art. 8; 民法典 第1059、1067、1074、1075条): the
//! window records, for a member, each child, spouse, parent (or, when those are dead or
//! unable, grandchild, grandparent or sibling) who lives elsewhere, with what the five
//! "unable to support" cases need — age, 特困 or 低保, severe disability, incapacity, own
//! income and whether their assets exceed the local limits. The rules read them with the
//! household; supporters inside the household come from the members' relations instead.

use chrono::NaiveDate;
use jiuzhu_domain::person::SupporterRelation;
use jiuzhu_domain::{Money, Permission};
use jiuzhu_storage::models::SupporterRow;
use jiuzhu_storage::{households, ids};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{HouseholdView, Registry, mask_name, open_field, seal_field};
use crate::AppError;
use crate::error::Errors;
use crate::security::Actor;
use crate::security::audit::Event;

/// A supporter as entered (text fields, as in a form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct SupporterInput {
    /// The member supported (person ID of a current member).
    pub person_id: String,
    /// The supporter's name.
    pub name: String,
    /// Who the supporter is to the member: 子女, 配偶, 父母, 孙子女, 祖父母, 兄弟姐妹 (or codes).
    pub relation: String,
    /// Date of birth, YYYY-MM-DD.
    pub birth_date: String,
    /// Is 特困 themselves.
    pub tekun: bool,
    /// Receives 低保.
    pub dibao: bool,
    /// Grade 1–2 disability, or grade-3 intellectual or mental disability.
    pub severe_disability: bool,
    /// Lacks civil capacity, declared missing, or in prison.
    pub incapacitated: bool,
    /// Own monthly income in yuan (blank: 0).
    pub income_monthly: String,
    /// Their assets exceed the local low-income asset rules.
    pub assets_above_limit: bool,
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

/// A parsed supporter.
struct ValidSupporter {
    relation: SupporterRelation,
    birth_date: NaiveDate,
    income: Money,
}

impl SupporterInput {
    fn parse(&self, today: NaiveDate) -> Result<ValidSupporter, AppError> {
        let mut errs = Errors::default();
        if self.person_id.trim().is_empty() {
            errs.push(
                "person_id",
                "请选择被赡养（抚养、扶养）的成员",
                "choose the member",
            );
        }
        if !(2..=30).contains(&self.name.trim().chars().count()) {
            errs.push(
                "name",
                "请填写赡养（抚养、扶养）人姓名（2–30 字）",
                "name required",
            );
        }
        let relation = SupporterRelation::parse(&self.relation);
        if relation.is_none() {
            errs.push(
                "relation",
                format!("与该成员的关系应为：{}", SupporterRelation::choices_zh()),
                "unknown relation",
            );
        }
        let birth_date = match NaiveDate::parse_from_str(self.birth_date.trim(), "%Y-%m-%d") {
            Ok(d) if d <= today => Some(d),
            _ => {
                errs.push(
                    "birth_date",
                    "出生日期应为 YYYY-MM-DD，且不晚于今天",
                    "birth_date must be a past date",
                );
                None
            }
        };
        let income = if self.income_monthly.trim().is_empty() {
            Some(Money::ZERO)
        } else {
            match Money::parse_non_negative_yuan(&self.income_monthly) {
                Ok(m) => Some(m),
                Err(e) => {
                    errs.push("income_monthly", e.to_string(), e.en());
                    None
                }
            }
        };
        errs.finish(())?;
        Ok(ValidSupporter {
            relation: relation.expect("checked"),
            birth_date: birth_date.expect("checked"),
            income: income.expect("checked"),
        })
    }
}

impl SupporterView {
    /// From a stored row and the household's current members (for the member's name).
    pub fn from_row(
        keys: &jiuzhu_crypto::Keys,
        r: &SupporterRow,
        members: &[super::MemberView],
    ) -> Result<Self, AppError> {
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
            name_masked: mask_name(&open_field(keys, "supporters.name", &r.name)?),
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

impl Registry {
    /// Records a legal supporter living outside the household for one of its members.
    pub fn add_supporter(
        &self,
        who: &Actor,
        household_id: &str,
        input: &SupporterInput,
    ) -> Result<HouseholdView, AppError> {
        who.require(Permission::EditRegistry)?;
        let scope = &who.scope;
        let today = jiuzhu_domain::time::today();
        let mut conn = self.db.conn()?;
        let h = households::find(&mut conn, scope, household_id)?;
        let valid = input.parse(today)?;
        let members = households::members(&mut conn, scope, &h.county_code, &h.id, None)?;
        if !members.iter().any(|(_, p)| p.id == input.person_id.trim()) {
            return Err(AppError::Invalid(vec![crate::FieldError::new(
                "person_id",
                "该人员不是本家庭现有成员",
                "not a current member",
            )]));
        }
        let row = SupporterRow {
            county_code: h.county_code.clone(),
            id: ids::new_id(),
            household_id: h.id.clone(),
            person_id: input.person_id.trim().to_owned(),
            name: seal_field(&self.keys, "supporters.name", input.name.trim()),
            relation: valid.relation.code().to_owned(),
            birth_date: valid.birth_date,
            tekun: input.tekun,
            dibao: input.dibao,
            severe_disability: input.severe_disability,
            incapacitated: input.incapacitated,
            income_monthly_fen: valid.income.fen(),
            assets_above_limit: input.assets_above_limit,
            recorded_by: who.username.clone(),
            recorded_at: jiuzhu_domain::time::now(),
        };
        jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
            jiuzhu_storage::supporters::insert(c, scope, &row)?;
            self.audit.record(
                c,
                who,
                Event::new(
                    "household.add_supporter",
                    "household",
                    &h.id,
                    &h.region_code,
                )
                .detail(
                    serde_json::json!({"supporter_id": row.id, "person_id": row.person_id,
                        "relation": row.relation}),
                ),
            )
        })?;
        drop(conn);
        self.load_household(scope, household_id)
    }

    /// Removes a supporter recorded in error, or who died.
    pub fn remove_supporter(
        &self,
        who: &Actor,
        household_id: &str,
        supporter_id: &str,
    ) -> Result<HouseholdView, AppError> {
        who.require(Permission::EditRegistry)?;
        let scope = &who.scope;
        let mut conn = self.db.conn()?;
        let h = households::find(&mut conn, scope, household_id)?;
        jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
            let row = jiuzhu_storage::supporters::delete(c, scope, &h, supporter_id)?;
            self.audit.record(
                c,
                who,
                Event::new(
                    "household.remove_supporter",
                    "household",
                    &h.id,
                    &h.region_code,
                )
                .detail(
                    serde_json::json!({"supporter_id": row.id, "person_id": row.person_id,
                    "relation": row.relation}),
                ),
            )
        })?;
        drop(conn);
        self.load_household(scope, household_id)
    }
}
