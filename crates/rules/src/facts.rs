//! Facts every programme shares, derived once per household: who is counted, counted income
//! after deductions, per-capita income, financial assets — each step explained.

use crate::explain::{Tracer, step, step_amount};
use crate::input::{Household, IncomeKind, Member, Presence};
use crate::params::{P, Params};
use chrono::NaiveDate;
use jiuzhu_domain::Money;
use jiuzhu_domain::time::age_on;

/// Derived facts of one household on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// Assessment date.
    pub date: NaiveDate,
    /// 共同生活家庭成员 counted (57号 Art. 7).
    pub counted: i64,
    /// Counted income before deductions, per month.
    pub gross: Money,
    /// Counted income after deductions, per month (never negative).
    pub net: Money,
    /// Per-capita monthly income, truncated to the fen.
    pub per_capita: Money,
    /// The 低保 standard in force.
    pub standard: Money,
}

/// Whether a member is counted in the household (57号 Art. 7: clergy away ≥ 3 years, people
/// in prison, in compulsory drug rehabilitation or declared missing are not).
pub fn is_counted(m: &Member) -> bool {
    m.presence == Presence::CoResident
}

/// Whole years of age on `date`.
pub fn age(m: &Member, date: NaiveDate) -> u32 {
    age_on(m.birth_date, date).max(0) as u32
}

/// Whether a member is of working age (the policy's `labour.working_age_*`) and able to work:
/// not in school, not seriously ill, no grade 1–2 disability. Such members make income
/// irregular (S7: 6-month reviews) and are referred to employment assistance (S11).
pub fn able_to_work(m: &Member, date: NaiveDate, p: &Params) -> bool {
    (p.working_age_from..p.working_age_below).contains(&age(m, date))
        && !m.student
        && !m.serious_illness
        && m.disability.is_none_or(|d| d.grade > 2)
}

/// Whether an income kind counts for 低保 (57号 Art. 13: rewards, assistance and the basic
/// pension are not counted).
pub fn counts_for_dibao(kind: IncomeKind) -> bool {
    !matches!(
        kind,
        IncomeKind::ExemptReward | IncomeKind::ExemptAssistance | IncomeKind::BasicPension
    )
}

fn member_counted(h: &Household, id: &Option<String>) -> bool {
    match id {
        None => true,
        Some(id) => h.members.iter().any(|m| &m.id == id && is_counted(m)),
    }
}

/// Employment-cost deduction for one member's wages (S11; 57号 Art. 13; Anyang §11):
/// share × wages + a fixed amount, never more than the wages.
pub fn employment_deduction(wages: Money, p: &Params) -> Money {
    let d = p
        .dibao_employment_cost_share
        .of(wages)
        .checked_add(p.dibao_employment_cost_fixed)
        .unwrap_or(Money::ZERO);
    d.min(wages)
}

/// Computes the shared facts.
pub fn facts<T: Tracer>(h: &Household, date: NaiveDate, p: &Params, t: &mut T) -> Facts {
    let counted = h.members.iter().filter(|m| is_counted(m)).count() as i64;
    t.step(|| {
        let excluded: Vec<_> = h
            .members
            .iter()
            .filter(|m| !is_counted(m))
            .map(|m| format!("{}（{}）", m.id, presence_zh(m.presence)))
            .collect();
        step(
            "household.members",
            "民发〔2021〕57号 第7条",
            if excluded.is_empty() {
                format!("共同生活家庭成员 {counted} 人")
            } else {
                format!(
                    "共同生活家庭成员 {counted} 人；不计入：{}",
                    excluded.join("、")
                )
            },
            format!(
                "{counted} co-resident members counted; {} excluded",
                excluded.len()
            ),
        )
    });
    let mut gross = Money::ZERO;
    let mut exempt = Money::ZERO;
    for i in &h.incomes {
        if !member_counted(h, &i.member) {
            continue;
        }
        if counts_for_dibao(i.kind) {
            gross = gross.checked_add(i.monthly.0).unwrap_or(gross);
        } else {
            exempt = exempt.checked_add(i.monthly.0).unwrap_or(exempt);
        }
    }
    t.step(|| {
        step_amount(
            "household.income",
            "民发〔2021〕57号 第13条",
            format!(
                "计入家庭收入 {} 元/月；不计入（优抚、奖励、救助款物、基础养老金）{} 元/月",
                gross.yuan_string(),
                exempt.yuan_string()
            ),
            format!(
                "counted income {} yuan/month; not counted (rewards, assistance, basic pension) {}",
                gross.yuan_string(),
                exempt.yuan_string()
            ),
            gross.fen(),
        )
    });
    // S11: 就业成本 deducted from each employed member's wages.
    let mut deduction = Money::ZERO;
    for m in h.members.iter().filter(|m| m.employed && is_counted(m)) {
        let wages = h
            .incomes
            .iter()
            .filter(|i| i.kind == IncomeKind::Wage && i.member.as_deref() == Some(m.id.as_str()))
            .fold(Money::ZERO, |a, i| a.checked_add(i.monthly.0).unwrap_or(a));
        if wages > Money::ZERO {
            t.param(P::dibao_employment_cost_share);
            t.param(P::dibao_employment_cost_fixed);
            let d = employment_deduction(wages, p);
            deduction = deduction.checked_add(d).unwrap_or(deduction);
            t.step(|| {
                step_amount(
                    "household.employment_cost",
                    "S11；民发〔2021〕57号 第13条；安办〔2021〕11号 §11",
                    format!(
                        "{} 工资 {} 元，扣减必要就业成本 {} 元",
                        m.id,
                        wages.yuan_string(),
                        d.yuan_string()
                    ),
                    format!(
                        "{}: wages {}, employment costs deducted {}",
                        m.id,
                        wages.yuan_string(),
                        d.yuan_string()
                    ),
                    d.fen(),
                )
            });
        }
    }
    t.param(P::dibao_deduct_rigid_spending);
    if p.dibao_deduct_rigid_spending && h.extra_spending_monthly.0 > Money::ZERO {
        deduction = deduction
            .checked_add(h.extra_spending_monthly.0)
            .unwrap_or(deduction);
        t.step(|| {
            step_amount(
                "household.extra_spending",
                "民发〔2021〕57号 第13条",
                format!(
                    "扣减因残因病增加的刚性支出 {} 元/月",
                    h.extra_spending_monthly.0.yuan_string()
                ),
                format!(
                    "extra spending from disability or illness deducted: {}",
                    h.extra_spending_monthly.0.yuan_string()
                ),
                h.extra_spending_monthly.0.fen(),
            )
        });
    }
    let net = gross
        .checked_sub(deduction)
        .unwrap_or(Money::ZERO)
        .max(Money::ZERO);
    let per_capita = if counted > 0 {
        net.div_floor_fen(counted)
            .map(|(q, _)| q)
            .unwrap_or(Money::ZERO)
    } else {
        Money::ZERO
    };
    t.param(P::dibao_standard);
    let standard = p.dibao_standard;
    t.step(|| {
        step_amount(
            "household.per_capita_income",
            "S4；社会救助暂行办法 第9条",
            format!(
                "家庭月收入 {} 元 ÷ {counted} 人 = 人均 {} 元（低保标准 {} 元）",
                net.yuan_string(),
                per_capita.yuan_string(),
                standard.yuan_string()
            ),
            format!(
                "monthly income {} / {counted} = {} per head (standard {})",
                net.yuan_string(),
                per_capita.yuan_string(),
                standard.yuan_string()
            ),
            per_capita.fen(),
        )
    });
    Facts {
        date,
        counted,
        gross,
        net,
        per_capita,
        standard,
    }
}

/// Whether the household's assets are within the 低保-style limits with `months` of the
/// standard per counted head as the financial-asset limit (57号 Art. 14; S4).
pub fn assets_within<T: Tracer>(
    h: &Household,
    f: &Facts,
    months: u32,
    months_param: P,
    p: &Params,
    t: &mut T,
    rule: &str,
) -> Result<(), AssetFailure> {
    t.param(months_param);
    t.param(P::dibao_max_vehicles);
    t.param(P::dibao_max_homes);
    t.param(P::dibao_other_real_estate_allowed);
    let heads = f.counted.max(1);
    let limit = f
        .standard
        .checked_mul(i64::from(months))
        .and_then(|m| m.checked_mul(heads))
        .unwrap_or(Money::from_fen(i64::MAX));
    let a = &h.assets;
    let failure = if a.financial.0 > limit {
        Some(AssetFailure::Financial { limit })
    } else if a.vehicles > p.dibao_max_vehicles {
        Some(AssetFailure::Vehicles)
    } else if a.homes > p.dibao_max_homes {
        Some(AssetFailure::Homes)
    } else if a.other_real_estate > 0 && !p.dibao_other_real_estate_allowed {
        Some(AssetFailure::OtherRealEstate)
    } else {
        None
    };
    t.step(|| {
        let (zh, en) = match failure {
            None => (
                format!(
                    "财产符合规定：金融资产 {} 元（上限 {} 人 × {months} 个月标准 = {} 元），车辆 {}，住房 {} 套",
                    a.financial.0.yuan_string(),
                    heads,
                    limit.yuan_string(),
                    a.vehicles,
                    a.homes
                ),
                format!(
                    "assets within limits: financial {} (limit {}), vehicles {}, homes {}",
                    a.financial.0.yuan_string(),
                    limit.yuan_string(),
                    a.vehicles,
                    a.homes
                ),
            ),
            Some(fail) => (fail.zh(a), fail.en(a)),
        };
        step(rule, "S4；民发〔2021〕57号 第14条", zh, en)
    });
    match failure {
        None => Ok(()),
        Some(f) => Err(f),
    }
}

/// Which asset test failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssetFailure {
    /// Financial assets above the limit.
    Financial {
        /// The limit.
        limit: Money,
    },
    /// Too many ordinary vehicles.
    Vehicles,
    /// Too many homes.
    Homes,
    /// Non-residential real estate.
    OtherRealEstate,
}

impl AssetFailure {
    /// In Chinese.
    pub fn zh(self, a: &crate::input::Assets) -> String {
        match self {
            AssetFailure::Financial { limit } => format!(
                "金融资产 {} 元超过上限 {} 元",
                a.financial.0.yuan_string(),
                limit.yuan_string()
            ),
            AssetFailure::Vehicles => format!("拥有机动车 {} 辆，超过规定", a.vehicles),
            AssetFailure::Homes => format!("拥有住房 {} 套，超过规定", a.homes),
            AssetFailure::OtherRealEstate => "拥有非居住类不动产".to_owned(),
        }
    }
    /// In English.
    pub fn en(self, a: &crate::input::Assets) -> String {
        match self {
            AssetFailure::Financial { limit } => format!(
                "financial assets {} above the limit {}",
                a.financial.0.yuan_string(),
                limit.yuan_string()
            ),
            AssetFailure::Vehicles => format!("{} vehicles, above the limit", a.vehicles),
            AssetFailure::Homes => format!("{} homes, above the limit", a.homes),
            AssetFailure::OtherRealEstate => "owns non-residential real estate".to_owned(),
        }
    }
}

fn presence_zh(p: Presence) -> &'static str {
    match p {
        Presence::CoResident => "共同生活",
        Presence::ClergyAway => "宗教教职人员脱离家庭三年以上",
        Presence::Imprisoned => "服刑",
        Presence::DrugRehab => "强制隔离戒毒",
        Presence::Missing => "宣告失踪",
    }
}
