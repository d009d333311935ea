//! S4, S5: 不得同时享受 — filing and enrolment refuse a programme the household may not receive
//! together with one it already has, is applying for, or files at the same time (the policy's
//! `overlap.exclusive` pairs), naming the existing enrolment or application.

use chrono::NaiveDate;
use jiuzhu_domain::RegionCode;
use jiuzhu_domain::case::CaseKind;
use jiuzhu_domain::person::HukouType;
use jiuzhu_domain::{Money, Month};
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Context;
use jiuzhu_rules::Programme;
use jiuzhu_storage::DbConnection;
use jiuzhu_storage::models::{CaseRow, EnrolmentRow, HouseholdRow};

/// The rules' programme of a case kind (its spec's; a programme the rules do not assess has no
/// overlaps).
pub fn programme(kind: CaseKind) -> Option<Programme> {
    jiuzhu_programmes::spec(kind).assessed_as
}

/// The programmes `kind` may not be received with, in `region` on `on`.
pub fn partners(
    ctx: &Context,
    region: &str,
    kind: CaseKind,
    on: NaiveDate,
) -> Result<Vec<Programme>, AppError> {
    let Some(programme) = programme(kind) else {
        return Ok(vec![]);
    };
    let region = RegionCode::parse(region).map_err(|e| AppError::Conflict(e.to_string()))?;
    // The pairs are not by area; either area resolves them.
    let p = ctx
        .rules
        .params(&region, HukouType::Rural, on)
        .map_err(|e| AppError::Conflict(format!("政策参数：{e}")))?;
    Ok(p.overlap_exclusive.partners(programme).collect())
}

fn cite(a: Programme, b: Programme) -> String {
    format!("{}与{}不得同时享受", a.zh(), b.zh())
}

/// Why an enrolment blocks `p`, in Chinese, naming it.
fn enrolled(e: &EnrolmentRow, p: Programme, q: Programme) -> String {
    let start = Month::parse(&e.start_month)
        .map(|m| format!("{}年{}月", m.year(), m.month()))
        .unwrap_or_else(|_| e.start_month.clone());
    format!(
        "该户已享受{}（{start}起，每月 {} 元{}）；{}。如确需改为{}，请先办理{}停保",
        q.zh(),
        Money::from_fen(e.monthly_fen).yuan_string(),
        if e.status == "suspended" {
            "，暂停发放中"
        } else {
            ""
        },
        cite(p, q),
        p.zh(),
        q.zh()
    )
}

/// Filing: the overlaps of the kinds filed with each other, with the household's open
/// applications (`open`, not yet decided) and with enrolments that have not ended. Each
/// problem is a sentence naming what is in the way. `region` is where the case is handled.
pub fn at_filing(
    ctx: &Context,
    conn: &mut DbConnection,
    household: &HouseholdRow,
    region: &str,
    kinds: &[CaseKind],
    open: &[CaseRow],
    on: NaiveDate,
) -> Result<Vec<String>, AppError> {
    let running = enrolments_of(conn, &household.county_code, &household.id)?;
    let mut problems = Vec::new();
    for (i, k) in kinds.iter().enumerate() {
        let Some(p) = programme(*k) else {
            continue;
        };
        for q in partners(ctx, region, *k, on)? {
            if kinds[..i].iter().any(|o| programme(*o) == Some(q)) {
                problems.push(format!(
                    "不能同时申请{}和{}：{}，请按需求评估的建议选择一项",
                    q.zh(),
                    p.zh(),
                    cite(q, p)
                ));
            }
            if let Some(e) = running.iter().find(|e| is(&e.programme, q)) {
                problems.push(enrolled(e, p, q));
            }
            if let Some(c) = open.iter().find(|c| is(&c.kind, q)) {
                problems.push(format!(
                    "该户已有办理中的{}申请（{} 申请）；{}",
                    q.zh(),
                    c.filed_on,
                    cite(p, q)
                ));
            }
        }
    }
    Ok(problems)
}

/// Enrolment: refused while an exclusive programme's enrolment has not ended.
pub fn at_enrolment(
    ctx: &Context,
    conn: &mut DbConnection,
    case: &CaseRow,
    on: NaiveDate,
) -> Result<(), AppError> {
    let Some(kind) = jiuzhu_programmes::kind(&case.kind) else {
        return Ok(());
    };
    let Some(p) = programme(kind) else {
        return Ok(());
    };
    let running = enrolments_of(conn, &case.county_code, &case.household_id)?;
    for q in partners(ctx, &case.region_code, kind, on)? {
        if let Some(e) = running.iter().find(|e| is(&e.programme, q)) {
            return Err(AppError::Conflict(enrolled(e, p, q)));
        }
    }
    Ok(())
}

/// Whether a case kind or an enrolment's programme (both stored as the case kind's code) is
/// the rules' programme `q`.
fn is(code: &str, q: Programme) -> bool {
    jiuzhu_programmes::kind(code).and_then(programme) == Some(q)
}

/// The household's enrolments that have not ended.
fn enrolments_of(
    conn: &mut DbConnection,
    county: &str,
    household: &str,
) -> Result<Vec<EnrolmentRow>, AppError> {
    Ok(jiuzhu_storage::feed::open_enrolments(
        conn,
        county,
        &[household],
    )?)
}
