//! 困难残疾人生活补贴 and 重度残疾人护理补贴 (S6; 国发〔2015〕52号; POLICY-FACTS §6). Living
//! subsidy: disabled members of 低保 households (and 单人户; 低保边缘 where the county extends
//! it). Care subsidy: grade 1–2 needing long-term care (grade 3–4 intellectual or mental where
//! extended). Overlaps: 特困 recipients and work-injury care recipients excluded (parameter).

use crate::explain::{Tracer, step};
use crate::input::{DisabilityKind, Household, Orphan};
use crate::output::MemberAmount;
use crate::params::{P, Params};

const CITE_LIVING: &str = "S6；国发〔2015〕52号；安办〔2021〕11号 §6";
const CITE_CARE: &str = "S6；国发〔2015〕52号";

/// Members getting the living subsidy. `in_dibao(i)`: member i is covered by 低保 (whole
/// household, 渐退 or 单人户); `edge`: the household is 低保边缘; `tekun(i)`: member i is 特困.
pub fn living<T: Tracer>(
    h: &Household,
    in_dibao: &dyn Fn(usize) -> bool,
    edge: bool,
    tekun: &dyn Fn(usize) -> bool,
    p: &Params,
    t: &mut T,
) -> Vec<MemberAmount> {
    let mut out = Vec::new();
    for (i, m) in h.members.iter().enumerate() {
        if m.disability.is_none() {
            continue;
        }
        t.param(P::disability_living_extend_to_edge);
        t.param(P::disability_exclude_tekun);
        let covered = in_dibao(i) || (edge && p.disability_living_extend_to_edge);
        let excluded_tekun = tekun(i) && p.disability_exclude_tekun;
        // A de-facto orphan on the full orphan allowance does not get the living subsidy.
        let excluded_orphan = m.orphan_track && m.orphan == Some(Orphan::DeFacto);
        let ok = covered && !excluded_tekun && !excluded_orphan;
        t.step(|| {
            let why = if excluded_tekun {
                "已是特困人员，不重复享受".to_owned()
            } else if excluded_orphan {
                "已领取事实无人抚养儿童基本生活补贴".to_owned()
            } else if covered {
                "属低保家庭（或扩面的低保边缘家庭）残疾人".to_owned()
            } else {
                "不属低保家庭".to_owned()
            };
            step(
                "disability.living",
                CITE_LIVING,
                format!(
                    "{}：{why}，{}",
                    m.id,
                    if ok {
                        "享受生活补贴"
                    } else {
                        "不享受生活补贴"
                    }
                ),
                format!(
                    "{}: living subsidy {}",
                    m.id,
                    if ok { "granted" } else { "not granted" }
                ),
            )
        });
        if ok {
            t.param(P::disability_living_amount);
            out.push(MemberAmount {
                member: m.id.clone(),
                monthly_fen: p.disability_living_amount.fen(),
                care_tier: None,
            });
        }
    }
    out
}

/// Members getting the care subsidy.
pub fn care<T: Tracer>(
    h: &Household,
    tekun: &dyn Fn(usize) -> bool,
    p: &Params,
    t: &mut T,
) -> Vec<MemberAmount> {
    let mut out = Vec::new();
    for (i, m) in h.members.iter().enumerate() {
        let Some(d) = m.disability else { continue };
        t.param(P::disability_care_include_mental_3_4);
        let severe = d.grade <= 2
            || (p.disability_care_include_mental_3_4
                && matches!(
                    d.category,
                    DisabilityKind::Intellectual | DisabilityKind::Mental
                ));
        if !severe {
            continue;
        }
        t.param(P::disability_exclude_tekun);
        let excluded = (tekun(i) && p.disability_exclude_tekun) || m.work_injury_care;
        let ok = m.needs_long_term_care && !excluded;
        t.step(|| {
            let why = if !m.needs_long_term_care {
                "未评定为需要长期照护"
            } else if m.work_injury_care {
                "已领取工伤保险生活护理费"
            } else if excluded {
                "已是特困人员"
            } else {
                "重度残疾且需要长期照护"
            };
            step(
                "disability.care",
                CITE_CARE,
                format!(
                    "{}（{}级）：{why}，{}",
                    m.id,
                    d.grade,
                    if ok {
                        "享受护理补贴"
                    } else {
                        "不享受护理补贴"
                    }
                ),
                format!(
                    "{}: care subsidy {}",
                    m.id,
                    if ok { "granted" } else { "not granted" }
                ),
            )
        });
        if ok {
            t.param(P::disability_care_amount);
            out.push(MemberAmount {
                member: m.id.clone(),
                monthly_fen: p.disability_care_amount.fen(),
                care_tier: None,
            });
        }
    }
    out
}
