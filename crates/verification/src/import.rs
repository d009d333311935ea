//! Importing agency files (CSV, XLSX or JSON Lines) for verification (核对, S22). Every row is
//! checked; a bad row is reported with the file, row and reason and never stops the good ones;
//! the good rows go in one transaction with the import's provenance, so nothing is
//! half-imported; the same file twice, or a record two files share, is stored once.

use chrono::NaiveDate;
use jiuzhu_crypto::Keys;
use jiuzhu_domain::agency::{RecordType, Source};
use jiuzhu_domain::{Money, Permission, ResidentId};
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::audit::{Audit, Event};
use jiuzhu_kernel::sealing::id_key;
use jiuzhu_storage::models::{AgencyImportRow, AgencyRecordRow};
use jiuzhu_storage::{Db, agency};
use serde::Serialize;

/// The columns of an agency file, by their Chinese or English header.
const COLUMNS: [(&str, &str, &str); 8] = [
    ("id_number", "身份证号", "ID number"),
    ("kind", "记录类型", "record type"),
    ("amount", "金额", "amount"),
    ("period_start", "起始日期", "period start"),
    ("period_end", "截止日期", "period end"),
    ("as_of", "数据日期", "as of"),
    ("agency", "提供单位", "agency"),
    ("reference", "编号", "reference"),
];

/// A refused row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The file.
    pub file: String,
    /// Row (spreadsheet numbering: the header is row 1) or line (JSON Lines).
    pub row: usize,
    /// The column.
    pub field: String,
    /// Why, in Chinese.
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// The import's ID (the earlier one when the file was imported before).
    pub import_id: String,
    /// The same file had been imported before: nothing changed.
    pub already_imported: bool,
    /// Data rows read.
    pub rows_total: usize,
    /// Records stored now.
    pub imported: usize,
    /// Valid records already stored from an earlier file.
    pub duplicate: usize,
    /// Refused rows.
    pub errors: Vec<RowError>,
}

/// One row as read, before checking.
type Cells = std::collections::HashMap<&'static str, String>;

fn column_of(header: &str) -> Option<&'static str> {
    let h = header.trim().trim_start_matches('\u{feff}');
    COLUMNS
        .iter()
        .find(|(code, zh, en)| h == *code || h == *zh || h.eq_ignore_ascii_case(en))
        .map(|(code, _, _)| *code)
}

/// Reads a file into (row number, cells).
fn read_rows(file_name: &str, bytes: &[u8]) -> Result<Vec<(usize, Cells)>, AppError> {
    if file_name.to_lowercase().ends_with(".jsonl") {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| AppError::BadFile("JSON Lines 文件须为 UTF-8".into()))?;
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let mut cells = Cells::new();
            match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(line) {
                Ok(obj) => {
                    for (k, v) in obj {
                        if let Some(c) = column_of(&k) {
                            let s = match v {
                                serde_json::Value::String(s) => s,
                                serde_json::Value::Null => String::new(),
                                other => other.to_string(),
                            };
                            cells.insert(c, s);
                        }
                    }
                }
                Err(e) => {
                    cells.insert("_json", e.to_string());
                }
            }
            out.push((i + 1, cells));
        }
        return Ok(out);
    }
    let table = jiuzhu_kernel::tabular::read_table(
        file_name,
        bytes,
        jiuzhu_kernel::tabular::TableLimits::AGENCY,
    )?;
    let Some(header) = table.first() else {
        return Err(AppError::BadFile("文件是空的".into()));
    };
    let columns: Vec<Option<&'static str>> = header
        .iter()
        .map(|h| h.as_ref().ok().and_then(|h| column_of(h)))
        .collect();
    if !columns.contains(&Some("id_number")) {
        return Err(AppError::BadFile(
            "表头缺少“身份证号”列（id_number）".into(),
        ));
    }
    Ok(table
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, r)| {
            r.iter()
                .any(|c| c.as_ref().map(|s| !s.trim().is_empty()).unwrap_or(true))
        })
        .map(|(i, r)| {
            let mut cells = Cells::new();
            for (c, v) in columns.iter().zip(r) {
                if let Some(c) = c {
                    // An ID number Excel stored as a number has lost digits: say so.
                    let s = match v {
                        Ok(s) => s.trim().to_owned(),
                        Err(f) => format!("\u{0}{f}"),
                    };
                    cells.insert(c, s);
                }
            }
            (i + 1, cells)
        })
        .collect())
}

fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y%m%d"))
        .ok()
}

/// A row that passed every check.
struct CheckedRow {
    id: ResidentId,
    kind: RecordType,
    amount: Option<Money>,
    period: Option<(NaiveDate, NaiveDate)>,
    as_of: NaiveDate,
    agency: String,
    reference: String,
}

/// Checks one row; `Err((column, reason))` names the first problem.
fn check_row(source: Source, c: &Cells) -> Result<CheckedRow, (&'static str, String)> {
    if let Some(e) = c.get("_json") {
        return Err(("line", format!("不是 JSON 对象：{e}")));
    }
    let get = |k: &str| c.get(k).map(String::as_str).unwrap_or("").trim();
    let raw_id = get("id_number");
    if raw_id.starts_with('\u{0}') {
        return Err((
            "id_number",
            "身份证号被 Excel 存成了数字，后几位已丢失；请把该列设为文本后重新导出".into(),
        ));
    }
    let id = ResidentId::parse(raw_id).map_err(|e| ("id_number", e.to_string()))?;
    let kind_text = get("kind");
    let kind =
        RecordType::parse(kind_text).ok_or(("kind", format!("未知记录类型“{kind_text}”")))?;
    if kind.source() != source {
        let allowed: Vec<&str> = RecordType::of(source).map(RecordType::zh).collect();
        return Err((
            "kind",
            format!(
                "“{}”不属于{}数据（应为：{}）",
                kind.zh(),
                source.zh(),
                allowed.join("、")
            ),
        ));
    }
    let amount = match get("amount") {
        "" if kind.needs_amount() => return Err(("amount", format!("{}记录须有金额", kind.zh()))),
        "" => None,
        a => Some(Money::parse_non_negative_yuan(a).map_err(|e| ("amount", e.to_string()))?),
    };
    let period = match (get("period_start"), get("period_end")) {
        ("", "") => None,
        (s, e) => {
            let s = date(s).ok_or(("period_start", format!("日期格式错误：{s}")))?;
            let e = date(e).ok_or(("period_end", format!("日期格式错误：{e}")))?;
            if e < s {
                return Err(("period_end", "截止日期早于起始日期".into()));
            }
            Some((s, e))
        }
    };
    let as_of_text = get("as_of");
    let as_of = date(as_of_text).ok_or((
        "as_of",
        if as_of_text.is_empty() {
            "缺少数据日期".to_owned()
        } else {
            format!("日期格式错误：{as_of_text}")
        },
    ))?;
    if as_of > jiuzhu_domain::time::today() {
        return Err(("as_of", "数据日期晚于今天".into()));
    }
    let agency = match get("agency") {
        "" => source.zh().to_owned(),
        a => a.chars().take(100).collect(),
    };
    Ok(CheckedRow {
        id,
        kind,
        amount,
        period,
        as_of,
        agency,
        reference: get("reference").chars().take(100).collect(),
    })
}

/// Reads and checks an agency file without storing anything: (rows read, rows refused). The
/// same reading and checking as [`import`] (the fuzz targets drive it with arbitrary bytes).
pub fn check_file(
    source: Source,
    file_name: &str,
    bytes: &[u8],
) -> Result<(usize, usize), AppError> {
    let rows = read_rows(file_name, bytes)?;
    let refused = rows
        .iter()
        .filter(|(_, cells)| check_row(source, cells).is_err())
        .count();
    Ok((rows.len(), refused))
}

/// Imports an agency file for `source`. `progress(done, total)` is called as rows are stored.
#[allow(clippy::too_many_arguments)]
pub fn import(
    db: &Db,
    keys: &Keys,
    audit: &Audit,
    who: &Actor,
    source: Source,
    file_name: &str,
    bytes: &[u8],
    progress: &dyn Fn(u64, u64),
) -> Result<ImportReport, AppError> {
    who.require(Permission::ImportAgencyData)?;
    store(db, keys, audit, who, source, file_name, bytes, progress)
}

/// Checks and stores a file (or a live answer written as one) for someone already allowed to
/// bring the data in.
#[allow(clippy::too_many_arguments)]
pub(crate) fn store(
    db: &Db,
    keys: &Keys,
    audit: &Audit,
    who: &Actor,
    source: Source,
    file_name: &str,
    bytes: &[u8],
    progress: &dyn Fn(u64, u64),
) -> Result<ImportReport, AppError> {
    let digest = jiuzhu_crypto::sm3_hex(bytes);
    let mut conn = db.conn()?;
    if let Some(earlier) = agency::import_of_digest(&mut conn, source.code(), &digest)? {
        return Ok(ImportReport {
            import_id: earlier.id,
            already_imported: true,
            rows_total: earlier.rows_total as usize,
            imported: 0,
            duplicate: 0,
            errors: Vec::new(),
        });
    }
    let rows = read_rows(file_name, bytes)?;
    let import_id = uuid::Uuid::now_v7().to_string();
    let mut errors = Vec::new();
    let mut records = Vec::with_capacity(rows.len());
    for (row, cells) in &rows {
        match check_row(source, cells) {
            Err((field, reason)) => errors.push(RowError {
                file: file_name.to_owned(),
                row: *row,
                field: field.to_owned(),
                reason,
            }),
            Ok(CheckedRow {
                id,
                kind,
                amount,
                period,
                as_of,
                agency,
                reference,
            }) => {
                let subject_key = id_key(keys, &id);
                let normal = format!(
                    "{}|{}|{}|{}|{}|{}|{}|{}",
                    source.code(),
                    subject_key,
                    kind.code(),
                    amount.map(|m| m.fen().to_string()).unwrap_or_default(),
                    period.map(|p| p.0.to_string()).unwrap_or_default(),
                    period.map(|p| p.1.to_string()).unwrap_or_default(),
                    as_of,
                    reference
                );
                records.push(AgencyRecordRow {
                    source: source.code().to_owned(),
                    record_key: jiuzhu_crypto::sm3_hex(normal.as_bytes()),
                    subject_key,
                    kind: kind.code().to_owned(),
                    amount_fen: amount.map(Money::fen),
                    period_start: period.map(|p| p.0),
                    period_end: period.map(|p| p.1),
                    as_of,
                    agency,
                    reference,
                    import_id: import_id.clone(),
                    row_no: *row as i32,
                });
            }
        }
    }
    let total = records.len() as u64;
    let imported = jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<usize, AppError> {
        agency::insert_import(
            c,
            &AgencyImportRow {
                id: import_id.clone(),
                source: source.code().to_owned(),
                file_name: file_name.chars().take(200).collect(),
                file_digest: digest.clone(),
                rows_total: rows.len() as i32,
                rows_imported: 0,
                rows_duplicate: 0,
                rows_failed: errors.len() as i32,
                imported_by: who.username.clone(),
                imported_at: jiuzhu_domain::time::now(),
            },
        )?;
        let mut inserted = 0;
        for (i, chunk) in records.chunks(10_000).enumerate() {
            inserted += agency::insert_records(c, chunk)?;
            progress(((i + 1) * 10_000).min(records.len()) as u64, total);
        }
        agency::finish_import(
            c,
            &import_id,
            inserted as i32,
            (records.len() - inserted) as i32,
        )?;
        audit.record(
            c,
            who,
            Event::new(
                "agency.import",
                "agency_import",
                &import_id,
                &who.region.to_string(),
            )
            .detail(serde_json::json!({
                "source": source.code(),
                "file": file_name,
                "rows": rows.len(),
                "imported": inserted,
                "duplicate": records.len() - inserted,
                "failed": errors.len(),
            })),
        )?;
        Ok(inserted)
    })?;
    Ok(ImportReport {
        import_id,
        already_imported: false,
        rows_total: rows.len(),
        imported,
        duplicate: records.len() - imported,
        errors,
    })
}
