//! 特困人员救助供养 (S5; 民发〔2021〕43号; POLICY-FACTS §2). Per person: an elderly, disabled
//! or minor person with (1) no labour capacity, (2) no source of living and (3) no supporter
//! able to support them. Exception: a minor on the orphan track is not recorded as 特困.
//! Amount: basic living standard (≥ 1.3 × 低保) plus the care standard of the person's tier.

use crate::explain::{Tracer, step, step_amount};
use crate::facts::{Facts, age, is_counted};
use crate::input::{DisabilityKind, Household, IncomeKind, Member, Supporter};
use crate::output::{CareTier, Outcome};
use crate::params::{P, Params};
use jiuzhu_domain::Money;

const CITE_CONDITIONS: &str = "S5；民发〔2021〕43号 第4条";
const CITE_LABOUR: &str = "S5；民发〔2021〕43号 第5条；安办〔2021〕11号 §5（未成年人扩至18周岁）";
const CITE_INCOME: &str = "民发〔2021〕43号 第6—7条";
const CITE_SUPPORTER: &str = "民发〔2021〕43号 第8条";
const CITE_ORPHAN: &str = "民发〔2021〕43号 第9条";
const CITE_AMOUNT: &str = "S5；河南省特困人员救助供养办法 第26条；安办〔2021〕11号 §5";
const CITE_CARE: &str = "民发〔2021〕43号 第20—23条";

/// Why a person is not 特困.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Neither elderly, minor nor disabled as §2.2 counts.
    NotInGroup,
    /// Own income at or above the 低保 standard, or assets above the limit.
    HasLiving,
    /// A supporter is able to support.
    SupporterAble,
    /// Chose the orphan allowance.
    OrphanTrack,
    /// Not counted in the household (imprisoned, missing …).
    NotPresent,
}

/// One member's 特困 answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TekunAnswer {
    /// Member index.
    pub member: usize,
    /// Outcome.
    pub outcome: Outcome,
    /// Monthly amount (basic + care).
    pub monthly: Money,
    /// Care tier.
    pub tier: CareTier,
    /// Why not.
    pub failure: Option<Failure>,
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

/// The care tier from the number of ADL items lost (43号 Art. 20–23).
pub fn care_tier(adl_lost: u8, p: &Params) -> CareTier {
    let n = u32::from(adl_lost.min(6));
    if n >= p.tekun_care_full_items {
        CareTier::Full
    } else if n >= p.tekun_care_partial_items {
        CareTier::Partial
    } else {
        CareTier::SelfCare
    }
}

fn supporter_unable(s: &Supporter, p: &Params) -> bool {
    // 43号 Art. 8: any one of these makes the supporter unable to perform the duty.
    s.tekun
        || (s.dibao && s.age >= p.tekun_supporter_dibao_age)
        || (s.age >= p.tekun_supporter_elderly_age
            && s.income_monthly.0 < p.prev_year_disposable_income)
        || (s.severe_disability && s.income_monthly.0 < p.prev_year_disposable_income)
        || s.incapacitated
}

/// 特困 for every member of the household.
pub fn tekun<T: Tracer>(h: &Household, f: &Facts, p: &Params, t: &mut T) -> Vec<TekunAnswer> {
    let mut out = Vec::new();
    for (i, m) in h.members.iter().enumerate() {
        let a = age(m, f.date);
        t.param(P::tekun_elderly_age);
        t.param(P::tekun_minor_age_below);
        let elderly = a >= p.tekun_elderly_age;
        // S5: minors up to 18; a minor already supported keeps it beyond 18 while in school (Art. 24).
        let minor = a < p.tekun_minor_age_below || (m.tekun_now && m.student);
        let disabled = disability_counts(m);
        let tier = care_tier(m.adl_lost, p);
        let mut answer = TekunAnswer {
            member: i,
            outcome: Outcome::NotEligible,
            monthly: Money::ZERO,
            tier,
            failure: None,
        };
        if !(elderly || minor || disabled) {
            answer.failure = Some(Failure::NotInGroup);
            out.push(answer);
            continue;
        }
        t.step(|| {
            let mut groups = Vec::new();
            if elderly {
                groups.push(format!("年满 {} 周岁", p.tekun_elderly_age));
            }
            if minor {
                groups.push(format!("未满 {} 周岁", p.tekun_minor_age_below));
            }
            if disabled {
                groups.push("残疾等级属于无劳动能力".to_owned());
            }
            step(
                "tekun.no_labour_capacity",
                CITE_LABOUR,
                format!("{}（{a} 岁）：{}，视为无劳动能力", m.id, groups.join("、")),
                format!("{} (age {a}) counts as having no labour capacity", m.id),
            )
        });
        if !is_counted(m) {
            answer.failure = Some(Failure::NotPresent);
            out.push(answer);
            continue;
        }
        if minor && m.orphan.is_some() && m.orphan_track {
            t.step(|| {
                step(
                    "tekun.orphan_track",
                    CITE_ORPHAN,
                    format!(
                        "{} 选择孤儿（事实无人抚养儿童）保障，不认定为特困人员",
                        m.id
                    ),
                    format!(
                        "{} chose the orphan track and is not recorded as 特困",
                        m.id
                    ),
                )
            });
            answer.failure = Some(Failure::OrphanTrack);
            out.push(answer);
            continue;
        }
        // 43号 Art. 6–7: own income below the 低保 standard, not counting the basic pension,
        // 优抚, assistance or the old-age allowance; assets within the limit.
        let own = h
            .incomes
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
            });
        t.param(P::dibao_standard);
        t.param(P::tekun_financial_months);
        let share = h
            .assets
            .financial
            .0
            .div_floor_fen(f.counted.max(1))
            .map(|(q, _)| q)
            .unwrap_or(Money::ZERO);
        let asset_limit = p
            .dibao_standard
            .checked_mul(i64::from(p.tekun_financial_months))
            .unwrap_or(Money::ZERO);
        let no_living = own < p.dibao_standard && share <= asset_limit;
        t.step(|| {
            step(
                "tekun.no_source_of_living",
                CITE_INCOME,
                format!(
                    "{} 本人收入 {} 元/月（不计基础养老金、高龄津贴等），人均金融资产 {} 元（上限 {} 元）：{}",
                    m.id,
                    own.yuan_string(),
                    share.yuan_string(),
                    asset_limit.yuan_string(),
                    if no_living { "无生活来源" } else { "有生活来源" }
                ),
                format!(
                    "{}: own income {}, financial assets {} (limit {}): {}",
                    m.id,
                    own.yuan_string(),
                    share.yuan_string(),
                    asset_limit.yuan_string(),
                    if no_living { "no source of living" } else { "has a source of living" }
                ),
            )
        });
        let able: Vec<usize> = m
            .supporters
            .iter()
            .enumerate()
            .filter(|(_, s)| !supporter_unable(s, p))
            .map(|(k, _)| k + 1)
            .collect();
        if !m.supporters.is_empty() {
            t.param(P::tekun_supporter_dibao_age);
            t.param(P::tekun_supporter_elderly_age);
            t.param(P::prev_year_disposable_income);
        }
        t.step(|| {
            step(
                "tekun.supporters",
                CITE_SUPPORTER,
                if m.supporters.is_empty() {
                    format!("{} 无法定义务人", m.id)
                } else if able.is_empty() {
                    format!(
                        "{} 的 {} 名义务人均无履行义务能力",
                        m.id,
                        m.supporters.len()
                    )
                } else {
                    format!("{} 的第 {:?} 名义务人有履行义务能力", m.id, able)
                },
                format!(
                    "{}: {} of {} supporters able",
                    m.id,
                    able.len(),
                    m.supporters.len()
                ),
            )
        });
        if !no_living {
            answer.failure = Some(Failure::HasLiving);
            // One condition short: 接近符合 when only income is slightly above (within 低保边缘).
            if able.is_empty() && p.edge_income_multiple.is_below(own, p.dibao_standard) {
                answer.outcome = Outcome::Nearly;
            }
            out.push(answer);
            continue;
        }
        if !able.is_empty() {
            answer.failure = Some(Failure::SupporterAble);
            answer.outcome = Outcome::Nearly;
            out.push(answer);
            continue;
        }
        t.param(P::tekun_basic_multiple);
        let basic = p.tekun_basic_multiple.of(p.dibao_standard);
        let (care, care_p) = match tier {
            CareTier::SelfCare => (p.tekun_care_self, P::tekun_care_self),
            CareTier::Partial => (p.tekun_care_partial, P::tekun_care_partial),
            CareTier::Full => (p.tekun_care_full, P::tekun_care_full),
        };
        t.param(P::tekun_care_partial_items);
        t.param(P::tekun_care_full_items);
        t.param(care_p);
        let monthly = basic.checked_add(care).unwrap_or(basic);
        t.step(|| {
            step(
                "tekun.care_tier",
                CITE_CARE,
                format!(
                    "{} 丧失 {} 项日常生活活动能力：{}",
                    m.id,
                    m.adl_lost.min(6),
                    tier.zh()
                ),
                format!(
                    "{}: {} ADL items lost: {}",
                    m.id,
                    m.adl_lost.min(6),
                    tier.en()
                ),
            )
        });
        t.step(|| {
            step_amount(
                "tekun.amount",
                CITE_AMOUNT,
                format!(
                    "基本生活标准 {} 元（低保标准 × {}）+ 照料护理标准 {} 元 = 每月 {} 元",
                    basic.yuan_string(),
                    p.tekun_basic_multiple,
                    care.yuan_string(),
                    monthly.yuan_string()
                ),
                format!(
                    "basic {} + care {} = {} a month",
                    basic.yuan_string(),
                    care.yuan_string(),
                    monthly.yuan_string()
                ),
                monthly.fen(),
            )
        });
        t.step(|| {
            step(
                "tekun.conditions",
                CITE_CONDITIONS,
                format!(
                    "{} 同时符合无劳动能力、无生活来源、无履行义务能力的义务人三个条件",
                    m.id
                ),
                format!("{} meets all three conditions", m.id),
            )
        });
        answer.outcome = Outcome::Eligible;
        answer.monthly = monthly;
        out.push(answer);
    }
    out
}
