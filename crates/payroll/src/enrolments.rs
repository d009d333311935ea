//! Enrolments (S4, S5, S21): the 纳入保障 move of an approved case of a monthly programme (低保,
//! 特困 — its spec says) makes one — the monthly amount decided, paid from the month after the
//! decision until it ends. Temporary assistance has none: its approval's instalments are paid
//! as they fall due.

use chrono::NaiveDate;
use jiuzhu_domain::payroll::first_paid_month;
use jiuzhu_kernel::Context;
use jiuzhu_storage::DbConnection;
use jiuzhu_storage::models::{CaseRow, EnrolmentRow};

use jiuzhu_kernel::AppError;

/// Enrols an approved case of a monthly programme (in the caller's transaction): the effect
/// `EnrolMonthly` the programme's decision returns, and only that.
/// `people` is the persons it covers (the household's members at the decision); `review_due`
/// its first periodic review (S7).
pub fn enrol(
    conn: &mut DbConnection,
    case: &CaseRow,
    decided_on: NaiveDate,
    people: i32,
    review_due: Option<NaiveDate>,
) -> Result<(), AppError> {
    let kind = jiuzhu_programmes::kind(&case.kind).ok_or(AppError::NotFound)?;
    // One running enrolment per programme and household: a second would be refused by the
    // payroll's unique key month after month; refuse it here, where it can be explained.
    let running =
        jiuzhu_storage::payroll::enrolments_of(conn, &case.county_code, &case.household_id)?
            .into_iter()
            .any(|e| e.programme == kind.code() && e.status != "ended");
    if running {
        return Err(AppError::Conflict(format!(
            "该户已在{}保障中，不能重复纳入",
            kind.zh()
        )));
    }
    let now = jiuzhu_domain::time::now();
    jiuzhu_storage::payroll::insert_enrolment(
        conn,
        &EnrolmentRow {
            county_code: case.county_code.clone(),
            id: uuid::Uuid::now_v7().to_string(),
            case_id: case.id.clone(),
            household_id: case.household_id.clone(),
            region_code: case.region_code.clone(),
            programme: kind.code().into(),
            monthly_fen: case.amount_fen.unwrap_or(0),
            start_month: first_paid_month(decided_on).to_string(),
            end_month: None,
            status: "active".into(),
            note: String::new(),
            created_at: now,
            updated_at: now,
            people,
            review_due: review_due.map(|d| d.to_string()),
        },
    )?;
    Ok(())
}

/// A household of the actor's region and one of its enrolments ("not found" otherwise).
fn household_enrolment(
    conn: &mut DbConnection,
    who: &jiuzhu_kernel::Actor,
    household_id: &str,
    enrolment_id: &str,
) -> Result<(jiuzhu_storage::models::HouseholdRow, EnrolmentRow), AppError> {
    let h = jiuzhu_storage::households::find(conn, &who.scope, household_id)?;
    let e = jiuzhu_storage::payroll::enrolments_of(conn, &h.county_code, &h.id)?
        .into_iter()
        .find(|e| e.id == enrolment_id)
        .ok_or(AppError::NotFound)?;
    Ok((h, e))
}

/// An enrolment as shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct EnrolmentView {
    /// ID.
    pub id: String,
    /// Programme, in Chinese.
    pub programme: String,
    /// Monthly amount in yuan.
    pub monthly: String,
    /// First month paid.
    pub start_month: String,
    /// Last month paid (None while it runs).
    pub end_month: Option<String>,
    /// 在保, 暂停 or 已停保.
    pub status: String,
    /// Why it stopped.
    pub note: String,
}

/// A household's enrolments, newest first.
pub fn of_household(
    ctx: &Context,
    who: &jiuzhu_kernel::Actor,
    household_id: &str,
) -> Result<Vec<EnrolmentView>, AppError> {
    who.require(jiuzhu_domain::Permission::ViewRegistry)?;
    let mut conn = ctx.db.conn()?;
    let h = jiuzhu_storage::households::find(&mut conn, &who.scope, household_id)?;
    Ok(
        jiuzhu_storage::payroll::enrolments_of(&mut conn, &h.county_code, &h.id)?
            .into_iter()
            .map(|e| EnrolmentView {
                id: e.id,
                programme: jiuzhu_programmes::kind(&e.programme)
                    .map(|k| k.zh().to_owned())
                    .unwrap_or(e.programme),
                monthly: jiuzhu_domain::Money::from_fen(e.monthly_fen).yuan_string(),
                start_month: e.start_month,
                end_month: e.end_month,
                status: match e.status.as_str() {
                    "active" => "在保",
                    "suspended" => "暂停发放",
                    _ => "已停保",
                }
                .into(),
                note: e.note,
            })
            .collect(),
    )
}

/// Stops a running enrolment: `last` is the last month paid. For a death pass the day of
/// death as `died_on` and `last` is its month (S21: stopped from the next month, nothing
/// recovered). A decision, so it needs 审批救助申请; audited.
pub fn stop(
    ctx: &Context,
    who: &jiuzhu_kernel::Actor,
    household_id: &str,
    enrolment_id: &str,
    last: &str,
    died_on: Option<NaiveDate>,
    reason: &str,
) -> Result<(), AppError> {
    use jiuzhu_kernel::FieldError;
    who.require(jiuzhu_domain::Permission::DecideCases)?;
    let mut conn = ctx.db.conn()?;
    let (h, mut e) = household_enrolment(&mut conn, who, household_id, enrolment_id)?;
    if e.status == "ended" {
        return Err(AppError::Conflict("该保障已停止".into()));
    }
    let last = match died_on {
        Some(d) => jiuzhu_domain::payroll::last_paid_month_after_death(d),
        None => jiuzhu_domain::Month::parse(last.trim()).map_err(|err| {
            AppError::Invalid(vec![FieldError::new(
                "last_month",
                err.to_string(),
                "last_month is YYYY-MM",
            )])
        })?,
    };
    let reason = reason.trim();
    if !(2..=200).contains(&reason.chars().count()) {
        return Err(AppError::Invalid(vec![FieldError::new(
            "reason",
            "请写明停保原因（2–200 字）",
            "a reason is needed",
        )]));
    }
    e.end_month = Some(last.to_string());
    e.status = "ended".into();
    e.note = reason.to_owned();
    e.updated_at = jiuzhu_domain::time::now();
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        jiuzhu_storage::payroll::update_enrolment(c, &e)?;
        ctx.audit.record(
            c,
            who,
            jiuzhu_kernel::audit::Event::new(
                "enrolment.stop",
                "household",
                &h.id,
                &h.region_code,
            )
            .detail(
                serde_json::json!({"enrolment": e.id, "last": last.to_string(), "reason": reason}),
            ),
        )?;
        Ok(())
    })
}

/// Suspends a running enrolment (its lines are held, with the reason, until it is resumed) or
/// resumes a suspended one. A decision: 审批救助申请; audited.
pub fn suspend(
    ctx: &Context,
    who: &jiuzhu_kernel::Actor,
    household_id: &str,
    enrolment_id: &str,
    suspended: bool,
    reason: &str,
) -> Result<(), AppError> {
    use jiuzhu_kernel::FieldError;
    who.require(jiuzhu_domain::Permission::DecideCases)?;
    let mut conn = ctx.db.conn()?;
    let (h, mut e) = household_enrolment(&mut conn, who, household_id, enrolment_id)?;
    let (from, to) = if suspended {
        ("active", "suspended")
    } else {
        ("suspended", "active")
    };
    if e.status != from {
        return Err(AppError::Conflict(
            if suspended {
                "只有在保的可以暂停"
            } else {
                "只有暂停的可以恢复"
            }
            .into(),
        ));
    }
    let reason = reason.trim();
    if suspended && !(2..=200).contains(&reason.chars().count()) {
        return Err(AppError::Invalid(vec![FieldError::new(
            "reason",
            "请写明暂停原因（2–200 字）",
            "a reason is needed",
        )]));
    }
    e.status = to.into();
    e.note = if suspended {
        reason.to_owned()
    } else {
        String::new()
    };
    e.updated_at = jiuzhu_domain::time::now();
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        jiuzhu_storage::payroll::update_enrolment(c, &e)?;
        ctx.audit.record(
            c,
            who,
            jiuzhu_kernel::audit::Event::new(
                if suspended {
                    "enrolment.suspend"
                } else {
                    "enrolment.resume"
                },
                "household",
                &h.id,
                &h.region_code,
            )
            .detail(serde_json::json!({"enrolment": e.id, "reason": reason})),
        )?;
        Ok(())
    })
}
