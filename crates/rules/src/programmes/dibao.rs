//! S4: 最低生活保障 (S4, S11; POLICY-FACTS §1, §8). Base rule: a household whose per-capita
//! income is below the standard and whose assets are within the limits is admitted as a whole
//! and paid the difference (or its tier) plus member supplements. Labelled exceptions:
//! 渐退期 for households lifted above the standard by work, and 单人户 for severely disabled
//! or seriously ill members of a 低保边缘 household.

use crate::explain::{Tracer, step, step_amount};
use crate::facts::{
    AssetFailure, Facts, able_to_work, age, assets_within, counts_for_dibao, employment_deduction,
    is_counted,
};
use crate::input::{Disability, DisabilityKind, Household, IncomeKind, Member};
use crate::output::{Mode, Outcome};
use crate::params::{Combine, Method, P, Params};
use jiuzhu_domain::Money;

const CITE_ELIGIBLE: &str = "S4；社会救助暂行办法 第9条";
const CITE_AMOUNT: &str = "S4；民发〔2021〕57号 第23条；安办〔2021〕11号 §4";
const CITE_SUPPLEMENT: &str = "S4；安办〔2021〕11号 §4";
const CITE_WHOLE: &str = "民发〔2022〕83号 §1（不得只将部分成员纳入）";
const CITE_SINGLE: &str = "S4；民发〔2021〕57号 第8条；民发〔2022〕83号 §1；安办〔2021〕11号 §4";
const CITE_GRADUAL: &str =
    "S11；民发〔2021〕57号 第33条；民发〔2022〕83号 §1(三)；安办〔2021〕11号 §11";
const CITE_REVIEW: &str = "S7；民发〔2021〕57号 第31条；安办〔2021〕11号 §7";

/// Why a household is not (or only nearly) admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Nobody is counted.
    NoMembers,
    /// Per-capita income at or above the standard.
    Income,
    /// An asset test failed.
    Assets(AssetFailure),
}

/// The 低保 answer, without strings (the batch path builds no text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DibaoAnswer {
    /// Outcome.
    pub outcome: Outcome,
    /// How it was reached, when admitted.
    pub mode: Option<Mode>,
    /// Monthly amount for the household.
    pub monthly: Money,
    /// Members admitted alone (单人户) and their amounts.
    pub single: Vec<(usize, Money)>,
    /// Review cycle in months, when admitted.
    pub review_months: Option<u32>,
    /// 渐退期 months left.
    pub gradual_left: Option<u32>,
    /// Why not, when not.
    pub failure: Option<Failure>,
    /// The household is 低保边缘 (not eligible, income below the edge multiple, assets within).
    pub edge: bool,
}

impl DibaoAnswer {
    fn refused(failure: Failure) -> Self {
        DibaoAnswer {
            outcome: Outcome::NotEligible,
            mode: None,
            monthly: Money::ZERO,
            single: Vec::new(),
            review_months: None,
            gradual_left: None,
            failure: Some(failure),
            edge: false,
        }
    }
}

/// Whether a disability is 重度 for 单人户 (57号 Art. 8: grade 1–2, or grade-3 intellectual or
/// mental).
pub fn severe_for_single(d: Option<Disability>) -> bool {
    d.is_some_and(|d| {
        d.grade <= 2
            || (d.grade == 3
                && matches!(
                    d.category,
                    DisabilityKind::Intellectual | DisabilityKind::Mental
                ))
    })
}

/// The base amount for `heads` people whose counted income together is `income` (S4):
/// 差额 pays the actual gap, standard × heads − income (seed §4 "实际差额"; 57号 Art. 23),
/// with no per-capita figure in between; 分档 finds the tier by comparing the household's
/// income with the tier's share of standard × heads exactly, and pays the tier's share of
/// standard × heads, rounded once.
fn base_amount<T: Tracer>(income: Money, heads: i64, p: &Params, t: &mut T) -> Money {
    t.param(P::dibao_method);
    let standard = p.dibao_standard;
    let standard_total = standard
        .checked_mul(heads)
        .unwrap_or(Money::from_fen(i64::MAX));
    match p.dibao_method {
        Method::Difference => {
            let total = standard_total
                .checked_sub(income)
                .unwrap_or(Money::ZERO)
                .max(Money::ZERO);
            t.step(|| {
                step_amount(
                    "dibao.amount.difference",
                    CITE_AMOUNT,
                    format!(
                        "实际差额计发：低保标准 {} 元 × {heads} 人 − 计入家庭收入 {} 元 = {} 元",
                        standard.yuan_string(),
                        income.yuan_string(),
                        total.yuan_string()
                    ),
                    format!(
                        "actual gap: {} × {heads} − income {} = {}",
                        standard.yuan_string(),
                        income.yuan_string(),
                        total.yuan_string()
                    ),
                    total.fen(),
                )
            });
            total
        }
        Method::Tiers => {
            t.param(P::dibao_tiers);
            let tier = p
                .dibao_tiers
                .0
                .iter()
                .find(|tier| tier.below.is_below(income, standard_total));
            let total = tier
                .map(|tier| tier.pay.of(standard_total))
                .unwrap_or(Money::ZERO);
            t.step(|| {
                let which = tier
                    .map(|tier| {
                        format!(
                            "家庭收入 {} 元低于 {heads} 人标准合计 {} 元的 {}",
                            income.yuan_string(),
                            standard_total.yuan_string(),
                            tier.below.percent_string()
                        )
                    })
                    .unwrap_or_else(|| "无对应档次".to_owned());
                let pay = tier
                    .map(|tier| tier.pay.percent_string())
                    .unwrap_or_else(|| "0%".to_owned());
                step_amount(
                    "dibao.amount.tiers",
                    CITE_AMOUNT,
                    format!(
                        "分档计发：{which}，按标准合计的 {pay} 计发 {} 元",
                        total.yuan_string()
                    ),
                    format!(
                        "tiers: {pay} of {} × {heads} = {}",
                        standard.yuan_string(),
                        total.yuan_string()
                    ),
                    total.fen(),
                )
            });
            total
        }
    }
}

/// One member's supplement (S4: 重度残疾人、重病患者、老年人、未成年人 增发).
fn supplement<T: Tracer>(m: &Member, f: &Facts, p: &Params, t: &mut T) -> Money {
    let a = age(m, f.date);
    let mut parts: [(bool, P, &str, &str); 4] = [
        (
            m.disability.is_some_and(|d| d.grade <= 2),
            P::dibao_supplement_severe_disability,
            "重度残疾",
            "severe disability",
        ),
        (
            m.serious_illness,
            P::dibao_supplement_serious_illness,
            "重病",
            "serious illness",
        ),
        (
            a >= p.dibao_supplement_elderly_age,
            P::dibao_supplement_elderly,
            "老年人",
            "elderly",
        ),
        (
            a < p.dibao_supplement_minor_age_below,
            P::dibao_supplement_minor,
            "未成年人",
            "minor",
        ),
    ];
    t.param(P::dibao_supplement_elderly_age);
    t.param(P::dibao_supplement_minor_age_below);
    let amount_of = |which: P| {
        match which {
            P::dibao_supplement_severe_disability => p.dibao_supplement_severe_disability,
            P::dibao_supplement_serious_illness => p.dibao_supplement_serious_illness,
            P::dibao_supplement_elderly => p.dibao_supplement_elderly,
            _ => p.dibao_supplement_minor,
        }
        .of(p.dibao_standard)
    };
    let mut total = Money::ZERO;
    let mut any = false;
    for (applies, which, zh, en) in &mut parts {
        if !*applies {
            continue;
        }
        any = true;
        t.param(*which);
        let amount = amount_of(*which);
        total = match p.dibao_supplement_combine {
            Combine::Highest => total.max(amount),
            Combine::Sum => total.checked_add(amount).unwrap_or(total),
        };
        let (zh, en) = (*zh, *en);
        t.step(|| {
            step_amount(
                "dibao.supplement",
                CITE_SUPPLEMENT,
                format!("{}（{a} 岁）{zh}增发 {} 元", m.id, amount.yuan_string()),
                format!(
                    "{} (age {a}): {en} supplement {}",
                    m.id,
                    amount.yuan_string()
                ),
                amount.fen(),
            )
        });
    }
    if any {
        t.param(P::dibao_supplement_combine);
    }
    total
}

fn review_months<T: Tracer>(h: &Household, f: &Facts, p: &Params, t: &mut T) -> u32 {
    // S7: 6 months where income is irregular or a member can work, 12 where finances are stable.
    let able = h
        .members
        .iter()
        .filter(|m| is_counted(m))
        .any(|m| able_to_work(m, f.date, p));
    t.param(P::working_age_from);
    t.param(P::working_age_below);
    let months = if able {
        t.param(P::dibao_review_months_irregular);
        p.dibao_review_months_irregular
    } else {
        t.param(P::dibao_review_months_stable);
        p.dibao_review_months_stable
    };
    t.step(|| {
        step(
            "dibao.review_cycle",
            CITE_REVIEW,
            if able {
                format!("家庭有劳动年龄内有劳动能力的成员，每 {months} 个月复核")
            } else {
                format!("家庭收入稳定、无有劳动能力成员，每 {months} 个月复核")
            },
            format!("review every {months} months"),
        )
    });
    months
}

/// 低保 for the household.
pub fn dibao<T: Tracer>(h: &Household, f: &Facts, p: &Params, t: &mut T) -> DibaoAnswer {
    if f.counted == 0 {
        t.step(|| {
            step(
                "dibao.members",
                "民发〔2021〕57号 第7条",
                "没有计入的共同生活家庭成员".into(),
                "no co-resident member counted".into(),
            )
        });
        return DibaoAnswer::refused(Failure::NoMembers);
    }
    t.param(P::dibao_financial_months);
    let assets = assets_within(
        h,
        f,
        p.dibao_financial_months,
        P::dibao_financial_months,
        p,
        t,
        "dibao.assets",
    );
    // 57号 Art. 10: per-capita income below the standard, tested as income < standard × n.
    let income_ok = f.net < f.standard_total();
    t.step(|| {
        step(
            "dibao.income_test",
            CITE_ELIGIBLE,
            format!(
                "计入家庭收入 {} 元{}低保标准 {} 元 × {} 人 = {} 元（人均 {} 元）",
                f.net.yuan_string(),
                if income_ok { "低于" } else { "不低于" },
                f.standard.yuan_string(),
                f.counted,
                f.standard_total().yuan_string(),
                f.per_capita.yuan_string(),
            ),
            format!(
                "income {} is {} the standard total {} (per head {})",
                f.net.yuan_string(),
                if income_ok { "below" } else { "not below" },
                f.standard_total().yuan_string(),
                f.per_capita.yuan_string()
            ),
        )
    });
    if income_ok && assets.is_ok() {
        let base = base_amount(f.net, f.counted, p, t);
        let mut supplements = Money::ZERO;
        for m in h.members.iter().filter(|m| is_counted(m)) {
            supplements = supplements
                .checked_add(supplement(m, f, p, t))
                .unwrap_or(supplements);
        }
        let monthly = base.checked_add(supplements).unwrap_or(base);
        t.step(|| {
            step_amount(
                "dibao.whole_household",
                CITE_WHOLE,
                format!(
                    "全户 {} 人纳入低保：基本 {} 元 + 增发 {} 元 = 每月 {} 元",
                    f.counted,
                    base.yuan_string(),
                    supplements.yuan_string(),
                    monthly.yuan_string()
                ),
                format!(
                    "whole household of {} admitted: {} + supplements {} = {} a month",
                    f.counted,
                    base.yuan_string(),
                    supplements.yuan_string(),
                    monthly.yuan_string()
                ),
                monthly.fen(),
            )
        });
        let review = review_months(h, f, p, t);
        return DibaoAnswer {
            outcome: Outcome::Eligible,
            mode: Some(Mode::WholeHousehold),
            monthly,
            single: Vec::new(),
            review_months: Some(review),
            gradual_left: None,
            failure: None,
            edge: false,
        };
    }
    if income_ok {
        // Income qualifies, assets do not: 接近符合, the asset test named.
        let Err(fail) = assets else {
            unreachable!("handled above")
        };
        let mut a = DibaoAnswer::refused(Failure::Assets(fail));
        a.outcome = Outcome::Nearly;
        return a;
    }
    // From here the per-capita income is at or above the standard.
    t.param(P::edge_income_multiple);
    let edge = assets.is_ok() && f.income_below(p.edge_income_multiple, f.standard);
    if let Some(answer) = gradual_exit(h, f, p, t, assets.is_ok()) {
        return answer;
    }
    if edge {
        let single = single_person(h, f, p, t);
        if !single.is_empty() {
            let monthly = single
                .iter()
                .fold(Money::ZERO, |a, (_, m)| a.checked_add(*m).unwrap_or(a));
            return DibaoAnswer {
                outcome: Outcome::Eligible,
                mode: Some(Mode::SinglePerson),
                monthly,
                single,
                review_months: Some(p.dibao_review_months_stable),
                gradual_left: None,
                failure: Some(Failure::Income),
                edge: true,
            };
        }
    }
    let mut a = DibaoAnswer::refused(match assets {
        Ok(()) => Failure::Income,
        Err(fail) => Failure::Assets(fail),
    });
    a.edge = edge;
    a
}

/// S11 渐退期: an enrolled household lifted by work to between 1 and `upper` × the standard
/// keeps `share` of its benefit for up to N months.
fn gradual_exit<T: Tracer>(
    h: &Household,
    f: &Facts,
    p: &Params,
    t: &mut T,
    assets_ok: bool,
) -> Option<DibaoAnswer> {
    let cur = h.current_dibao?;
    t.param(P::gradual_exit_upper_multiple);
    t.param(P::gradual_exit_months);
    let in_band = f.income_below(p.gradual_exit_upper_multiple, f.standard);
    let left = match cur.gradual_exit_months_left {
        Some(left) => left.min(p.gradual_exit_months),
        None => p
            .gradual_exit_months
            .saturating_sub(cur.gradual_exit_months_used),
    };
    let applies = cur.income_rise_from_employment && assets_ok && in_band && left > 0;
    t.step(|| {
        let why = if !cur.income_rise_from_employment {
            "收入增加并非因就业".to_owned()
        } else if !assets_ok {
            "财产不符合规定".to_owned()
        } else if !in_band {
            format!(
                "人均收入达到或超过标准的 {} 倍",
                p.gradual_exit_upper_multiple
            )
        } else if left == 0 {
            format!("渐退期 {} 个月已用完", p.gradual_exit_months)
        } else {
            format!(
                "因就业收入增加，人均收入在标准的 1 至 {} 倍之间，渐退期剩余 {left} 个月",
                p.gradual_exit_upper_multiple
            )
        };
        step(
            "dibao.gradual_exit",
            CITE_GRADUAL,
            format!(
                "渐退期：{}{why}",
                if applies { "适用，" } else { "不适用，" }
            ),
            format!(
                "gradual exit {}",
                if applies { "applies" } else { "does not apply" }
            ),
        )
    });
    if !applies {
        return None;
    }
    t.param(P::gradual_exit_share_of_previous);
    let monthly = p.gradual_exit_share_of_previous.of(cur.monthly.0);
    t.step(|| {
        step_amount(
            "dibao.gradual_exit.amount",
            CITE_GRADUAL,
            format!(
                "渐退期按原低保金 {} 元的 {} 发放：每月 {} 元",
                cur.monthly.0.yuan_string(),
                p.gradual_exit_share_of_previous.percent_string(),
                monthly.yuan_string()
            ),
            format!("gradual exit pays {} a month", monthly.yuan_string()),
            monthly.fen(),
        )
    });
    Some(DibaoAnswer {
        outcome: Outcome::Eligible,
        mode: Some(Mode::GradualExit),
        monthly,
        single: Vec::new(),
        review_months: None,
        gradual_left: Some(left),
        failure: Some(Failure::Income),
        edge: false,
    })
}

/// 单人户 (57号 Art. 8; 83号 §1): in a 低保边缘 household, each member with a grade 1–2
/// disability, a grade-3 intellectual or mental disability, or a serious illness may be
/// admitted alone on their own income (support from siblings or people aged 60+ not counted).
fn single_person<T: Tracer>(
    h: &Household,
    f: &Facts,
    p: &Params,
    t: &mut T,
) -> Vec<(usize, Money)> {
    let mut out = Vec::new();
    for (i, m) in h.members.iter().enumerate() {
        if !is_counted(m) || !(severe_for_single(m.disability) || m.serious_illness) {
            continue;
        }
        let mut own = Money::ZERO;
        let mut wages = Money::ZERO;
        for inc in h
            .incomes
            .iter()
            .filter(|x| x.member.as_deref() == Some(m.id.as_str()))
        {
            if counts_for_dibao(inc.kind) && inc.kind != IncomeKind::FamilySupport {
                own = own.checked_add(inc.monthly.0).unwrap_or(own);
            }
            if inc.kind == IncomeKind::Wage {
                wages = wages.checked_add(inc.monthly.0).unwrap_or(wages);
            }
        }
        if m.employed && wages > Money::ZERO {
            own = own
                .checked_sub(employment_deduction(wages, p))
                .unwrap_or(own)
                .max(Money::ZERO);
        }
        let eligible = own < p.dibao_standard;
        t.step(|| {
            step(
                "dibao.single_person",
                CITE_SINGLE,
                format!(
                    "低保边缘家庭中的{} {}：本人收入 {} 元{}标准，{}",
                    if m.serious_illness {
                        "重病患者"
                    } else {
                        "重度残疾人"
                    },
                    m.id,
                    own.yuan_string(),
                    if eligible { "低于" } else { "不低于" },
                    if eligible {
                        "可按单人户纳入"
                    } else {
                        "不能按单人户纳入"
                    }
                ),
                format!(
                    "{} in a marginal household: own income {}; {}",
                    m.id,
                    own.yuan_string(),
                    if eligible {
                        "may be admitted alone"
                    } else {
                        "cannot be admitted alone"
                    }
                ),
            )
        });
        if eligible {
            let base = base_amount(own, 1, p, t);
            let amount = base.checked_add(supplement(m, f, p, t)).unwrap_or(base);
            out.push((i, amount));
        }
    }
    out
}
