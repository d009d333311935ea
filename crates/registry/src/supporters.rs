//! Legal supporters outside the household (43号 Art. 8; 民法典 第1059、1067、1074、1075条): the
//! window records, for a member, each child, spouse, parent (or, when those are dead or
//! unable, grandchild, grandparent or sibling) who lives elsewhere, with what the five
//! "unable to support" cases need — age, 特困 or 低保, severe disability, incapacity, own
//! income and whether their assets exceed the local limits. The rules read them with the
//! household; supporters inside the household come from the members' relations instead.

use chrono::NaiveDate;
use jiuzhu_domain::person::SupporterRelation;
use jiuzhu_domain::{Money, Permission};
use jiuzhu_kernel::Context;
use jiuzhu_storage::models::SupporterRow;
use jiuzhu_storage::{households, ids};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::HouseholdView;
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Errors;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::sealing::seal_field;

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

/// Records a legal supporter living outside the household for one of its members.
pub fn add_supporter(
    ctx: &Context,
    who: &Actor,
    household_id: &str,
    input: &SupporterInput,
) -> Result<HouseholdView, AppError> {
    who.require(Permission::EditRegistry)?;
    let scope = &who.scope;
    let today = jiuzhu_domain::time::today();
    let mut conn = ctx.db.conn()?;
    let h = households::find(&mut conn, scope, household_id)?;
    let valid = input.parse(today)?;
    let members = households::members(&mut conn, scope, &h.county_code, &h.id, None)?;
    if !members.iter().any(|(_, p)| p.id == input.person_id.trim()) {
        return Err(AppError::Invalid(vec![jiuzhu_kernel::FieldError::new(
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
        name: seal_field(&ctx.keys, "supporters.name", input.name.trim()),
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
        ctx.audit.record(
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
    crate::load_household(ctx, scope, household_id)
}

/// Removes a supporter recorded in error, or who died.
pub fn remove_supporter(
    ctx: &Context,
    who: &Actor,
    household_id: &str,
    supporter_id: &str,
) -> Result<HouseholdView, AppError> {
    who.require(Permission::EditRegistry)?;
    let scope = &who.scope;
    let mut conn = ctx.db.conn()?;
    let h = households::find(&mut conn, scope, household_id)?;
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        let row = jiuzhu_storage::supporters::delete(c, scope, &h, supporter_id)?;
        ctx.audit.record(
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
    crate::load_household(ctx, scope, household_id)
}
