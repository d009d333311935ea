//! S4, S5, S6: 不得同时享受 — programmes the same person may not receive together (the policy's
//! `overlap.exclusive` pairs: 低保 and 特困, 43号 with 57号; 特困 and the two disability
//! subsidies, POLICY-FACTS §6). When the household comes out eligible for both, the one that
//! pays these people more is proposed and the other is marked superseded, with the reason.

use crate::facts::is_counted;
use crate::input::Household;
use crate::output::{Outcome, Overlap, Programme, ProgrammeResult, Reason};
use crate::params::Params;
use jiuzhu_domain::Money;

const CITE: &str = "民发〔2021〕43号；民发〔2021〕57号；国发〔2015〕52号（不得重复享受）";

/// The members a result covers: its listed members, or every counted member for a programme
/// of the whole household.
fn covered(h: &Household, r: &ProgrammeResult) -> Vec<String> {
    if r.members.is_empty() {
        h.members
            .iter()
            .filter(|m| is_counted(m))
            .map(|m| m.id.clone())
            .collect()
    } else {
        r.members.iter().map(|m| m.member.clone()).collect()
    }
}

/// What a result pays the members in `who` a month: a whole-household amount counts whole.
fn paid_to(r: &ProgrammeResult, who: &[String]) -> i64 {
    if r.members.is_empty() {
        r.monthly_fen
    } else {
        r.members
            .iter()
            .filter(|m| who.contains(&m.member))
            .map(|m| m.monthly_fen)
            .sum()
    }
}

/// Marks the lower of each exclusive pair the household is eligible for as superseded.
pub fn resolve(h: &Household, results: &mut [ProgrammeResult], p: &Params) -> Vec<Overlap> {
    let mut out = Vec::new();
    for &(a, b) in &p.overlap_exclusive.0 {
        let find = |x: Programme| {
            results
                .iter()
                .position(|r| r.programme == x && r.outcome == Outcome::Eligible)
        };
        let (Some(ia), Some(ib)) = (find(a), find(b)) else {
            continue;
        };
        let ca = covered(h, &results[ia]);
        let both: Vec<String> = covered(h, &results[ib])
            .into_iter()
            .filter(|m| ca.contains(m))
            .collect();
        if both.is_empty() {
            continue;
        }
        let (pa, pb) = (paid_to(&results[ia], &both), paid_to(&results[ib], &both));
        // The higher is proposed; on a tie, the first of the pair as the policy lists it.
        let (win, lose, pw, pl) = if pb > pa {
            (ib, ia, pb, pa)
        } else {
            (ia, ib, pa, pb)
        };
        let (w, l) = (results[win].programme, results[lose].programme);
        let zh = format!(
            "{}与{}不得同时享受（{CITE}）：{} 按{}每月 {} 元，按{}每月 {} 元，建议申请{}",
            w.zh(),
            l.zh(),
            both.join("、"),
            w.zh(),
            Money::from_fen(pw).yuan_string(),
            l.zh(),
            Money::from_fen(pl).yuan_string(),
            w.zh()
        );
        // A programme of the whole household covering more people than the overlap: the others
        // may apply for it on their own once the proposed one is decided (单独认定).
        let rest: Vec<String> = covered(h, &results[lose])
            .into_iter()
            .filter(|m| !both.contains(m))
            .collect();
        let zh = if rest.is_empty() {
            zh
        } else {
            format!("{zh}；{} 可在其认定后另行申请{}", rest.join("、"), l.zh())
        };
        let en = format!(
            "{} and {} exclude each other: {} pays {} a month against {}; {} proposed",
            w.en(),
            l.en(),
            w.en(),
            Money::from_fen(pw).yuan_string(),
            Money::from_fen(pl).yuan_string(),
            w.en()
        );
        results[lose].superseded_by = Some(w);
        results[lose]
            .reasons
            .push(Reason::new(zh.clone(), en.clone()));
        out.push(Overlap {
            proposed: w,
            instead_of: l,
            members: both,
            zh,
            en,
        });
    }
    out
}
