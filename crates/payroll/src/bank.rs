//! Bank files: one per bank of an exported run, in CSV (UTF-8 with BOM) or XLSX — account,
//! holder, amount and the line's reference — and the bank's return file: per reference 成功 or
//! 失败 with the bank's reason. A failed line waits for the household's account to be fixed and
//! is paid by a later run; a return row that names no line of the run, or a line already
//! settled, is listed with its row number and changes nothing.

use jiuzhu_domain::Money;
use jiuzhu_domain::payroll::{LineStatus, RunStatus};
use serde::Serialize;

use super::run::{RunView, view_run};
use crate::county::county_of_path;
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Context;
use jiuzhu_kernel::FieldError;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::sealing::open_field;

/// The bank file of one bank of an exported run: (file name, bytes).
pub fn bank_file(
    ctx: &Context,
    who: &Actor,
    county: &str,
    id: &str,
    bank: &str,
    xlsx: bool,
) -> Result<(String, Vec<u8>), AppError> {
    let county = county_of_path(who, county)?;
    let (run, rows) = {
        let mut conn = ctx.db.conn()?;
        let run = jiuzhu_storage::payroll::run(&mut conn, &county, id)?;
        let rows = jiuzhu_storage::payroll::bank_lines(
            &mut conn,
            &county,
            id,
            bank,
            &[LineStatus::Exported.code()],
        )?;
        (run, rows)
    };
    if RunStatus::parse(&run.status) != Some(RunStatus::Exported) {
        return Err(AppError::Conflict(
            "批次审批并导出后才能下载银行文件".into(),
        ));
    }
    if rows.is_empty() {
        return Err(AppError::NotFound);
    }
    let headers = [
        "序号",
        "账号",
        "户名",
        "金额（元）",
        "参考号",
        "发放月份",
        "项目",
    ];
    let mut table = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        table.push(vec![
            (i + 1).to_string(),
            open_field(&ctx.keys, "payee_accounts.account", &r.account)?,
            open_field(&ctx.keys, "payee_accounts.holder", &r.holder)?,
            Money::from_fen(r.amount_fen).yuan_string(),
            r.id.clone(),
            r.month.clone(),
            jiuzhu_programmes::kind(&r.programme)
                .map(|k| k.zh().to_owned())
                .unwrap_or_default(),
        ]);
    }
    ctx.audit.record_alone(
        &ctx.db,
        who,
        Event::new("payroll.bank_file", "payroll_run", id, &county)
            .detail(serde_json::json!({"bank": bank, "lines": rows.len(), "xlsx": xlsx})),
    )?;
    let stem = format!("{}-{}-{}", county, run.month, bank);
    if xlsx {
        let bytes = jiuzhu_kernel::export::table_xlsx("代发明细", &headers, table.into_iter())?;
        Ok((format!("{stem}.xlsx"), bytes))
    } else {
        let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        let io = |e: csv::Error| AppError::Conflict(format!("导出失败：{e}"));
        w.write_record(headers).map_err(io)?;
        for row in table {
            w.write_record(
                row.iter()
                    .map(|c| jiuzhu_kernel::formula_safe::cell(c).into_owned()),
            )
            .map_err(io)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| AppError::Conflict(format!("导出失败：{e}")))?;
        Ok((format!("{stem}.csv"), bytes))
    }
}

/// What a return file did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReconcileReport {
    /// Lines marked paid.
    pub paid: usize,
    /// Lines marked failed.
    pub failed: usize,
    /// Rows refused: (row number, reason).
    pub refused: Vec<(usize, String)>,
    /// The run after.
    pub run: Option<RunView>,
}

/// Reads the bank's return file (CSV: 参考号/reference, 结果/result 成功|失败|success|failed,
/// 原因/reason) into an exported run; the run is reconciled once no line is left with the bank.
pub fn reconcile(
    ctx: &Context,
    who: &Actor,
    county: &str,
    id: &str,
    bytes: &[u8],
) -> Result<ReconcileReport, AppError> {
    let county = county_of_path(who, county)?;
    let mut conn = ctx.db.conn()?;
    let run = jiuzhu_storage::payroll::run(&mut conn, &county, id)?;
    if RunStatus::parse(&run.status) != Some(RunStatus::Exported) {
        return Err(AppError::Conflict(format!(
            "发放批次“{}”时不能导入回盘",
            RunStatus::parse(&run.status).map(|s| s.zh()).unwrap_or("")
        )));
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| invalid_file("回盘文件应为 UTF-8 编码的 CSV"))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| invalid_file(&format!("无法读取表头：{e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (Some(reference), Some(result)) = (col(&["参考号", "reference"]), col(&["结果", "result"]))
    else {
        return Err(invalid_file("回盘文件须有“参考号”和“结果”两列"));
    };
    let reason_col = col(&["原因", "reason"]);
    let mut report = ReconcileReport::default();
    let now = jiuzhu_domain::time::now();
    let mut moves = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let row = i + 2;
        let Ok(rec) = rec else {
            report.refused.push((row, "无法读取该行".into()));
            continue;
        };
        let line = rec.get(reference).unwrap_or("").trim().to_owned();
        let ok = match rec.get(result).unwrap_or("").trim() {
            "成功" | "success" | "ok" => true,
            "失败" | "failed" | "fail" => false,
            other => {
                report
                    .refused
                    .push((row, format!("结果应为“成功”或“失败”，实为“{other}”")));
                continue;
            }
        };
        let reason = reason_col
            .and_then(|c| rec.get(c))
            .unwrap_or("")
            .trim()
            .to_owned();
        if !ok && reason.is_empty() {
            report.refused.push((row, "失败的须写明原因".into()));
            continue;
        }
        moves.push((row, line, ok, reason));
    }
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        for (row, line, ok, reason) in &moves {
            let to = if *ok {
                LineStatus::Paid
            } else {
                LineStatus::Failed
            };
            if jiuzhu_storage::payroll::set_line(
                c,
                &county,
                id,
                line,
                LineStatus::Exported.code(),
                to.code(),
                reason,
                Some(now),
            )? {
                if *ok {
                    report.paid += 1;
                } else {
                    report.failed += 1;
                }
            } else {
                report
                    .refused
                    .push((*row, format!("参考号“{line}”不是本批次待回盘的发放")));
            }
        }
        let left = jiuzhu_storage::payroll::lines(
            c,
            &county,
            id,
            Some(LineStatus::Exported.code()),
            0,
            1,
        )?;
        if left.is_empty() {
            let mut done = run.clone();
            done.status = RunStatus::Reconciled.code().into();
            done.reconciled_at = Some(now);
            done.version += 1;
            if !jiuzhu_storage::payroll::advance_run(c, &done)? {
                return Err(AppError::Conflict(
                    "该发放批次已被他人处理，请刷新后再操作".into(),
                ));
            }
        }
        ctx.audit.record(
            c,
            who,
            Event::new("payroll.reconcile", "payroll_run", id, &county).detail(
                serde_json::json!({"paid": report.paid, "failed": report.failed, "refused": report.refused.len()}),
            ),
        )?;
        Ok(())
    })?;
    report.refused.sort();
    let run = jiuzhu_storage::payroll::run(&mut conn, &county, id)?;
    drop(conn);
    report.run = Some(view_run(ctx, run)?);
    Ok(report)
}

fn invalid_file(zh: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new("file", zh, "bad return file")])
}
