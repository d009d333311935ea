//! A county's payroll for one month: generate the lines (exactly once, township by township
//! with progress), check, approve (three different people), and the totals that always
//! reconcile: paid + failed + held + outstanding = the run's total.

use jiuzhu_domain::payroll::{self as rules, LineStatus, RunAction, RunStatus, Signatures};
use jiuzhu_domain::{Money, Month, RegionCode};
use jiuzhu_storage::models::{PaymentLineRow, PayrollRunRow};
use serde::Serialize;

use crate::county::{county_in_scope, county_of_path};
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Context;
use jiuzhu_kernel::FieldError;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::sealing::open_field;
use jiuzhu_kernel::transition::Transition;
use jiuzhu_kernel::transition::stale;
use jiuzhu_kernel::transition::transition;

/// One programme's (or the whole run's) sums by line status, in yuan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Totals {
    /// Programme code (`all` for the run).
    pub programme: String,
    /// Programme, in Chinese.
    pub name: String,
    /// Lines.
    pub lines: i64,
    /// Everything in the run (= paid + failed + held + outstanding).
    pub total: String,
    /// Paid by the bank.
    pub paid: String,
    /// Returned by the bank.
    pub failed: String,
    /// Held.
    pub held: String,
    /// Pending or with the bank.
    pub outstanding: String,
    /// Held lines.
    pub held_lines: i64,
    /// Failed lines.
    pub failed_lines: i64,
    #[serde(skip)]
    fen: [i64; 5],
}

impl Totals {
    fn add(&mut self, status: LineStatus, lines: i64, fen: i64) {
        self.lines += lines;
        let slot = match status {
            LineStatus::Paid => 0,
            LineStatus::Failed => 1,
            LineStatus::Held => 2,
            LineStatus::Pending | LineStatus::Exported => 3,
        };
        self.fen[slot] += fen;
        self.fen[4] += fen;
        match status {
            LineStatus::Held => self.held_lines += lines,
            LineStatus::Failed => self.failed_lines += lines,
            _ => {}
        }
    }

    fn finish(mut self) -> Self {
        let y = |f: i64| Money::from_fen(f).yuan_string();
        self.paid = y(self.fen[0]);
        self.failed = y(self.fen[1]);
        self.held = y(self.fen[2]);
        self.outstanding = y(self.fen[3]);
        self.total = y(self.fen[4]);
        self
    }

    /// The run's total in fen.
    pub fn total_fen(&self) -> i64 {
        self.fen[4]
    }
}

/// A run as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RunView {
    /// County.
    pub county: String,
    /// County name.
    pub county_name: String,
    /// ID.
    pub id: String,
    /// YYYY-MM.
    pub month: String,
    /// Status code.
    pub status: String,
    /// Status, in Chinese.
    pub status_name: String,
    /// Who generated it.
    pub drafted_by: String,
    /// Who checked it.
    pub checked_by: Option<String>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// Version to send with the next action.
    pub version: i32,
    /// Per programme.
    pub by_programme: Vec<Totals>,
    /// The whole run.
    pub all: Totals,
    /// The banks with lines to pay (bank files).
    pub banks: Vec<String>,
}

/// One line as shown (account and holder masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LineView {
    /// ID (the bank file's reference).
    pub id: String,
    /// The month it pays for.
    pub month: String,
    /// Programme, in Chinese.
    pub programme: String,
    /// Household.
    pub household_id: String,
    /// Amount paid in yuan.
    pub amount: String,
    /// Withheld to recover an overpayment, in yuan (0.00: nothing).
    pub offset: String,
    /// Bank.
    pub bank: String,
    /// Account, last four digits.
    pub account_masked: String,
    /// Holder, masked.
    pub holder_masked: String,
    /// Status code.
    pub status: String,
    /// Status, in Chinese.
    pub status_name: String,
    /// Why held or failed.
    pub reason: String,
}

fn invalid(field: &str, zh: &str, en: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, zh, en)])
}

fn parse_month(month: &str) -> Result<Month, AppError> {
    Month::parse(month.trim()).map_err(|e| invalid("month", &e.to_string(), "month is YYYY-MM"))
}

/// Generates (or completes) the draft of `county` for `month`: every enrolment running that
/// month and every instalment due by then, township by township, each township in its own
/// transaction — killed anywhere and started again, it only adds what is missing. Failed
/// lines of earlier runs whose account has been fixed since move into this run. `progress`
/// gets (townships done, townships).
pub fn generate(
    ctx: &Context,
    who: &Actor,
    county: &str,
    month: &str,
    progress: &dyn Fn(usize, usize),
) -> Result<RunView, AppError> {
    let county = county_in_scope(who, county)?;
    let month = parse_month(month)?;
    let county_code = RegionCode::parse(&county).map_err(|_| AppError::NotFound)?;
    let now = jiuzhu_domain::time::now();
    let run = {
        let mut conn = ctx.db.conn()?;
        jiuzhu_storage::payroll::create_run(
            &mut conn,
            &PayrollRunRow {
                county_code: county.clone(),
                id: uuid::Uuid::now_v7().to_string(),
                month: month.to_string(),
                status: RunStatus::Draft.code().into(),
                drafted_by: who.username.clone(),
                drafted_at: now,
                checked_by: None,
                checked_at: None,
                approved_by: None,
                approved_at: None,
                exported_at: None,
                reconciled_at: None,
                version: 1,
            },
        )?
    };
    let status = RunStatus::parse(&run.status).ok_or(AppError::NotFound)?;
    rules::next(
        status,
        RunAction::Generate,
        &who.username,
        &signatures(&run),
    )
    .map_err(|e| AppError::Conflict(e.to_string()))?;
    // Townships, then the county's own range for anything registered above a township.
    let mut ranges: Vec<(String, String)> = ctx
        .regions
        .children(&county_code)
        .iter()
        .map(|t| t.subtree_range())
        .collect();
    if ranges.is_empty() {
        ranges.push(county_code.subtree_range());
    }
    let n = ranges.len();
    let mut added = 0;
    for (i, (low, high)) in ranges.iter().enumerate() {
        let mut conn = ctx.db.conn()?;
        added += jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<usize, AppError> {
            let n = jiuzhu_storage::payroll::generate_lines(
                c, &county, &run.id, &run.month, low, high,
            )?;
            // Issue 15 F14: each batch is audited in its own transaction, so lines committed
            // before a crash are never without their entry.
            if n > 0 {
                ctx.audit.record(
                    c,
                    who,
                    Event::new(
                        "payroll.batch",
                        "payroll_run",
                        &run.id,
                        county_code.as_str(),
                    )
                    .detail(serde_json::json!({"month": run.month, "from": low,
                            "to": high, "added": n})),
                )?;
            }
            Ok(n)
        })?;
        progress(i + 1, n);
    }
    let retried = {
        let mut conn = ctx.db.conn()?;
        jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<usize, AppError> {
            let n = jiuzhu_storage::payroll::retry_failed(c, &county, &run.id)?;
            if n > 0 {
                ctx.audit.record(
                    c,
                    who,
                    Event::new(
                        "payroll.retry",
                        "payroll_run",
                        &run.id,
                        county_code.as_str(),
                    )
                    .detail(serde_json::json!({"month": run.month, "moved": n})),
                )?;
            }
            Ok(n)
        })?
    };
    // G3: overpayments the decision allows to offset are taken from this month's lines.
    let offset = {
        let mut conn = ctx.db.conn()?;
        jiuzhu_storage::in_transaction(&mut conn, |c| {
            super::recovery::apply_offsets(c, &county, &run.id, &who.username)
        })?
    };
    ctx.audit.record_alone(
        &ctx.db,
        who,
        Event::new(
            "payroll.generate",
            "payroll_run",
            &run.id,
            county_code.as_str(),
        )
        .detail(serde_json::json!({"month": run.month, "added": added, "retried": retried, "offset_fen": offset})),
    )?;
    view_run(ctx, run)
}

fn signatures(run: &PayrollRunRow) -> Signatures {
    Signatures {
        drafted_by: run.drafted_by.clone(),
        checked_by: run.checked_by.clone(),
    }
}

/// One run with its totals.
pub fn get(ctx: &Context, who: &Actor, county: &str, id: &str) -> Result<RunView, AppError> {
    let county = county_of_path(who, county)?;
    let run = {
        let mut conn = ctx.db.conn()?;
        jiuzhu_storage::payroll::run(&mut conn, &county, id)?
    };
    view_run(ctx, run)
}

/// The runs of the actor's counties, newest month first.
pub fn list(ctx: &Context, who: &Actor) -> Result<Vec<RunView>, AppError> {
    who.require(jiuzhu_domain::Permission::RunPayroll)?;
    let rows = {
        let mut conn = ctx.db.conn()?;
        jiuzhu_storage::payroll::runs(&mut conn, who.scope.counties())?
    };
    rows.into_iter().map(|r| view_run(ctx, r)).collect()
}

pub(crate) fn view_run(ctx: &Context, run: PayrollRunRow) -> Result<RunView, AppError> {
    let (sums, banks) = {
        let mut conn = ctx.db.conn()?;
        let sums = jiuzhu_storage::payroll::totals(&mut conn, &run.county_code, &run.id)?;
        let banks = jiuzhu_storage::payroll::banks(&mut conn, &run.county_code, &run.id)?;
        (sums, banks)
    };
    let mut by: std::collections::BTreeMap<String, Totals> = Default::default();
    let mut all = Totals {
        programme: "all".into(),
        name: "合计".into(),
        ..Default::default()
    };
    for t in sums {
        let status = LineStatus::parse(&t.status).unwrap_or(LineStatus::Pending);
        let entry = by.entry(t.programme.clone()).or_insert_with(|| Totals {
            programme: t.programme.clone(),
            name: jiuzhu_programmes::kind(&t.programme)
                .map(|k| k.zh().to_owned())
                .unwrap_or(t.programme.clone()),
            ..Default::default()
        });
        entry.add(status, t.lines, t.fen);
        all.add(status, t.lines, t.fen);
    }
    let status = RunStatus::parse(&run.status).unwrap_or(RunStatus::Draft);
    let code = RegionCode::parse(&run.county_code).ok();
    Ok(RunView {
        county_name: code.map(|c| ctx.regions.name(&c)).unwrap_or_default(),
        county: run.county_code,
        id: run.id,
        month: run.month,
        status: status.code().into(),
        status_name: status.zh().into(),
        drafted_by: run.drafted_by,
        checked_by: run.checked_by,
        approved_by: run.approved_by,
        version: run.version,
        by_programme: by.into_values().map(Totals::finish).collect(),
        all: all.finish(),
        banks,
    })
}

/// A page of the run's lines (50 a page), optionally of one status.
pub fn lines(
    ctx: &Context,
    who: &Actor,
    county: &str,
    id: &str,
    status: Option<&str>,
    page: i64,
) -> Result<Vec<LineView>, AppError> {
    let county = county_of_path(who, county)?;
    let status = status
        .filter(|s| !s.is_empty())
        .map(|s| {
            LineStatus::parse(s)
                .map(|s| s.code())
                .ok_or_else(|| invalid("status", "未知的发放状态", "unknown status"))
        })
        .transpose()?;
    let rows = {
        let mut conn = ctx.db.conn()?;
        jiuzhu_storage::payroll::run(&mut conn, &county, id)?;
        jiuzhu_storage::payroll::lines(&mut conn, &county, id, status, page.max(0) * 50, 50)?
    };
    rows.iter().map(|r| line_view(ctx, r)).collect()
}

fn line_view(ctx: &Context, r: &PaymentLineRow) -> Result<LineView, AppError> {
    let status = LineStatus::parse(&r.status).unwrap_or(LineStatus::Pending);
    let opened = |col: &str, v: &str| -> Result<String, AppError> {
        if v.is_empty() {
            Ok(String::new())
        } else {
            open_field(&ctx.keys, col, v)
        }
    };
    Ok(LineView {
        id: r.id.clone(),
        month: r.month.clone(),
        programme: jiuzhu_programmes::kind(&r.programme)
            .map(|k| k.zh().to_owned())
            .unwrap_or(r.programme.clone()),
        household_id: r.household_id.clone(),
        amount: Money::from_fen(r.amount_fen).yuan_string(),
        offset: Money::from_fen(r.offset_fen).yuan_string(),
        bank: r.bank.clone(),
        account_masked: jiuzhu_kernel::masking::mask_last_four(&opened(
            "payee_accounts.account",
            &r.account,
        )?),
        holder_masked: jiuzhu_kernel::masking::mask_name(&opened(
            "payee_accounts.holder",
            &r.holder,
        )?),
        status: status.code().into(),
        status_name: status.zh().into(),
        reason: r.reason.clone(),
    })
}

/// Checks or approves a run (by a person who has not yet signed it), refusing a stale version.
pub fn act(
    ctx: &Context,
    who: &Actor,
    county: &str,
    id: &str,
    action: RunAction,
    version: i32,
) -> Result<RunView, AppError> {
    let county = county_of_path(who, county)?;
    let mut conn = ctx.db.conn()?;
    let run = jiuzhu_storage::payroll::run(&mut conn, &county, id)?;
    if run.version != version {
        return Err(AppError::Conflict(format!(
            "该发放批次已被他人处理（现为“{}”），请刷新后再操作",
            RunStatus::parse(&run.status).map(|s| s.zh()).unwrap_or("")
        )));
    }
    let status = RunStatus::parse(&run.status).ok_or(AppError::NotFound)?;
    let to =
        rules::next(status, action, &who.username, &signatures(&run)).map_err(|e| match e {
            rules::RunRefusal::SamePerson => AppError::Forbidden(e.to_string()),
            _ => AppError::Conflict(e.to_string()),
        })?;
    let now = jiuzhu_domain::time::now();
    let mut new = run.clone();
    new.status = to.code().into();
    new.version += 1;
    match action {
        RunAction::Check => {
            new.checked_by = Some(who.username.clone());
            new.checked_at = Some(now);
        }
        RunAction::Approve => {
            new.approved_by = Some(who.username.clone());
            new.approved_at = Some(now);
        }
        RunAction::Export => {
            new.exported_at = new.exported_at.or(Some(now));
        }
        _ => {
            return Err(invalid(
                "action",
                "请选择复核、审批或导出",
                "check, approve or export",
            ));
        }
    }
    let t = Transition {
        event: Event::new(
            &format!("payroll.{}", action.code()),
            "payroll_run",
            id,
            &county,
        )
        .detail(serde_json::json!({"month": run.month, "to": to.code()})),
        stale: stale("该发放批次已被他人处理，请刷新后再操作"),
    };
    transition(ctx, &mut conn, who, t, |c| {
        if !jiuzhu_storage::payroll::advance_run(c, &new)? {
            return Ok(None);
        }
        if action == RunAction::Export {
            jiuzhu_storage::payroll::mark(
                c,
                &county,
                id,
                LineStatus::Pending.code(),
                LineStatus::Exported.code(),
            )?;
        }
        Ok(Some(()))
    })?;
    drop(conn);
    view_run(ctx, new)
}

/// Holds a pending line with a reason, or releases a held one (before approval only). A line
/// with no account cannot be released: set the household's account and generate again.
pub fn hold_line(
    ctx: &Context,
    who: &Actor,
    county: &str,
    id: &str,
    line: &str,
    hold: bool,
    reason: &str,
) -> Result<(), AppError> {
    let county = county_of_path(who, county)?;
    let mut conn = ctx.db.conn()?;
    let run = jiuzhu_storage::payroll::run(&mut conn, &county, id)?;
    let status = RunStatus::parse(&run.status).ok_or(AppError::NotFound)?;
    rules::next(
        status,
        RunAction::HoldLine,
        &who.username,
        &signatures(&run),
    )
    .map_err(|e| AppError::Conflict(e.to_string()))?;
    let reason = reason.trim();
    if hold && !(2..=200).contains(&reason.chars().count()) {
        return Err(invalid(
            "reason",
            "请写明暂缓发放的原因（2–200 字）",
            "a reason is needed",
        ));
    }
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        let done = if hold {
            jiuzhu_storage::payroll::set_line(
                c, &county, id, line, "pending", "held", reason, None,
            )?
        } else {
            let row = jiuzhu_storage::payroll::line(c, &county, line)?;
            if row.as_ref().is_some_and(|l| l.bank.is_empty()) {
                return Err(AppError::Conflict(
                    "该户没有收款账户，请先登记账户后重新生成".into(),
                ));
            }
            jiuzhu_storage::payroll::set_line(c, &county, id, line, "held", "pending", "", None)?
        };
        if !done {
            return Err(AppError::Conflict("该笔发放的状态已变化，请刷新".into()));
        }
        ctx.audit.record(
            c,
            who,
            Event::new(
                if hold {
                    "payroll.hold"
                } else {
                    "payroll.release"
                },
                "payment_line",
                line,
                &county,
            )
            .detail(serde_json::json!({"run": id, "reason": reason})),
        )?;
        Ok(())
    })
}
