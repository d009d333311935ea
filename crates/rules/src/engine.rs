//! The engine: a policy file plus a cache of resolved parameters, answering the needs
//! assessment (S2) for one household with explanations, or 低保 alone for batches without.

use crate::explain::{Recorder, Silent, Tracer};
use crate::facts::{Facts, facts};
use crate::input::{Household, PriceIndex};
use crate::output::{
    Assessment, MemberAmount, Mode, Outcome, PolicyRef, Programme, ProgrammeResult,
};
use crate::params::{Params, PolicyError, PolicySet};
use crate::programmes::{dibao, disability, edge, exclusive, price, referrals, tekun, temporary};
use crate::ratio::Ratio;
use chrono::NaiveDate;
use jiuzhu_domain::person::HukouType;
use jiuzhu_domain::{Money, RegionCode};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Why a household could not be assessed: names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// A field of the input is wrong.
    #[error("{field}：{problem}")]
    Input {
        /// JSON path of the field, e.g. `members[1].adl_lost`.
        field: String,
        /// What is wrong, in Chinese.
        problem: String,
    },
    /// The policy has no value for this region or date.
    #[error(transparent)]
    Policy(#[from] PolicyError),
}

fn bad(field: impl Into<String>, problem: impl Into<String>) -> EvalError {
    EvalError::Input {
        field: field.into(),
        problem: problem.into(),
    }
}

/// A loaded policy with resolved parameters cached per (region, area, date).
#[derive(Debug)]
pub struct Engine {
    policy: PolicySet,
    cache: RwLock<HashMap<(String, HukouType, NaiveDate), Arc<Params>>>,
}

const CACHE_LIMIT: usize = 20_000;

impl Engine {
    /// An engine for one policy file.
    pub fn new(policy: PolicySet) -> Self {
        Engine {
            policy,
            cache: RwLock::new(HashMap::new()),
        }
    }

    /// The policy.
    pub fn policy(&self) -> &PolicySet {
        &self.policy
    }

    /// The parameters for a region, area and date (cached).
    pub fn params(
        &self,
        region: &RegionCode,
        area: HukouType,
        date: NaiveDate,
    ) -> Result<Arc<Params>, PolicyError> {
        let key = (region.as_str().to_owned(), area, date);
        if let Some(p) = self
            .cache
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(p.clone());
        }
        let p = Arc::new(self.policy.resolve(region, area, date)?);
        let mut cache = self.cache.write().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key, p.clone());
        Ok(p)
    }

    /// Checks a household and resolves its parameters.
    pub fn prepare(&self, h: &Household, date: NaiveDate) -> Result<Arc<Params>, EvalError> {
        validate(h, date)?;
        let region = RegionCode::parse(&h.region).map_err(|e| bad("region", e.to_string()))?;
        if !self.policy.jurisdiction.contains(&region) {
            return Err(bad(
                "region",
                format!("{} 不在政策文件 {} 的辖区内", h.region, self.policy.file),
            ));
        }
        Ok(self.params(&region, h.area.into(), date)?)
    }

    /// The full needs assessment (S2), with explanations when `explain`.
    pub fn assess(
        &self,
        h: &Household,
        date: NaiveDate,
        explain: bool,
    ) -> Result<Assessment, EvalError> {
        let p = self.prepare(h, date)?;
        Ok(if explain {
            assess_with(h, date, &p, &self.policy, &mut Recorder::default())
        } else {
            assess_with(h, date, &p, &self.policy, &mut Silent)
        })
    }

    /// 低保 alone, without explanation: the batch path (re-assessing a whole caseload).
    pub fn dibao(&self, h: &Household, date: NaiveDate) -> Result<dibao::DibaoAnswer, EvalError> {
        let p = self.prepare(h, date)?;
        Ok(dibao_fast(h, date, &p))
    }
}

/// A household whose fields the rules can read: at least one member, unique member ids,
/// incomes that name existing members, ADL and disability grades in range, readable price
/// indices. Checking once and evaluating many times (one run per reform) is the batch path.
#[derive(Debug, Clone, Copy)]
pub struct Checked<'a>(&'a Household);

impl<'a> Checked<'a> {
    /// Checks a household, naming the first wrong field.
    pub fn new(h: &'a Household) -> Result<Self, EvalError> {
        validate_fields(h)?;
        Ok(Checked(h))
    }

    /// The household.
    pub fn household(self) -> &'a Household {
        self.0
    }
}

/// Re-assesses many households with no explanations (a caseload after a change of standards,
/// S6): parameters are resolved once per region and area and kept here, so each household
/// costs only its own arithmetic.
#[derive(Debug)]
pub struct Batch<'e> {
    engine: &'e Engine,
    date: NaiveDate,
    index: rustc_hash::FxHashMap<String, usize>,
    params: Vec<[Option<Arc<Params>>; 2]>,
}

impl<'e> Batch<'e> {
    /// A batch on one date.
    pub fn new(engine: &'e Engine, date: NaiveDate) -> Self {
        Batch {
            engine,
            date,
            index: Default::default(),
            params: Vec::new(),
        }
    }

    fn params_for(&mut self, h: &Household) -> Result<&Params, EvalError> {
        let slot = match h.area {
            crate::input::Area::Urban => 0,
            crate::input::Area::Rural => 1,
        };
        let i = match self.index.get(h.region.as_str()) {
            Some(i) => *i,
            None => {
                self.params.push([None, None]);
                self.index.insert(h.region.clone(), self.params.len() - 1);
                self.params.len() - 1
            }
        };
        if self.params[i][slot].is_none() {
            self.params[i][slot] = Some(self.engine.prepare(h, self.date)?);
        }
        Ok(self.params[i][slot].as_deref().expect("just resolved"))
    }

    /// 低保 for one checked household.
    pub fn dibao(&mut self, h: Checked<'_>) -> Result<dibao::DibaoAnswer, EvalError> {
        let h = h.0;
        validate_date(h, self.date)?;
        let date = self.date;
        let p = self.params_for(h)?;
        Ok(dibao_fast(h, date, p))
    }

    /// The full assessment of one checked household, without explanation.
    pub fn assess(&mut self, h: Checked<'_>) -> Result<Assessment, EvalError> {
        let h = h.0;
        validate_date(h, self.date)?;
        let date = self.date;
        let policy = &self.engine.policy;
        let p = self.params_for(h)?;
        Ok(assess_with(h, date, p, policy, &mut Silent))
    }
}

/// 低保 for one household with resolved parameters and no explanation.
pub fn dibao_fast(h: &Household, date: NaiveDate, p: &Params) -> dibao::DibaoAnswer {
    let f = facts(h, date, p, &mut Silent);
    dibao::dibao(h, &f, p, &mut Silent)
}

/// Refuses inputs the rules cannot read on `date`, naming the field.
pub fn validate(h: &Household, date: NaiveDate) -> Result<(), EvalError> {
    validate_fields(h)?;
    validate_date(h, date)
}

/// Nobody may be born after the assessment date.
fn validate_date(h: &Household, date: NaiveDate) -> Result<(), EvalError> {
    match h.members.iter().position(|m| m.birth_date > date) {
        Some(i) => Err(bad(
            format!("members[{i}].birth_date"),
            "出生日期晚于评估日期",
        )),
        None => Ok(()),
    }
}

/// The checks that do not depend on the date.
fn validate_fields(h: &Household) -> Result<(), EvalError> {
    if h.members.is_empty() {
        return Err(bad("members", "家庭至少要有一名成员"));
    }
    for (i, m) in h.members.iter().enumerate() {
        if m.id.trim().is_empty() {
            return Err(bad(format!("members[{i}].id"), "成员编号不能为空"));
        }
        if h.members[..i].iter().any(|o| o.id == m.id) {
            return Err(bad(
                format!("members[{i}].id"),
                format!("成员编号 {} 重复", m.id),
            ));
        }
        if m.adl_lost > 6 {
            return Err(bad(
                format!("members[{i}].adl_lost"),
                "丧失的日常生活活动项数应为 0–6",
            ));
        }
        if let Some(d) = m.disability
            && !(1..=4).contains(&d.grade)
        {
            return Err(bad(
                format!("members[{i}].disability.grade"),
                "残疾等级应为 1–4 级",
            ));
        }
    }
    for (i, inc) in h.incomes.iter().enumerate() {
        if let Some(id) = &inc.member
            && !h.members.iter().any(|m| &m.id == id)
        {
            return Err(bad(
                format!("incomes[{i}].member"),
                format!("没有编号为 {id} 的成员"),
            ));
        }
    }
    if let Some(pi) = &h.price_index {
        parse_index(&pi.cpi, "price_index.cpi")?;
        parse_index(&pi.food_cpi, "price_index.food_cpi")?;
    }
    Ok(())
}

fn parse_index(s: &str, field: &str) -> Result<Ratio, EvalError> {
    Ratio::parse(s).ok_or_else(|| bad(field, format!("涨幅格式错误：{s}（应如 \"3.8%\"）")))
}

fn finish<T: Tracer>(mut r: ProgrammeResult, t: T, p: &Params) -> ProgrammeResult {
    r.explanation = t.explanation(p);
    r
}

/// Runs every programme. `T` is [`Recorder`] or [`Silent`]; each programme gets its own.
fn assess_with<T>(
    h: &Household,
    date: NaiveDate,
    p: &Params,
    policy: &PolicySet,
    shared: &mut T,
) -> Assessment
where
    T: Tracer + Default + Clone,
{
    let f = facts(h, date, p, shared);
    let mut results = Vec::new();

    // 低保 (S4, S11).
    let mut t = T::default();
    let d = dibao::dibao(h, &f, p, &mut t);
    results.push(finish(dibao_result(h, &f, &d), t, p));

    // 特困 (S5).
    let mut t = T::default();
    // 43号 Art. 8(2) reads "低保对象": the whole household on 低保 (not a 单人户 member alone).
    let household_dibao = (d.outcome == Outcome::Eligible && d.mode != Some(Mode::SinglePerson))
        || h.current_dibao.is_some();
    let tk = tekun::tekun(h, &f, household_dibao, p, &mut t);
    let tekun_member = |i: usize| {
        tk.iter()
            .any(|a| a.member == i && a.outcome == Outcome::Eligible)
    };
    results.push(finish(tekun_result(h, &tk), t, p));
    let any_tekun = tk.iter().any(|a| a.outcome == Outcome::Eligible);

    // 低保边缘, 刚性支出困难 (§3).
    let dibao_admitted = d.outcome == Outcome::Eligible && d.mode != Some(Mode::SinglePerson);
    let mut t = T::default();
    let (edge_outcome, zh, en) = edge::edge(h, &f, dibao_admitted, p, &mut t);
    results.push(finish(
        ProgrammeResult::new(Programme::Edge, edge_outcome).because(zh, en),
        t,
        p,
    ));
    let is_edge = edge_outcome == Outcome::Eligible;
    let mut t = T::default();
    let (rigid_outcome, zh, en) =
        edge::rigid(h, &f, dibao_admitted || any_tekun || is_edge, p, &mut t);
    results.push(finish(
        ProgrammeResult::new(Programme::RigidSpending, rigid_outcome).because(zh, en),
        t,
        p,
    ));

    // 残疾人两项补贴 (S6).
    let in_dibao = |i: usize| dibao_admitted || d.single.iter().any(|(k, _)| *k == i);
    let mut t = T::default();
    let living = disability::living(h, &in_dibao, is_edge, &tekun_member, p, &mut t);
    results.push(finish(
        members_result(Programme::DisabilityLiving, living, "残疾人生活补贴"),
        t,
        p,
    ));
    let mut t = T::default();
    let care = disability::care(h, &tekun_member, p, &mut t);
    results.push(finish(
        members_result(Programme::DisabilityCare, care, "重度残疾人护理补贴"),
        t,
        p,
    ));

    // 临时救助 (S14).
    if let Some(hd) = &h.hardship {
        let mut t = T::default();
        let a = temporary::temporary(hd, &f, p, &mut t);
        let mut r = ProgrammeResult::new(Programme::Temporary, a.outcome);
        r.one_off_fen = Some(a.amount.fen());
        r.approval = Some(a.approval);
        r.advance_possible = Some(a.advance);
        let r = if a.outcome == Outcome::Eligible {
            r.because(
                format!(
                    "临时救助 {} 元，{}",
                    a.amount.yuan_string(),
                    a.approval.zh()
                ),
                format!(
                    "temporary assistance {}; {}",
                    a.amount.yuan_string(),
                    a.approval.en()
                ),
            )
        } else {
            r.because(
                "支出型临时救助要求人均收入低于上年度人均可支配收入",
                "income above the expenditure-type limit",
            )
        };
        results.push(finish(r, t, p));
    }

    // 价格临时补贴 (S16).
    if let Some(pi) = &h.price_index {
        let mut t = T::default();
        let r = price_result(h, pi, &d, dibao_admitted, is_edge, &tekun_member, p, &mut t);
        results.push(finish(r, t, p));
    }

    // 专项救助 referrals (S2, S8–S12).
    let groups = referrals::Groups {
        dibao: d.outcome == Outcome::Eligible,
        tekun: any_tekun,
        edge: is_edge,
        rigid: rigid_outcome == Outcome::Eligible,
    };
    results.extend(referrals::referrals(h, &f, groups, p));

    let overlaps = exclusive::resolve(h, &mut results, p);

    results.sort_by_key(|r| match r.outcome {
        Outcome::Eligible => 0,
        Outcome::Nearly => 1,
        Outcome::NotEligible => 2,
    });
    Assessment {
        household: h.id.clone(),
        date,
        region: h.region.clone(),
        area: h.area,
        policy: PolicyRef {
            file: policy.file.clone(),
            version: policy.version.clone(),
        },
        counted_members: f.counted,
        net_income_fen: f.net.fen(),
        per_capita_income_fen: f.per_capita.fen(),
        standard_fen: f.standard.fen(),
        results,
        overlaps,
        not_assessed: referrals::not_assessed(h),
        explanation: shared.clone().explanation(p),
        input: T::ON.then(|| h.clone()),
    }
}

fn dibao_result(h: &Household, f: &Facts, d: &dibao::DibaoAnswer) -> ProgrammeResult {
    let mut r = ProgrammeResult::new(Programme::Dibao, d.outcome);
    r.monthly_fen = d.monthly.fen();
    r.mode = d.mode;
    r.review_months = d.review_months;
    r.gradual_exit_months_left = d.gradual_left;
    r.members = d
        .single
        .iter()
        .map(|(i, m)| MemberAmount {
            member: h.members[*i].id.clone(),
            monthly_fen: m.fen(),
            care_tier: None,
        })
        .collect();
    match (d.mode, d.failure) {
        (Some(Mode::WholeHousehold), _) => r.because(
            format!(
                "人均收入 {} 元低于低保标准 {} 元，财产符合规定；全户 {} 人纳入，每月 {} 元",
                f.per_capita.yuan_string(),
                f.standard.yuan_string(),
                f.counted,
                d.monthly.yuan_string()
            ),
            "income below the standard, assets within limits; whole household admitted",
        ),
        (Some(Mode::GradualExit), _) => r.because(
            format!(
                "因就业人均收入升至 {} 元，进入渐退期，每月 {} 元，剩余 {} 个月",
                f.per_capita.yuan_string(),
                d.monthly.yuan_string(),
                d.gradual_left.unwrap_or(0)
            ),
            "income rose through work: gradual exit",
        ),
        (Some(Mode::SinglePerson), _) => r.because(
            "家庭人均收入不低于标准但属低保边缘家庭；重度残疾或重病成员可按单人户纳入",
            "marginal household: severely disabled or seriously ill members admitted individually",
        ),
        (None, Some(dibao::Failure::Assets(fail))) => r.because(
            format!(
                "{}（收入符合：人均 {} 元）",
                fail.zh(&h.assets),
                f.per_capita.yuan_string()
            ),
            fail.en(&h.assets),
        ),
        (None, Some(dibao::Failure::NoMembers)) => {
            r.because("没有计入的共同生活家庭成员", "no member counted")
        }
        _ => r.because(
            format!(
                "人均收入 {} 元不低于低保标准 {} 元",
                f.per_capita.yuan_string(),
                f.standard.yuan_string()
            ),
            "per-capita income not below the standard",
        ),
    }
}

fn tekun_result(h: &Household, tk: &[tekun::TekunAnswer]) -> ProgrammeResult {
    let eligible: Vec<_> = tk
        .iter()
        .filter(|a| a.outcome == Outcome::Eligible)
        .collect();
    let nearly: Vec<_> = tk.iter().filter(|a| a.outcome == Outcome::Nearly).collect();
    let outcome = if !eligible.is_empty() {
        Outcome::Eligible
    } else if !nearly.is_empty() {
        Outcome::Nearly
    } else {
        Outcome::NotEligible
    };
    let mut r = ProgrammeResult::new(Programme::Tekun, outcome);
    r.members = eligible
        .iter()
        .map(|a| MemberAmount {
            member: h.members[a.member].id.clone(),
            monthly_fen: a.monthly.fen(),
            care_tier: Some(a.tier),
        })
        .collect();
    r.monthly_fen = eligible.iter().map(|a| a.monthly.fen()).sum();
    for a in tk {
        let id = &h.members[a.member].id;
        let (zh, en) = match (a.outcome, a.failure) {
            (Outcome::Eligible, _) => (
                format!(
                    "{id} 符合特困条件（{}），每月 {} 元",
                    a.tier.zh(),
                    a.monthly.yuan_string()
                ),
                format!("{id} eligible ({})", a.tier.en()),
            ),
            (_, Some(tekun::Failure::NotInGroup)) => continue,
            (_, Some(tekun::Failure::SupporterAble)) => (
                format!(
                    "{id} 有具备履行义务能力的法定义务人{}，不符合特困条件（民发〔2021〕43号 第4条第3项）",
                    a.able_supporter
                        .as_deref()
                        .map(|n| format!(" {n}"))
                        .unwrap_or_default()
                ),
                format!("{id}: a supporter is able to support"),
            ),
            (_, Some(tekun::Failure::RelationsUnknown)) => (
                format!(
                    "{id} 符合无劳动能力、无生活来源，但家庭成员与户主关系未登记，无法判断法定义务人"
                ),
                format!("{id}: relations to the head missing"),
            ),
            (_, Some(tekun::Failure::HasLiving)) => (
                format!("{id} 本人收入或财产超过特困标准"),
                format!("{id}: has a source of living"),
            ),
            (_, Some(tekun::Failure::OrphanTrack)) => (
                format!("{id} 已选择孤儿保障，不认定为特困"),
                format!("{id}: orphan track"),
            ),
            (_, Some(tekun::Failure::NotPresent)) => (
                format!("{id} 不属共同生活家庭成员（服刑、失踪等）"),
                format!("{id}: not present"),
            ),
            (_, None) => continue,
        };
        r.reasons.push(crate::output::Reason::new(zh, en));
    }
    if r.reasons.is_empty() {
        r = r.because(
            "没有老年人、未成年人或符合条件的残疾人",
            "no elderly, minor or qualifying disabled member",
        );
    }
    r
}

fn members_result(programme: Programme, members: Vec<MemberAmount>, what: &str) -> ProgrammeResult {
    let outcome = if members.is_empty() {
        Outcome::NotEligible
    } else {
        Outcome::Eligible
    };
    let mut r = ProgrammeResult::new(programme, outcome);
    r.monthly_fen = members.iter().map(|m| m.monthly_fen).sum();
    let r2 = if members.is_empty() {
        r.clone()
            .because(format!("无成员符合{what}条件"), "no member qualifies")
    } else {
        let ids: Vec<_> = members.iter().map(|m| m.member.as_str()).collect();
        r.clone().because(
            format!("{} 享受{what}", ids.join("、")),
            format!("{} qualify", ids.join(", ")),
        )
    };
    ProgrammeResult { members, ..r2 }
}

#[allow(clippy::too_many_arguments)]
fn price_result<T: Tracer>(
    h: &Household,
    pi: &PriceIndex,
    d: &dibao::DibaoAnswer,
    dibao_admitted: bool,
    edge: bool,
    tekun_member: &dyn Fn(usize) -> bool,
    p: &Params,
    t: &mut T,
) -> ProgrammeResult {
    let cpi = Ratio::parse(&pi.cpi).unwrap_or_default();
    let food = Ratio::parse(&pi.food_cpi).unwrap_or_default();
    let Some(rise) = price::trigger(cpi, food, p, t) else {
        return ProgrammeResult::new(Programme::PriceSubsidy, Outcome::NotEligible)
            .because("价格涨幅未达到启动条件", "price rises below the triggers");
    };
    let amount = price::per_person(rise, p, t);
    t.param(crate::params::P::price_include_edge);
    t.param(crate::params::P::price_include_orphans);
    let covered: Vec<MemberAmount> = h
        .members
        .iter()
        .enumerate()
        .filter(|(i, m)| {
            crate::facts::is_counted(m)
                && (dibao_admitted
                    || d.single.iter().any(|(k, _)| k == i)
                    || tekun_member(*i)
                    || m.unemployment_insurance
                    || m.youfu
                    || (m.orphan.is_some() && p.price_include_orphans)
                    || (edge && p.price_include_edge))
        })
        .map(|(_, m)| MemberAmount {
            member: m.id.clone(),
            monthly_fen: amount.fen(),
            care_tier: None,
        })
        .collect();
    let outcome = if covered.is_empty() {
        Outcome::NotEligible
    } else {
        Outcome::Eligible
    };
    let mut r = ProgrammeResult::new(Programme::PriceSubsidy, outcome);
    r.monthly_fen = covered.iter().map(|m| m.monthly_fen).sum::<i64>();
    r.members = covered;
    if r.members.is_empty() {
        r.because(
            "已启动，但家庭成员不属保障范围",
            "triggered, but no member is in a covered group",
        )
    } else {
        let n = r.members.len();
        let total = Money::from_fen(r.monthly_fen);
        r.because(
            format!(
                "价格联动机制启动：{n} 人各 {} 元，共 {} 元",
                amount.yuan_string(),
                total.yuan_string()
            ),
            format!("triggered: {n} people × {}", amount.yuan_string()),
        )
    }
}
