//! S4, S5, S21 (issue 16 item 5): procedure guards the policy sets for every programme whose
//! table has them — the public notice runs its full period before a decision and then ends
//! (57号 Art. 19, 43号 Art. 14: 7 days, `procedure.notice_days`), and the opinion and the
//! decision rest on a recent 家庭经济状况核对 report with every adult member's consent (57号
//! Art. 16; 43号 Art. 11; `procedure.verification_valid_days`).

use crate::model::*;

/// The day the current notice was posted (the last move into the notice stage).
fn posted_on(events: &[CaseEventRow]) -> Option<NaiveDate> {
    events
        .iter()
        .rev()
        .find(|e| e.to_stage == Stage::Notice.code())
        .map(|e| e.on_date)
}

/// While a case is on notice: a decision waits for the period's end; an objection is taken
/// only within it. Posted on day P for n days, the period is P … P+n−1, and the decision can
/// be taken from P+n.
pub(super) fn notice_period(
    events: &[CaseEventRow],
    stage: Stage,
    action: Action,
    on: NaiveDate,
    limits: &case::Limits,
) -> Result<(), AppError> {
    if stage != Stage::Notice {
        return Ok(());
    }
    let Some(posted) = posted_on(events) else {
        return Ok(());
    };
    let days = u64::from(limits.notice_days);
    let ends = posted + chrono::Days::new(days.saturating_sub(1));
    let decide_from = posted + chrono::Days::new(days);
    match action {
        Action::Approve | Action::Refuse if on < decide_from => Err(AppError::Conflict(format!(
            "公示期 {days} 天（{posted} 至 {ends}）尚未届满，{decide_from} 起方可审核确认"
        ))),
        Action::RecordObjection if on > ends => Err(AppError::Conflict(format!(
            "公示期已于 {ends} 届满，不再登记公示异议；如有新情况，请按复核或信访程序处理"
        ))),
        _ => Ok(()),
    }
}

/// The opinion and the decision of a programme that needs it rest on the household's latest
/// 核对 report, no older than the policy's days on the day of the step, with every adult
/// member (18 or over on that day) having consented.
pub(super) fn verification_on_file(
    conn: &mut jiuzhu_storage::DbConnection,
    who: &Actor,
    spec: &ProgrammeSpec,
    row: &CaseRow,
    action: Action,
    on: NaiveDate,
    limits: &case::Limits,
) -> Result<(), AppError> {
    if !spec.needs_verification || !matches!(action, Action::RecordOpinion | Action::Approve) {
        return Ok(());
    }
    let latest = jiuzhu_storage::agency::reports_of(conn, &row.county_code, &row.household_id)?
        .into_iter()
        .map(|r| r.checked_on)
        .max();
    let valid = u64::from(limits.verification_valid_days);
    match latest {
        None => {
            return Err(AppError::Conflict(
                "该户尚无家庭经济状况核对报告：请先取得全部成年成员的核对授权并完成核对，再提出审核意见或审核确认".into(),
            ));
        }
        Some(d) if d + chrono::Days::new(valid) < on => {
            return Err(AppError::Conflict(format!(
                "该户最近一次核对报告为 {d}，已超过 {valid} 天，请重新核对后再办理"
            )));
        }
        Some(_) => {}
    }
    let members = households::members(conn, &who.scope, &row.county_code, &row.household_id, None)?;
    let consents = jiuzhu_storage::agency::consents(conn, &row.county_code, &row.household_id)?;
    let missing: Vec<String> = members
        .iter()
        .filter(|(_, p)| jiuzhu_domain::time::age_on(p.birth_date, on) >= 18)
        .filter(|(_, p)| !consents.iter().any(|c| c.person_id == p.id))
        .map(|(_, p)| jiuzhu_kernel::masking::mask_name(&p.name))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::Conflict(format!(
            "缺少核对授权：{} 尚未签署（成员变动后须补签），请补齐后再办理",
            missing.join("、")
        )));
    }
    Ok(())
}
