//! The fund view (G2, G3): per county and programme the year's budget, what approved runs hold
//! and what the bank has paid, and the anomalies a supervisor follows up — payments for a month
//! after the enrolment ended (a stop recorded late: a receivable to raise) or after a member's
//! death in the agencies' data (S21: stopped from the next month), one
//! account paid for several households, amounts above the rules' answer at the decision, and
//! payment lines whose enrolment or instalment does not exist.

use jiuzhu_domain::{Money, Permission, RegionCode};
use jiuzhu_storage::models::BudgetRow;
use serde::Serialize;

use jiuzhu_kernel::Context;

use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::FieldError;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::sealing::open_field;

/// One programme's line of a county.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BudgetLine {
    /// Programme, in Chinese.
    pub programme: String,
    /// The year's budget, yuan (empty: none set).
    pub budget: String,
    /// In approved runs, yuan.
    pub approved: String,
    /// Paid by the bank, yuan.
    pub paid: String,
    /// Budget less approved, yuan (empty without a budget).
    pub remaining: String,
    /// Approved above the budget.
    pub over: bool,
}

/// A county's funds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CountyFunds {
    /// County code.
    pub county: String,
    /// Name.
    pub name: String,
    /// Per programme.
    pub lines: Vec<BudgetLine>,
}

/// One anomaly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Anomaly {
    /// What is odd, in Chinese.
    pub kind: String,
    /// County.
    pub county: String,
    /// Household.
    pub household_id: String,
    /// The case, where there is one.
    pub case_id: String,
    /// Month.
    pub month: String,
    /// Programme, in Chinese.
    pub programme: String,
    /// Amount, yuan.
    pub amount: String,
    /// Detail.
    pub detail: String,
}

/// The fund view of the actor's counties for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FundView {
    /// Year.
    pub year: i32,
    /// Per county.
    pub counties: Vec<CountyFunds>,
    /// Anomalies.
    pub anomalies: Vec<Anomaly>,
}

fn programme_zh(code: &str) -> String {
    jiuzhu_programmes::kind(code)
        .map(|k| k.zh().to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// Sets a county's budget for a programme and year (county civil affairs).
pub fn set_budget(
    ctx: &Context,
    who: &Actor,
    county: &str,
    year: &str,
    programme: &str,
    amount: &str,
) -> Result<(), AppError> {
    let county = crate::county::county_in_scope(who, county)?;
    let mut errors = Vec::new();
    let year: Option<i32> = year
        .trim()
        .parse()
        .ok()
        .filter(|y| (2020..=2100).contains(y));
    if year.is_none() {
        errors.push(FieldError::new(
            "year",
            "年度应为 2020–2100 的年份",
            "bad year",
        ));
    }
    let kind = jiuzhu_programmes::kind(programme.trim());
    if kind.is_none() {
        errors.push(FieldError::new(
            "programme",
            format!("请选择项目：{}", jiuzhu_programmes::choices_zh()),
            "unknown programme",
        ));
    }
    let amount = Money::parse_non_negative_yuan(amount.trim()).ok();
    if amount.is_none() {
        errors.push(FieldError::new(
            "amount",
            "预算金额应为不小于 0 的金额（元）",
            "bad amount",
        ));
    }
    let (Some(year), Some(kind), Some(amount)) = (year, kind, amount.filter(|_| errors.is_empty()))
    else {
        return Err(AppError::Invalid(errors));
    };
    let mut conn = ctx.db.conn()?;
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        jiuzhu_storage::funds::set_budget(
            c,
            &BudgetRow {
                county_code: county.clone(),
                id: format!("{year}:{}", kind.code()),
                year,
                programme: kind.code().into(),
                amount_fen: amount.fen(),
                set_by: who.username.clone(),
                set_at: jiuzhu_domain::time::now(),
            },
        )?;
        ctx.audit.record(
            c,
            who,
            Event::new(
                "budget.set",
                "budget",
                &format!("{year}:{}", kind.code()),
                &county,
            )
            .detail(serde_json::json!({"fen": amount.fen()})),
        )?;
        Ok(())
    })
}

/// The fund view of the actor's counties for `year` (audited).
pub fn view(ctx: &Context, who: &Actor, year: i32) -> Result<FundView, AppError> {
    who.require(Permission::ViewFunds)?;
    let y = |f: i64| Money::from_fen(f).yuan_string();
    let mut conn = ctx.db.conn()?;
    let counties: Vec<String> = who.scope.counties().to_vec();
    let budgets = jiuzhu_storage::funds::budgets(&mut conn, &counties, year)?;
    let mut out = Vec::new();
    let mut anomalies = Vec::new();
    for county in &counties {
        let spent = jiuzhu_storage::funds::spent(&mut conn, county, year)?;
        let mut programmes: Vec<String> = spent.iter().map(|s| s.programme.clone()).collect();
        programmes.extend(
            budgets
                .iter()
                .filter(|b| &b.county_code == county)
                .map(|b| b.programme.clone()),
        );
        programmes.sort();
        programmes.dedup();
        let lines = programmes
            .iter()
            .map(|p| {
                let approved: i64 = spent
                    .iter()
                    .filter(|s| &s.programme == p)
                    .map(|s| s.fen)
                    .sum();
                let paid: i64 = spent
                    .iter()
                    .filter(|s| &s.programme == p && s.status == "paid")
                    .map(|s| s.fen)
                    .sum();
                let budget = budgets
                    .iter()
                    .find(|b| &b.county_code == county && &b.programme == p)
                    .map(|b| b.amount_fen);
                BudgetLine {
                    programme: programme_zh(p),
                    budget: budget.map(y).unwrap_or_default(),
                    approved: y(approved),
                    paid: y(paid),
                    remaining: budget.map(|b| y(b - approved)).unwrap_or_default(),
                    over: budget.is_some_and(|b| approved > b),
                }
            })
            .collect::<Vec<_>>();
        let name = RegionCode::parse(county)
            .map(|c| ctx.regions.name(&c))
            .unwrap_or_default();
        if !lines.is_empty() {
            out.push(CountyFunds {
                county: county.clone(),
                name,
                lines,
            });
        }
        let mut add = |kind: &str,
                       rows: Vec<jiuzhu_storage::funds::Suspect>,
                       detail: &dyn Fn(&str) -> String| {
            for s in rows {
                anomalies.push(Anomaly {
                    kind: kind.into(),
                    county: county.clone(),
                    household_id: s.household_id,
                    case_id: String::new(),
                    month: s.month,
                    programme: programme_zh(&s.programme),
                    amount: y(s.amount_fen),
                    detail: detail(&s.detail),
                });
            }
        };
        add(
            "停保后仍有发放",
            jiuzhu_storage::funds::paid_after_end(&mut conn, county)?,
            &|note| format!("停保原因：{note}"),
        );
        add(
            "成员死亡后仍有发放",
            jiuzhu_storage::funds::paid_after_death(&mut conn, county)?,
            &|day| format!("部门数据：成员于 {day} 死亡（死亡当月已发不追回，次月起应停发）"),
        );
        add(
            "一个账户领取多户救助金",
            jiuzhu_storage::funds::shared_accounts(&mut conn, county)?,
            &|key| format!("共用账户组 {}", &key[..key.len().min(8)]),
        );
        add(
            "发放明细无对应保障记录",
            jiuzhu_storage::funds::without_source(&mut conn, county)?,
            &|source| format!("来源 {source}"),
        );
        // Amounts above the rules' answer at the decision.
        let monthly: Vec<&str> = jiuzhu_programmes::specs()
            .iter()
            .filter(|s| s.payment == jiuzhu_programmes::Payment::Monthly)
            .map(|s| s.kind.code())
            .collect();
        for c in jiuzhu_storage::funds::enrolled_cases(&mut conn, county, &monthly)? {
            let rules: Option<jiuzhu_registry::assessment::RulesOpinion> = serde_json::from_str(
                &open_field(&ctx.keys, "cases.rules_opinion", &c.rules_opinion)?,
            )
            .ok();
            let Some(rules) = rules else { continue };
            let suggested = Money::parse_non_negative_yuan(&rules.amount)
                .map(|m| m.fen())
                .unwrap_or(0);
            let decided = c.amount_fen.unwrap_or(0);
            if decided > suggested {
                anomalies.push(Anomaly {
                    kind: "金额高于规则核算结果".into(),
                    county: county.clone(),
                    household_id: c.household_id.clone(),
                    case_id: c.id.clone(),
                    month: c
                        .decided_on
                        .map(|d| d.format("%Y-%m").to_string())
                        .unwrap_or_default(),
                    programme: programme_zh(&c.kind),
                    amount: y(decided),
                    detail: format!("规则核算 {} 元（{}）", rules.amount, rules.outcome),
                });
            }
        }
    }
    drop(conn);
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new(
            "funds.view",
            "funds",
            &year.to_string(),
            &who.region.to_string(),
        )
        .detail(serde_json::json!({"anomalies": anomalies.len()})),
    )?;
    Ok(FundView {
        year,
        counties: out,
        anomalies,
    })
}
