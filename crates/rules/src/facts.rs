//! S4: 家庭收入 — facts every programme shares, derived once per household: who is counted,
//! counted income after deductions, financial assets — each step explained.
//!
//! Every threshold is compared on household totals (income against multiple × standard ×
//! counted members), never on a per-capita figure, and deductions are summed exactly and
//! rounded once; the per-capita income is kept for display only, rounded half up.

use crate::explain::{Tracer, step, step_amount};
use crate::input::{DisabilityKind, Household, IncomeKind, Member, Presence};
use crate::params::{P, Params};
use crate::ratio::{MICRO_PER_FEN, Ratio, round_micro_fen};
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
    /// Counted income after deductions, per month (never negative): what every test compares.
    pub net: Money,
    /// Per-capita monthly income rounded half up to the fen — for display only; no rule
    /// compares it (see [`Facts::income_below`]).
    pub per_capita: Money,
    /// The 低保 standard in force.
    pub standard: Money,
}

impl Facts {
    /// `amount` per head × counted members (the household total of a per-person figure).
    pub fn times_members(&self, per_head: Money) -> Money {
        per_head
            .checked_mul(self.counted.max(1))
            .unwrap_or(Money::from_fen(i64::MAX))
    }

    /// The 低保 standard × counted members.
    pub fn standard_total(&self) -> Money {
        self.times_members(self.standard)
    }

    /// Whether the counted income is below `multiple` × `per_head` × counted members, exactly:
    /// the per-capita test of 57号 Art. 10 done on totals, so no truncation moves a boundary.
    pub fn income_below(&self, multiple: Ratio, per_head: Money) -> bool {
        multiple.is_below(self.net, self.times_members(per_head))
    }
}

/// Per-capita income for display: `total ÷ n`, rounded half up to the fen.
pub fn per_capita_display(total: Money, n: i64) -> Money {
    if n <= 0 {
        return Money::ZERO;
    }
    round_micro_fen(i128::from(total.fen()) * MICRO_PER_FEN / i128::from(n))
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

/// Employment-cost deduction for one member's wages, exactly in millionths of a fen (S11;
/// 57号 Art. 13; Anyang §11): share × wages + a fixed amount, never more than the wages.
pub fn employment_deduction_exact(wages: Money, p: &Params) -> i128 {
    let d = p.dibao_employment_cost_share.exact(wages)
        + i128::from(p.dibao_employment_cost_fixed.fen()) * MICRO_PER_FEN;
    d.min(i128::from(wages.fen()) * MICRO_PER_FEN).max(0)
}

/// One person's employment-cost deduction rounded once, half up (单人户 counts one person).
pub fn employment_deduction(wages: Money, p: &Params) -> Money {
    round_micro_fen(employment_deduction_exact(wages, p))
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
    // S11: 就业成本 deducted from each employed member's wages, summed exactly, rounded once.
    let mut deduction_exact: i128 = 0;
    for m in h.members.iter().filter(|m| m.employed && is_counted(m)) {
        let wages = h
            .incomes
            .iter()
            .filter(|i| i.kind == IncomeKind::Wage && i.member.as_deref() == Some(m.id.as_str()))
            .fold(Money::ZERO, |a, i| a.checked_add(i.monthly.0).unwrap_or(a));
        if wages > Money::ZERO {
            t.param(P::dibao_employment_cost_share);
            t.param(P::dibao_employment_cost_fixed);
            let d = employment_deduction_exact(wages, p);
            deduction_exact += d;
            t.step(|| {
                let shown = round_micro_fen(d);
                step_amount(
                    "household.employment_cost",
                    "S11；民发〔2021〕57号 第13条；安办〔2021〕11号 §11",
                    format!(
                        "{} 工资 {} 元，扣减必要就业成本 {} 元",
                        m.id,
                        wages.yuan_string(),
                        shown.yuan_string()
                    ),
                    format!(
                        "{}: wages {}, employment costs deducted {}",
                        m.id,
                        wages.yuan_string(),
                        shown.yuan_string()
                    ),
                    shown.fen(),
                )
            });
        }
    }
    let mut deduction = round_micro_fen(deduction_exact);
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
    let per_capita = per_capita_display(net, counted);
    t.param(P::dibao_standard);
    let standard = p.dibao_standard;
    let standard_total = standard.checked_mul(counted.max(1)).unwrap_or(standard);
    t.step(|| {
        step_amount(
            "household.per_capita_income",
            "S4；社会救助暂行办法 第9条；民发〔2021〕57号 第10条",
            format!(
                "计入家庭月收入 {} 元（收入 {} 元 − 扣减 {} 元，合计后四舍五入一次）；{counted} 人 × 低保标准 {} 元 = {} 元；人均 {} 元（四舍五入，仅供显示，比较以家庭合计为准）",
                net.yuan_string(),
                gross.yuan_string(),
                deduction.yuan_string(),
                standard.yuan_string(),
                standard_total.yuan_string(),
                per_capita.yuan_string(),
            ),
            format!(
                "counted income {} a month against {counted} × standard {} = {}; per head {} (display only, rounded)",
                net.yuan_string(),
                standard.yuan_string(),
                standard_total.yuan_string(),
                per_capita.yuan_string()
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

/// Disability grades that mean no labour capacity (43号 Art. 5).
pub fn disability_counts(m: &Member) -> bool {
    m.disability.is_some_and(|d| match d.category {
        DisabilityKind::Intellectual | DisabilityKind::Mental => d.grade <= 3,
        DisabilityKind::Physical | DisabilityKind::Multiple => d.grade <= 2,
        DisabilityKind::Visual => d.grade == 1,
        DisabilityKind::Hearing | DisabilityKind::Speech => false,
    })
}

/// 43号 Art. 6–7: the member's own income, not counting the basic pension, 优抚, assistance
/// or the old-age allowance (also a supporter's income in Art. 8's tests).
pub(crate) fn own_income(h: &Household, m: &Member) -> Money {
    h.incomes
        .iter()
        .filter(|x| x.member.as_deref() == Some(m.id.as_str()))
        .filter(|x| {
            !matches!(
                x.kind,
                IncomeKind::BasicPension
                    | IncomeKind::ExemptReward
                    | IncomeKind::ExemptAssistance
                    | IncomeKind::ElderlyAllowance
            )
        })
        .fold(Money::ZERO, |acc, x| {
            acc.checked_add(x.monthly.0).unwrap_or(acc)
        })
}
