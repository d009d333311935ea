//! S5: 法定义务人 — who owes a member support (赡养、抚养、扶养) and whether they can give it,
//! for 特困 condition (3) (民发〔2021〕43号 第4条第3项, 第8条; POLICY-FACTS §2.1, §2.4).
//!
//! Inside the household the duties are derived from each member's relation to the head
//! (民法典 第1059条 spouses; 第1067条 parents and children; 第1074条 grandparents and
//! grandchildren; 第1075条 siblings); outside it they are the supporters the caseworker
//! recorded. Spouses, parents and children are first in line; grandparents, grandchildren and
//! older siblings owe support only when those are dead or unable, so they are looked at only
//! when no one first in line is able. A supporter is unable in the five cases of 43号 Art. 8.

use crate::explain::Silent;
use crate::facts::own_income;
use crate::facts::{Facts, age, assets_within};
use crate::input::{DisabilityKind, Household, Member, Presence, Relation, Supporter};
use crate::params::{P, Params};

/// What `b` is to `a`, derived from both members' relations to the head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kin {
    /// 配偶.
    Spouse,
    /// 父母.
    Parent,
    /// 子女.
    Child,
    /// 祖父母、外祖父母.
    Grandparent,
    /// 孙子女、外孙子女.
    Grandchild,
    /// 兄弟姐妹.
    Sibling,
}

impl Kin {
    /// In Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            Kin::Spouse => "配偶",
            Kin::Parent => "父母",
            Kin::Child => "子女",
            Kin::Grandparent => "祖父母/外祖父母",
            Kin::Grandchild => "孙子女/外孙子女",
            Kin::Sibling => "兄弟姐妹",
        }
    }

    fn of_relation(r: Relation) -> Option<Kin> {
        Some(match r {
            Relation::Spouse => Kin::Spouse,
            Relation::Parent => Kin::Parent,
            Relation::Child => Kin::Child,
            Relation::Grandparent => Kin::Grandparent,
            Relation::Grandchild => Kin::Grandchild,
            Relation::Sibling => Kin::Sibling,
            Relation::Head | Relation::ChildInLaw | Relation::Other => return None,
        })
    }
}

/// What `b` is to `a` when `a` and `b` stand in relations `ra` and `rb` to the head, and
/// whether it is presumed (the head's spouse is taken to be the parent of the head's
/// children, a child or child-in-law the parent of the grandchildren, the head's two parents
/// spouses, the head's grandparent the parent of the head's parent). In-laws and `其他` owe
/// no support (民法典 has no such duty).
pub fn kin(ra: Relation, rb: Relation) -> Option<(Kin, bool)> {
    use Relation::*;
    let certain = |k| Some((k, false));
    let presumed = |k| Some((k, true));
    match (ra, rb) {
        (Head, r) => Kin::of_relation(r).map(|k| (k, false)),
        (r, Head) => match r {
            Spouse => certain(Kin::Spouse),
            Child => certain(Kin::Parent),
            Parent => certain(Kin::Child),
            Grandchild => certain(Kin::Grandparent),
            Grandparent => certain(Kin::Grandchild),
            Sibling => certain(Kin::Sibling),
            Head | ChildInLaw | Other => None,
        },
        (Spouse, Child) => presumed(Kin::Child),
        (Child, Spouse) => presumed(Kin::Parent),
        (Spouse, Grandchild) => presumed(Kin::Grandchild),
        (Grandchild, Spouse) => presumed(Kin::Grandparent),
        (Child, Child) | (Sibling, Sibling) => certain(Kin::Sibling),
        (Parent, Sibling) => certain(Kin::Child),
        (Sibling, Parent) => certain(Kin::Parent),
        (Parent, Parent) => presumed(Kin::Spouse),
        (Parent, Child) => certain(Kin::Grandchild),
        (Child, Parent) => certain(Kin::Grandparent),
        (Grandparent, Sibling) => certain(Kin::Grandchild),
        (Sibling, Grandparent) => certain(Kin::Grandparent),
        (Child | ChildInLaw, Grandchild) => presumed(Kin::Child),
        (Grandchild, Child | ChildInLaw) => presumed(Kin::Parent),
        (Grandparent, Parent) => presumed(Kin::Child),
        (Parent, Grandparent) => presumed(Kin::Parent),
        _ => None,
    }
}

/// Who a supporter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Another member of the household (index).
    Member(usize),
    /// The n-th supporter recorded outside the household.
    Outside(usize),
}

/// A legal duty of support owed to a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duty {
    /// Who owes it.
    pub who: Who,
    /// What the supporter is to the member, when known.
    pub kin: Option<Kin>,
    /// First in line (spouse, parent, child) or only when those are dead or unable.
    pub first_in_line: bool,
    /// The kinship was presumed from the relations to the head.
    pub presumed: bool,
    /// The clause of the Civil Code.
    pub clause: &'static str,
}

/// Which case of 43号 Art. 8 makes a supporter unable to support.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inability {
    /// (1) 本人是特困人员.
    Tekun,
    /// (2) 60 周岁以上的低保对象.
    ElderlyDibao,
    /// (3) 70 周岁以上，收入低于上年度人均可支配收入，财产符合低收入家庭规定.
    Elderly,
    /// (4) 重度残疾，收入和财产同上.
    SevereDisability,
    /// (5) 无民事行为能力、被宣告失踪或在监狱服刑，财产符合规定.
    Incapacity,
}

impl Inability {
    /// In Chinese, with the case of 43号 Art. 8.
    pub fn zh(self) -> &'static str {
        match self {
            Inability::Tekun => "本人为特困人员（43号第8条第1项）",
            Inability::ElderlyDibao => "60周岁以上的低保对象（43号第8条第2项）",
            Inability::Elderly => {
                "70周岁以上，收入低于上年度人均可支配收入且财产符合规定（43号第8条第3项）"
            }
            Inability::SevereDisability => {
                "重度残疾，收入低于上年度人均可支配收入且财产符合规定（43号第8条第4项）"
            }
            Inability::Incapacity => {
                "无（限制）民事行为能力、被宣告失踪或在监狱服刑，财产符合规定（43号第8条第5项）"
            }
        }
    }
}

/// One supporter as the rules judged them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// The duty.
    pub duty: Duty,
    /// Why they cannot support, or `None` when they can.
    pub unable: Option<Inability>,
}

/// The answer to 特困 condition (3) for one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No legal supporter, or every one unable: the condition holds.
    NoneAble(Vec<Judged>),
    /// This supporter can support: the condition fails.
    Able(Judged, Vec<Judged>),
    /// Relations to the head are missing in a household of several people: who owes support
    /// cannot be told (the members named).
    Unknown(Vec<usize>),
}

/// Grade 1–2, or grade-3 intellectual or mental disability (43号 Art. 8(4)).
fn severe(m: &Member) -> bool {
    m.disability.is_some_and(|d| {
        d.grade <= 2
            || (d.grade == 3
                && matches!(
                    d.category,
                    DisabilityKind::Intellectual | DisabilityKind::Mental
                ))
    })
}

/// 不能独立生活的成年子女 (民法典 第1067条): no labour capacity through disability, a serious
/// illness, or daily-living activities lost.
fn cannot_live_independently(m: &Member) -> bool {
    crate::facts::disability_counts(m) || m.serious_illness || m.adl_lost > 0
}

/// The duty `b` owes `a` (if any) as `kin` of `a`, on `date`.
fn duty_of(
    kin: Kin,
    a: &Member,
    b: &Member,
    date: chrono::NaiveDate,
) -> Option<(bool, &'static str)> {
    // 民法典 第17条: eighteen is the age of majority (a national constant, not a local figure).
    const ADULT: u32 = 18;
    let (age_a, age_b) = (age(a, date), age(b, date));
    match kin {
        Kin::Spouse => Some((true, "民法典 第1059条（夫妻相互扶养）")),
        Kin::Parent if age_a < ADULT || cannot_live_independently(a) => Some((
            true,
            "民法典 第1067条第1款（父母抚养未成年或不能独立生活的成年子女）",
        )),
        Kin::Child if age_b >= ADULT => Some((true, "民法典 第1067条第2款（成年子女赡养父母）")),
        Kin::Grandparent if age_a < ADULT => Some((
            false,
            "民法典 第1074条第1款（父母死亡或无力抚养时，祖父母抚养未成年孙子女）",
        )),
        Kin::Grandchild if age_b >= ADULT => Some((
            false,
            "民法典 第1074条第2款（子女死亡或无力赡养时，孙子女赡养祖父母）",
        )),
        Kin::Sibling if age_a < ADULT && age_b >= ADULT && b.birth_date < a.birth_date => Some((
            false,
            "民法典 第1075条第1款（父母死亡或无力抚养时，兄、姐扶养未成年弟、妹）",
        )),
        _ => None,
    }
}

/// Everything the supporter test needs besides the household.
pub struct Ctx<'a> {
    /// The household's facts.
    pub facts: &'a Facts,
    /// The parameters.
    pub params: &'a Params,
    /// The household is on 低保 now or comes out eligible in this assessment.
    pub household_dibao: bool,
    /// Member i meets 特困 conditions (1) and (2) in this assessment (so counts as 特困, 43号
    /// Art. 8(1): an old couple with nothing are each other's spouse and both unable).
    pub meets_tekun: &'a dyn Fn(usize) -> bool,
}

/// 特困 condition (3) for member `i`.
pub fn verdict(h: &Household, i: usize, cx: &Ctx<'_>) -> Verdict {
    let p = cx.params;
    let date = cx.facts.date;
    let a = &h.members[i];
    let mut duties: Vec<Duty> = Vec::new();
    let others: Vec<usize> = (0..h.members.len()).filter(|&j| j != i).collect();
    let missing: Vec<usize> = if others.is_empty() {
        Vec::new()
    } else {
        std::iter::once(i)
            .chain(others.iter().copied())
            .filter(|&j| h.members[j].relation.is_none())
            .collect()
    };
    if missing.is_empty() {
        for &j in &others {
            let b = &h.members[j];
            let (Some(ra), Some(rb)) = (a.relation, b.relation) else {
                continue;
            };
            let Some((k, presumed)) = kin(ra, rb) else {
                continue;
            };
            if let Some((first, clause)) = duty_of(k, a, b, date) {
                duties.push(Duty {
                    who: Who::Member(j),
                    kin: Some(k),
                    first_in_line: first,
                    presumed,
                    clause,
                });
            }
        }
    }
    for (n, s) in a.supporters.iter().enumerate() {
        let k = s.relation.and_then(Kin::of_relation);
        let first = !matches!(k, Some(Kin::Grandparent | Kin::Grandchild | Kin::Sibling));
        duties.push(Duty {
            who: Who::Outside(n),
            kin: k,
            first_in_line: first,
            presumed: false,
            clause: "民发〔2021〕43号 第4条第3项（户外法定义务人，已登记）",
        });
    }
    let assets_ok = assets_within(
        h,
        cx.facts,
        p.edge_financial_months,
        P::edge_financial_months,
        p,
        &mut Silent,
        "support.assets",
    )
    .is_ok();
    let judged: Vec<Judged> = duties
        .into_iter()
        .map(|d| Judged {
            duty: d,
            unable: match d.who {
                Who::Member(j) => member_unable(h, j, assets_ok, cx),
                Who::Outside(n) => outside_unable(&a.supporters[n], p),
            },
        })
        .collect();
    // Those first in line before the others (民法典 第1074、1075条: only when they cannot).
    let able = |first: bool| {
        judged
            .iter()
            .position(|j| j.duty.first_in_line == first && j.unable.is_none())
    };
    if let Some(k) = able(true).or_else(|| able(false)) {
        return Verdict::Able(judged[k].clone(), judged);
    }
    if !missing.is_empty() {
        return Verdict::Unknown(missing);
    }
    Verdict::NoneAble(judged)
}

fn member_unable(h: &Household, j: usize, assets_ok: bool, cx: &Ctx<'_>) -> Option<Inability> {
    let p = cx.params;
    let b = &h.members[j];
    let age_b = age(b, cx.facts.date);
    let low_income = own_income(h, b) < p.prev_year_disposable_income;
    if b.tekun_now || (cx.meets_tekun)(j) {
        Some(Inability::Tekun)
    } else if cx.household_dibao && age_b >= p.tekun_supporter_dibao_age {
        Some(Inability::ElderlyDibao)
    } else if age_b >= p.tekun_supporter_elderly_age && low_income && assets_ok {
        Some(Inability::Elderly)
    } else if severe(b) && low_income && assets_ok {
        Some(Inability::SevereDisability)
    } else if (b.civil_incapacity || matches!(b.presence, Presence::Imprisoned | Presence::Missing))
        && assets_ok
    {
        Some(Inability::Incapacity)
    } else {
        None
    }
}

fn outside_unable(s: &Supporter, p: &Params) -> Option<Inability> {
    let low_income = s.income_monthly.0 < p.prev_year_disposable_income;
    let assets_ok = !s.assets_above_limit;
    if s.tekun {
        Some(Inability::Tekun)
    } else if s.dibao && s.age >= p.tekun_supporter_dibao_age {
        Some(Inability::ElderlyDibao)
    } else if s.age >= p.tekun_supporter_elderly_age && low_income && assets_ok {
        Some(Inability::Elderly)
    } else if s.severe_disability && low_income && assets_ok {
        Some(Inability::SevereDisability)
    } else if s.incapacitated && assets_ok {
        Some(Inability::Incapacity)
    } else {
        None
    }
}

/// How an explanation names a supporter: `成员2（父母，同户）` or `长子（子女，户外）`.
pub fn name(h: &Household, i: usize, d: &Duty) -> String {
    let kin = d.kin.map(Kin::zh).unwrap_or("法定义务人");
    match d.who {
        Who::Member(j) => format!(
            "{}（{kin}，同户{}）",
            h.members[j].id,
            if d.presumed {
                "，按与户主关系推定"
            } else {
                ""
            }
        ),
        Who::Outside(n) => {
            let s = &h.members[i].supporters[n];
            let label = s
                .label
                .clone()
                .unwrap_or_else(|| format!("户外义务人{}", n + 1));
            format!("{label}（{kin}，户外）")
        }
    }
}
