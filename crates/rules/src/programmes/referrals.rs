//! Special assistance leads (专项救助, S2, S8–S12): who in the household should be referred to
//! medical, education, housing, employment or disaster assistance and which department
//! handles it (一门受理、协同办理, S20). These are referrals, not amounts: each department
//! decides under its own rules.

use crate::facts::{Facts, able_to_work, is_counted};
use crate::input::{HardshipKind, Household};
use crate::output::{NotAssessed, Outcome, Programme, ProgrammeResult};
use crate::params::Params;

/// The groups a household belongs to after the main programmes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Groups {
    /// 低保 (any mode).
    pub dibao: bool,
    /// Any member 特困.
    pub tekun: bool,
    /// 低保边缘.
    pub edge: bool,
    /// 刚性支出困难.
    pub rigid: bool,
}

impl Groups {
    fn any(self) -> bool {
        self.dibao || self.tekun || self.edge || self.rigid
    }
}

/// Programmes left out for want of a fact: 住房救助 without a recorded housing situation,
/// 临时救助 and 受灾人员救助 without a reported hardship, 价格临时补贴 without this month's
/// price indices.
pub fn not_assessed(h: &Household) -> Vec<NotAssessed> {
    let mut out = Vec::new();
    if h.hardship.is_none() {
        out.push(NotAssessed::new(
            Programme::Temporary,
            "未登记急难或支出型困难情形",
            "no hardship reported",
        ));
    }
    if h.price_index.is_none() {
        out.push(NotAssessed::new(
            Programme::PriceSubsidy,
            "未提供本月价格指数",
            "no price indices for the month",
        ));
    }
    if h.housing_need.is_none() {
        out.push(NotAssessed::new(
            Programme::Housing,
            "未登记住房状况",
            "housing situation not recorded",
        ));
    }
    if h.hardship.is_none() {
        out.push(NotAssessed::new(
            Programme::Disaster,
            "未报告灾害或急难情形",
            "no disaster or emergency reported",
        ));
    }
    out
}

/// The referral results.
pub fn referrals(h: &Household, f: &Facts, g: Groups, p: &Params) -> Vec<ProgrammeResult> {
    let mut out = Vec::new();
    let counted = || h.members.iter().filter(|m| is_counted(m));
    // S8 医疗救助: 低保, 特困, 边缘 members; 因病致贫 (heavy medical spending) in 刚性支出 households.
    let ill: Vec<String> = counted()
        .filter(|m| m.serious_illness)
        .map(|m| m.id.clone())
        .collect();
    let medical = if g.any() {
        ProgrammeResult::new(Programme::Medical, Outcome::Eligible).because(
            "属救助对象，资助参加城乡居民医保，住院和门诊慢特病费用按规定救助（国办发〔2021〕42号）",
            "in an assisted group: subsidised insurance and medical assistance (S8)",
        )
    } else if !ill.is_empty() {
        ProgrammeResult::new(Programme::Medical, Outcome::Nearly).because(
            format!(
                "{} 患重特大疾病，可按因病致贫重病患者申请医疗救助",
                ill.join("、")
            ),
            "serious illness: may apply as a patient impoverished by illness",
        )
    } else {
        ProgrammeResult::new(Programme::Medical, Outcome::NotEligible)
            .because("不属医疗救助对象", "not in a medical-assistance group")
    };
    out.push(medical);
    // S9 教育救助: students in assisted households.
    let students: Vec<String> = counted()
        .filter(|m| m.student)
        .map(|m| m.id.clone())
        .collect();
    out.push(match (g.any(), students.is_empty()) {
        (true, false) => ProgrammeResult::new(Programme::Education, Outcome::Eligible).because(
            format!(
                "在校学生 {} 可按学段享受教育救助（S9）",
                students.join("、")
            ),
            "students in an assisted household (S9)",
        ),
        (false, false) => ProgrammeResult::new(Programme::Education, Outcome::NotEligible)
            .because("家庭不属救助对象", "household not in an assisted group"),
        _ => ProgrammeResult::new(Programme::Education, Outcome::NotEligible)
            .because("家庭无在校学生", "no students"),
    });
    // S10 住房救助: housing need in 低保, 特困 or 边缘 households; not assessed when nobody
    // recorded the housing situation (see `not_assessed`).
    match h.housing_need {
        Some(true) if g.dibao || g.tekun || g.edge => out.push(
            ProgrammeResult::new(Programme::Housing, Outcome::Eligible).because(
                "住房困难的低保、特困或低保边缘家庭，可申请公租房或农村危房改造（S10）",
                "housing need in an assisted household (S10)",
            ),
        ),
        Some(true) => out.push(
            ProgrammeResult::new(Programme::Housing, Outcome::Nearly).because(
                "住房困难，但家庭不属低保、特困或低保边缘",
                "housing need, household not in an eligible group",
            ),
        ),
        Some(false) => out.push(
            ProgrammeResult::new(Programme::Housing, Outcome::NotEligible)
                .because("住房安全，无住房困难", "housing is safe"),
        ),
        None => {}
    }
    // S11 就业救助: able-bodied members without work in 低保 or 边缘 households.
    let jobless: Vec<String> = counted()
        .filter(|m| !m.employed && able_to_work(m, f.date, p))
        .map(|m| m.id.clone())
        .collect();
    out.push(if (g.dibao || g.edge) && !jobless.is_empty() {
        ProgrammeResult::new(Programme::Employment, Outcome::Eligible).because(
            format!(
                "{} 有劳动能力未就业，推荐就业援助和公益性岗位（S11）",
                jobless.join("、")
            ),
            "able-bodied members without work (S11)",
        )
    } else {
        ProgrammeResult::new(Programme::Employment, Outcome::NotEligible).because(
            "无需就业援助的成员",
            "no member needing employment assistance",
        )
    });
    // S12 受灾人员救助: hardship caused by a disaster; not assessed without a hardship.
    match h.hardship {
        Some(hd) if hd.disaster => out.push(
            ProgrammeResult::new(Programme::Disaster, Outcome::Eligible).because(
                "因自然灾害陷入困难，转应急管理部门给予受灾人员救助（S12）",
                "hardship from a natural disaster (S12)",
            ),
        ),
        Some(hd) if hd.kind == HardshipKind::Emergency => out.push(
            ProgrammeResult::new(Programme::Disaster, Outcome::NotEligible)
                .because("急难情形非自然灾害", "emergency not caused by a disaster"),
        ),
        Some(_) => out.push(
            ProgrammeResult::new(Programme::Disaster, Outcome::NotEligible).because(
                "支出型困难，非灾害所致",
                "spending hardship, not a disaster",
            ),
        ),
        None => {}
    }
    out
}
