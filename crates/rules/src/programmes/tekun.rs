//! S5: 特困人员救助供养 (S5; 民发〔2021〕43号; POLICY-FACTS §2). Per person: an elderly, disabled
//! or minor person with (1) no labour capacity, (2) no source of living and (3) no supporter
//! able to support them. Exception: a minor on the orphan track is not recorded as 特困.
//! Amount: basic living standard (≥ 1.3 × 低保) plus the care standard of the person's tier.

use crate::explain::{Tracer, step, step_amount};
pub use crate::facts::disability_counts;
use crate::facts::own_income;
use crate::facts::{Facts, age, is_counted};
use crate::input::{Household, Member};
use crate::output::{CareTier, Outcome};
use crate::params::{P, Params};
use crate::support::{self, Verdict};
use jiuzhu_domain::Money;

const CITE_CONDITIONS: &str = "S5；民发〔2021〕43号 第4条";
const CITE_LABOUR: &str = "S5；民发〔2021〕43号 第5条；安办〔2021〕11号 §5（未成年人扩至18周岁）";
const CITE_INCOME: &str = "民发〔2021〕43号 第6—7条";
const CITE_SUPPORTER: &str =
    "S5；民发〔2021〕43号 第4条第3项、第8条；民法典 第1059、1067、1074、1075条";
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
    /// Relations to the head are missing, so who owes support cannot be told.
    RelationsUnknown,
    /// Chose the orphan allowance.
    OrphanTrack,
    /// Not counted in the household (imprisoned, missing …).
    NotPresent,
}

/// One member's 特困 answer.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The supporter able to support, named as the explanation names them.
    pub able_supporter: Option<String>,
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

/// 43号 Art. 5: elderly, a minor (18 in Anyang; beyond while still supported and in school,
/// Art. 24), or disabled at a grade that means no labour capacity.
fn in_group(m: &Member, date: chrono::NaiveDate, p: &Params) -> (bool, bool, bool) {
    let a = age(m, date);
    let elderly = a >= p.tekun_elderly_age;
    let minor = a < p.tekun_minor_age_below || (m.tekun_now && m.student);
    (elderly, minor, disability_counts(m))
}

/// The financial-asset limit of the household for 特困 (per head × counted members).
fn asset_limit(f: &Facts, p: &Params) -> Money {
    let per_head = p
        .dibao_standard
        .checked_mul(i64::from(p.tekun_financial_months))
        .unwrap_or(Money::ZERO);
    f.times_members(per_head)
}

/// Conditions (1) and (2) of 43号 Art. 4 for member `i`, silently: used to tell whether a
/// supporter inside the household is 特困 themselves (Art. 8(1)).
pub fn meets_first_two(h: &Household, i: usize, f: &Facts, p: &Params) -> bool {
    let m = &h.members[i];
    let (e, mi, d) = in_group(m, f.date, p);
    is_counted(m)
        && (e || mi || d)
        && own_income(h, m) < p.dibao_standard
        && h.assets.financial.0 <= asset_limit(f, p)
}

/// 特困 for every member of the household.
/// `household_dibao`: the household is on 低保 now or comes out eligible (43号 Art. 8(2)).
pub fn tekun<T: Tracer>(
    h: &Household,
    f: &Facts,
    household_dibao: bool,
    p: &Params,
    t: &mut T,
) -> Vec<TekunAnswer> {
    let mut out = Vec::new();
    let meets = |j: usize| meets_first_two(h, j, f, p);
    let cx = support::Ctx {
        facts: f,
        params: p,
        household_dibao,
        meets_tekun: &meets,
    };
    for (i, m) in h.members.iter().enumerate() {
        let a = age(m, f.date);
        t.param(P::tekun_elderly_age);
        t.param(P::tekun_minor_age_below);
        // S5: minors up to 18; a minor already supported keeps it beyond 18 while in school (Art. 24).
        let (elderly, minor, disabled) = in_group(m, f.date, p);
        let tier = care_tier(m.adl_lost, p);
        let mut answer = TekunAnswer {
            member: i,
            outcome: Outcome::NotEligible,
            monthly: Money::ZERO,
            tier,
            failure: None,
            able_supporter: None,
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
        // 43号 Art. 6–7: own income below the 低保 standard; assets within the limit, compared
        // on the household total (no truncated per-head share).
        let own = own_income(h, m);
        t.param(P::dibao_standard);
        t.param(P::tekun_financial_months);
        let no_living = own < p.dibao_standard && h.assets.financial.0 <= asset_limit(f, p);
        t.step(|| {
            let (assets, limit) = (h.assets.financial.0, asset_limit(f, p));
            step(
                "tekun.no_source_of_living",
                CITE_INCOME,
                format!(
                    "{} 本人收入 {} 元/月（不计基础养老金、高龄津贴等），家庭金融资产 {} 元（上限 {} 人 × {} 个月低保标准 = {} 元）：{}",
                    m.id,
                    own.yuan_string(),
                    assets.yuan_string(),
                    f.counted.max(1),
                    p.tekun_financial_months,
                    limit.yuan_string(),
                    if no_living { "无生活来源" } else { "有生活来源" }
                ),
                format!(
                    "{}: own income {}, household financial assets {} (limit {}): {}",
                    m.id,
                    own.yuan_string(),
                    assets.yuan_string(),
                    limit.yuan_string(),
                    if no_living { "no source of living" } else { "has a source of living" }
                ),
            )
        });
        let verdict = support::verdict(h, i, &cx);
        t.param(P::tekun_supporter_dibao_age);
        t.param(P::tekun_supporter_elderly_age);
        t.param(P::prev_year_disposable_income);
        t.step(|| supporters_step(h, i, &verdict));
        let able_name = match &verdict {
            Verdict::Able(j, _) => Some(support::name(h, i, &j.duty)),
            _ => None,
        };
        if let Some(name) = able_name {
            // 43号 Art. 4(3) fails: someone owes support and can give it. Not 特困 (低保 may
            // apply to the household instead).
            answer.failure = Some(Failure::SupporterAble);
            answer.able_supporter = Some(name);
            out.push(answer);
            continue;
        }
        if !no_living {
            answer.failure = Some(Failure::HasLiving);
            // One condition short: 接近符合 when only income is slightly above (within 低保边缘).
            if p.edge_income_multiple.is_below(own, p.dibao_standard) {
                answer.outcome = Outcome::Nearly;
            }
            out.push(answer);
            continue;
        }
        if matches!(verdict, Verdict::Unknown(_)) {
            // Conditions (1) and (2) hold but (3) cannot be judged: the caseworker records the
            // relations, and until then the answer is 接近符合, never a silent 符合.
            answer.failure = Some(Failure::RelationsUnknown);
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

/// The explanation step of condition (3): each supporter with the clause of their duty and
/// whether (and why not) they can support.
fn supporters_step(h: &Household, i: usize, v: &Verdict) -> crate::explain::Step {
    let id = &h.members[i].id;
    let describe = |all: &[support::Judged]| -> Vec<String> {
        all.iter()
            .map(|j| {
                format!(
                    "{} 负有义务（{}），{}",
                    support::name(h, i, &j.duty),
                    j.duty.clause,
                    match j.unable {
                        None => "有履行义务能力".to_owned(),
                        Some(why) => format!("无履行义务能力：{}", why.zh()),
                    }
                )
            })
            .collect()
    };
    let (zh, en) = match v {
        Verdict::NoneAble(all) if all.is_empty() => (
            format!("{id} 无法定赡养、抚养、扶养义务人"),
            format!("{id}: no legal supporter"),
        ),
        Verdict::NoneAble(all) => (
            format!(
                "{id} 的法定义务人均无履行义务能力：{}",
                describe(all).join("；")
            ),
            format!("{id}: {} supporters, none able", all.len()),
        ),
        Verdict::Able(j, all) => (
            format!(
                "{id} 有具备履行义务能力的法定义务人 {}：{}",
                support::name(h, i, &j.duty),
                describe(all).join("；")
            ),
            format!("{id}: a supporter is able to support"),
        ),
        Verdict::Unknown(missing) => (
            format!(
                "{id}：{} 未登记与户主关系，无法判断户内法定义务人，须补录后再认定",
                missing
                    .iter()
                    .map(|&j| h.members[j].id.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            format!("{id}: relations to the head missing; supporters cannot be judged"),
        ),
    };
    step("tekun.supporters", CITE_SUPPORTER, zh, en)
}
