//! Overpayments and their recovery (G3: 追回骗取的救助金; also errors and changes reported
//! late): a receivable linked to the case that caused it; repayments; offsets against the
//! household's later payments where the decision allows (taken from the month's draft when it
//! is generated, once per line); write-off asked for with a reason by one person and approved
//! by another at county level; and a report of what was recovered.

use jiuzhu_domain::{Money, Permission, RegionCode, RegionLevel};
use jiuzhu_storage::DbConnection;
use jiuzhu_storage::models::{ReceivableEntryRow, ReceivableRow};
use serde::{Deserialize, Serialize};

use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Context;
use jiuzhu_kernel::FieldError;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::transition::Transition;
use jiuzhu_kernel::transition::stale;
use jiuzhu_kernel::transition::transition;

/// Why money is owed back: (code, Chinese).
pub const CAUSES: [(&str, &str); 3] = [
    ("fraud", "骗取救助金"),
    ("error", "错发多发"),
    ("late_change", "家庭情况变化未及时报告"),
];

fn cause_zh(code: &str) -> String {
    CAUSES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, zh)| (*zh).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// A receivable as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReceivableInput {
    /// One of [`CAUSES`] (code or Chinese).
    pub cause: String,
    /// The overpaid amount in yuan.
    pub amount: String,
    /// Yuan a month to offset against later payments (blank or 0: no offsetting).
    pub offset_per_month: String,
    /// How it arose (2–500 characters).
    pub note: String,
}

/// One entry as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RecoveryEntry {
    /// 退回, 抵扣 or 核销.
    pub kind: String,
    /// Yuan.
    pub amount: String,
    /// The payment line of an offset.
    pub line_id: Option<String>,
    /// Note.
    pub note: String,
    /// Who.
    pub entered_by: String,
    /// When.
    pub entered_at: String,
}

/// A receivable as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReceivableView {
    /// County.
    pub county: String,
    /// ID.
    pub id: String,
    /// The case that caused it.
    pub case_id: String,
    /// The household.
    pub household_id: String,
    /// Cause, in Chinese.
    pub cause: String,
    /// Overpaid, yuan.
    pub amount: String,
    /// Recovered (repaid and offset), yuan.
    pub recovered: String,
    /// Written off, yuan.
    pub written_off: String,
    /// Still owed, yuan.
    pub outstanding: String,
    /// Offset a month, yuan (0.00: none).
    pub offset_per_month: String,
    /// Status code.
    pub status: String,
    /// Status, in Chinese.
    pub status_name: String,
    /// How it arose.
    pub note: String,
    /// Why a write-off is asked for.
    pub write_off_reason: String,
    /// Who asked.
    pub write_off_requested_by: Option<String>,
    /// Recorded by.
    pub created_by: String,
    /// Version for the next action.
    pub version: i32,
    /// The entries.
    pub entries: Vec<RecoveryEntry>,
    /// Amount, recovered, written off and outstanding in fen (for the report).
    #[serde(skip)]
    fen: [i64; 4],
}

fn invalid(field: &str, zh: &str, en: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, zh, en)])
}

fn sums(entries: &[ReceivableEntryRow]) -> (i64, i64) {
    let recovered = entries
        .iter()
        .filter(|e| e.kind != "write_off")
        .map(|e| e.amount_fen)
        .sum();
    let written = entries
        .iter()
        .filter(|e| e.kind == "write_off")
        .map(|e| e.amount_fen)
        .sum();
    (recovered, written)
}

/// What is still owed on a receivable: the amount less what was recovered and written off.
fn owed(conn: &mut DbConnection, r: &ReceivableRow) -> Result<i64, AppError> {
    let e = jiuzhu_storage::receivables::entries(conn, &r.county_code, &r.id)?;
    let (recovered, written) = sums(&e);
    Ok(r.amount_fen - recovered - written)
}

/// Marks a receivable settled (in the caller's transaction); false when someone moved it.
fn settle(conn: &mut DbConnection, r: &ReceivableRow) -> Result<bool, AppError> {
    let mut done = r.clone();
    done.status = "settled".into();
    done.version += 1;
    Ok(jiuzhu_storage::receivables::advance(conn, &done)?)
}

fn view(r: ReceivableRow, entries: Vec<ReceivableEntryRow>) -> ReceivableView {
    let (recovered, written) = sums(&entries);
    let y = |f: i64| Money::from_fen(f).yuan_string();
    ReceivableView {
        fen: [
            r.amount_fen,
            recovered,
            written,
            r.amount_fen - recovered - written,
        ],
        county: r.county_code,
        id: r.id,
        case_id: r.case_id,
        household_id: r.household_id,
        cause: cause_zh(&r.cause),
        amount: y(r.amount_fen),
        recovered: y(recovered),
        written_off: y(written),
        outstanding: y(r.amount_fen - recovered - written),
        offset_per_month: y(r.offset_per_month_fen),
        status_name: match r.status.as_str() {
            "open" => "追缴中",
            "write_off_requested" => "核销待批",
            "settled" => "已追回",
            _ => "已核销",
        }
        .into(),
        status: r.status,
        note: r.note,
        write_off_reason: r.write_off_reason,
        write_off_requested_by: r.write_off_requested_by,
        created_by: r.created_by,
        version: r.version,
        entries: entries
            .into_iter()
            .map(|e| RecoveryEntry {
                kind: match e.kind.as_str() {
                    "repayment" => "退回",
                    "offset" => "发放中抵扣",
                    _ => "核销",
                }
                .into(),
                amount: y(e.amount_fen),
                line_id: e.line_id,
                note: e.note,
                entered_by: e.entered_by,
                entered_at: e.entered_at.format("%Y-%m-%d %H:%M").to_string(),
            })
            .collect(),
    }
}

fn in_scope(who: &Actor, r: &ReceivableRow) -> Result<(), AppError> {
    match RegionCode::parse(&r.region_code) {
        Ok(c) if who.scope.contains(&c) => Ok(()),
        _ => Err(AppError::NotFound),
    }
}

/// A receivable of the actor's region in one of `statuses` ("not found" outside the region;
/// 409 with `refusal` in another status).
fn receivable_in(
    conn: &mut DbConnection,
    who: &Actor,
    county: &str,
    id: &str,
    statuses: &[&str],
    refusal: &str,
) -> Result<ReceivableRow, AppError> {
    let r = jiuzhu_storage::receivables::get(conn, county, id)?;
    in_scope(who, &r)?;
    if !statuses.contains(&r.status.as_str()) {
        return Err(AppError::Conflict(refusal.into()));
    }
    Ok(r)
}

/// Records an overpayment against a case of the actor's region (a decision: 审批救助申请).
pub fn record(
    ctx: &Context,
    who: &Actor,
    county: &str,
    case_id: &str,
    input: &ReceivableInput,
) -> Result<ReceivableView, AppError> {
    who.require(Permission::DecideCases)?;
    let mut conn = ctx.db.conn()?;
    let case = jiuzhu_storage::cases::find(&mut conn, &who.scope, county, case_id)?;
    let mut errors = Vec::new();
    let cause = CAUSES
        .iter()
        .find(|(c, zh)| *c == input.cause.trim() || *zh == input.cause.trim())
        .map(|(c, _)| *c);
    if cause.is_none() {
        errors.push(FieldError::new(
            "cause",
            format!("请选择原因：{}", CAUSES.map(|(_, zh)| zh).join("、")),
            "unknown cause",
        ));
    }
    let amount = Money::parse_non_negative_yuan(input.amount.trim())
        .ok()
        .filter(|m| *m > Money::ZERO);
    if amount.is_none() {
        errors.push(FieldError::new(
            "amount",
            "请填写大于 0 的应追回金额（元）",
            "amount needed",
        ));
    }
    let offset = match input.offset_per_month.trim() {
        "" => Some(Money::ZERO),
        t => Money::parse_non_negative_yuan(t).ok(),
    };
    if offset.is_none() {
        errors.push(FieldError::new(
            "offset_per_month",
            "每月抵扣金额应为不小于 0 的金额（元）",
            "bad offset",
        ));
    }
    if !(2..=500).contains(&input.note.trim().chars().count()) {
        errors.push(FieldError::new(
            "note",
            "请写明多发或骗取的经过（2–500 字）",
            "a note is needed",
        ));
    }
    let (Some(cause), Some(amount), Some(offset)) =
        (cause, amount, offset.filter(|_| errors.is_empty()))
    else {
        return Err(AppError::Invalid(errors));
    };
    let row = ReceivableRow {
        county_code: case.county_code.clone(),
        id: uuid::Uuid::now_v7().to_string(),
        case_id: case.id.clone(),
        household_id: case.household_id.clone(),
        region_code: case.region_code.clone(),
        cause: cause.into(),
        amount_fen: amount.fen(),
        offset_per_month_fen: offset.fen(),
        status: "open".into(),
        note: input.note.trim().into(),
        created_by: who.username.clone(),
        created_at: jiuzhu_domain::time::now(),
        write_off_reason: String::new(),
        write_off_requested_by: None,
        version: 1,
    };
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        jiuzhu_storage::receivables::insert(c, &row)?;
        ctx.audit.record(
            c,
            who,
            Event::new("receivable.record", "case", &case.id, &case.region_code).detail(
                serde_json::json!({"receivable": row.id, "cause": cause, "fen": row.amount_fen}),
            ),
        )?;
        Ok(())
    })?;
    Ok(view(row, Vec::new()))
}

/// One receivable with its entries.
pub fn get(ctx: &Context, who: &Actor, county: &str, id: &str) -> Result<ReceivableView, AppError> {
    who.require(Permission::ViewRegistry)?;
    let mut conn = ctx.db.conn()?;
    let r = jiuzhu_storage::receivables::get(&mut conn, county, id)?;
    in_scope(who, &r)?;
    let e = jiuzhu_storage::receivables::entries(&mut conn, county, id)?;
    Ok(view(r, e))
}

/// The receivables of the actor's region (or of one case), newest first.
pub fn list(
    ctx: &Context,
    who: &Actor,
    case_id: Option<&str>,
) -> Result<Vec<ReceivableView>, AppError> {
    who.require(Permission::ViewRegistry)?;
    let mut conn = ctx.db.conn()?;
    let rows: Vec<ReceivableRow> =
        jiuzhu_storage::receivables::list(&mut conn, who.scope.counties(), case_id)?
            .into_iter()
            .filter(|r| in_scope(who, r).is_ok())
            .collect();
    // The entries of the page in one query per county, not one per receivable.
    let mut entries: std::collections::HashMap<String, Vec<ReceivableEntryRow>> =
        Default::default();
    for county in who.scope.counties() {
        let ids: Vec<String> = rows
            .iter()
            .filter(|r| &r.county_code == county)
            .map(|r| r.id.clone())
            .collect();
        if ids.is_empty() {
            continue;
        }
        for e in jiuzhu_storage::receivables::entries_of(&mut conn, county, &ids)? {
            entries.entry(e.receivable_id.clone()).or_default().push(e);
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut e = entries.remove(&r.id).unwrap_or_default();
            e.sort_by(|a, b| (a.entered_at, &a.id).cmp(&(b.entered_at, &b.id)));
            view(r, e)
        })
        .collect())
}

/// What a county recovered, per cause.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RecoveryReport {
    /// Cause, in Chinese (合计 for the total).
    pub cause: String,
    /// Receivables.
    pub count: usize,
    /// Overpaid, yuan.
    pub amount: String,
    /// Recovered, yuan.
    pub recovered: String,
    /// Written off, yuan.
    pub written_off: String,
    /// Still owed, yuan.
    pub outstanding: String,
}

/// The report of amounts recovered in the actor's region, per cause and in total.
pub fn report(ctx: &Context, who: &Actor) -> Result<Vec<RecoveryReport>, AppError> {
    let all = list(ctx, who, None)?;
    let y = |f: i64| Money::from_fen(f).yuan_string();
    let mut rows = Vec::new();
    for zh in CAUSES.iter().map(|(_, zh)| *zh).chain(["合计"]) {
        let of: Vec<&ReceivableView> = all
            .iter()
            .filter(|r| zh == "合计" || r.cause == zh)
            .collect();
        let s: [i64; 4] = std::array::from_fn(|i| of.iter().map(|r| r.fen[i]).sum::<i64>());
        rows.push(RecoveryReport {
            cause: zh.into(),
            count: of.len(),
            amount: y(s[0]),
            recovered: y(s[1]),
            written_off: y(s[2]),
            outstanding: y(s[3]),
        });
    }
    Ok(rows)
}

fn entry(
    r: &ReceivableRow,
    kind: &str,
    fen: i64,
    line: Option<&str>,
    note: &str,
    by: &str,
) -> ReceivableEntryRow {
    ReceivableEntryRow {
        county_code: r.county_code.clone(),
        id: uuid::Uuid::now_v7().to_string(),
        receivable_id: r.id.clone(),
        kind: kind.into(),
        amount_fen: fen,
        line_id: line.map(str::to_owned),
        note: note.into(),
        entered_by: by.into(),
        entered_at: jiuzhu_domain::time::now(),
    }
}

/// Records a repayment (not more than is owed); settles the receivable when nothing is left.
pub fn repay(
    ctx: &Context,
    who: &Actor,
    county: &str,
    id: &str,
    amount: &str,
    note: &str,
) -> Result<ReceivableView, AppError> {
    who.require(Permission::RunPayroll)?;
    let mut conn = ctx.db.conn()?;
    let r = receivable_in(
        &mut conn,
        who,
        county,
        id,
        &["open", "write_off_requested"],
        "该笔款项已结清或核销",
    )?;
    let owed = owed(&mut conn, &r)?;
    let fen = Money::parse_non_negative_yuan(amount.trim())
        .ok()
        .map(|m| m.fen())
        .filter(|f| *f > 0 && *f <= owed)
        .ok_or_else(|| {
            invalid(
                "amount",
                &format!(
                    "退回金额应大于 0 且不超过尚欠的 {} 元",
                    Money::from_fen(owed).yuan_string()
                ),
                "amount out of range",
            )
        })?;
    let t = Transition {
        event: Event::new("receivable.repay", "case", &r.case_id, &r.region_code)
            .detail(serde_json::json!({"receivable": r.id, "fen": fen})),
        stale: stale(MOVED),
    };
    transition(ctx, &mut conn, who, t, |c| {
        jiuzhu_storage::receivables::insert_entry(
            c,
            &entry(&r, "repayment", fen, None, note.trim(), &who.username),
        )?;
        if fen == owed && !settle(c, &r)? {
            return Ok(None);
        }
        Ok(Some(()))
    })?;
    drop(conn);
    get(ctx, who, county, id)
}

/// What the loser of a race on a receivable is told.
const MOVED: &str = "该笔款项刚被他人处理，请刷新";

/// Asks for the rest to be written off, with a reason.
pub fn request_write_off(
    ctx: &Context,
    who: &Actor,
    county: &str,
    id: &str,
    reason: &str,
    version: i32,
) -> Result<ReceivableView, AppError> {
    who.require(Permission::DecideCases)?;
    let mut conn = ctx.db.conn()?;
    let r = receivable_in(
        &mut conn,
        who,
        county,
        id,
        &["open"],
        "只有追缴中的款项可以申请核销",
    )?;
    if !(2..=500).contains(&reason.trim().chars().count()) {
        return Err(invalid(
            "reason",
            "请写明核销理由（如当事人死亡且无遗产、确无偿还能力）",
            "a reason is needed",
        ));
    }
    let mut next = r.clone();
    next.status = "write_off_requested".into();
    next.write_off_reason = reason.trim().into();
    next.write_off_requested_by = Some(who.username.clone());
    next.version = version + 1;
    let t = Transition {
        event: Event::new(
            "receivable.request_write_off",
            "case",
            &r.case_id,
            &r.region_code,
        )
        .detail(serde_json::json!({"receivable": r.id})),
        stale: stale(MOVED),
    };
    transition(ctx, &mut conn, who, t, |c| {
        let won = version == r.version && jiuzhu_storage::receivables::advance(c, &next)?;
        Ok(won.then_some(()))
    })?;
    drop(conn);
    get(ctx, who, county, id)
}

/// Approves a requested write-off: county civil affairs, not the person who asked.
pub fn approve_write_off(
    ctx: &Context,
    who: &Actor,
    county: &str,
    id: &str,
    version: i32,
) -> Result<ReceivableView, AppError> {
    who.require(Permission::DecideCases)?;
    let mut conn = ctx.db.conn()?;
    let r = receivable_in(
        &mut conn,
        who,
        county,
        id,
        &["write_off_requested"],
        "该笔款项没有待批的核销申请",
    )?;
    if who.region.level() > RegionLevel::County {
        return Err(AppError::Forbidden("核销须经县级民政部门批准".into()));
    }
    if r.write_off_requested_by.as_deref() == Some(who.username.as_str()) {
        return Err(AppError::Forbidden("核销须由申请人以外的人批准".into()));
    }
    let owed = owed(&mut conn, &r)?;
    let mut done = r.clone();
    done.status = "written_off".into();
    done.version = version + 1;
    let t = Transition {
        event: Event::new("receivable.write_off", "case", &r.case_id, &r.region_code)
            .detail(serde_json::json!({"receivable": r.id, "fen": owed})),
        stale: stale(MOVED),
    };
    transition(ctx, &mut conn, who, t, |c| {
        if version != r.version || !jiuzhu_storage::receivables::advance(c, &done)? {
            return Ok(None);
        }
        jiuzhu_storage::receivables::insert_entry(
            c,
            &entry(
                &r,
                "write_off",
                owed,
                None,
                &r.write_off_reason,
                &who.username,
            ),
        )?;
        Ok(Some(()))
    })?;
    drop(conn);
    get(ctx, who, county, id)
}

/// Takes this month's offsets from the pending lines of a draft: for each open receivable that
/// allows it, up to its monthly offset and what is still owed, from one line of the household.
/// Once per receivable and line (the entry's unique key), so regenerating takes nothing twice.
pub(crate) fn apply_offsets(
    conn: &mut DbConnection,
    county: &str,
    run_id: &str,
    by: &str,
) -> Result<i64, AppError> {
    let open = jiuzhu_storage::receivables::offsettable(conn, county)?;
    let mut taken = 0;
    for r in open {
        let owed = owed(conn, &r)?;
        if owed <= 0 {
            continue;
        }
        let lines = jiuzhu_storage::payroll::pending_lines_of(
            conn,
            county,
            run_id,
            std::slice::from_ref(&r.household_id),
        )?;
        let Some(line) = lines.into_iter().find(|l| l.amount_fen > 0) else {
            continue;
        };
        let fen = r.offset_per_month_fen.min(owed).min(line.amount_fen);
        let recorded = jiuzhu_storage::receivables::insert_entry(
            conn,
            &entry(
                &r,
                "offset",
                fen,
                Some(&line.id),
                &format!("{} 发放中抵扣", line.month),
                by,
            ),
        )?;
        if !recorded {
            continue;
        }
        if !jiuzhu_storage::payroll::withhold(conn, county, &line.id, fen)? {
            return Err(AppError::Conflict("抵扣失败：该笔发放已变化".into()));
        }
        if fen == owed {
            settle(conn, &r)?;
        }
        taken += fen;
    }
    Ok(taken)
}
