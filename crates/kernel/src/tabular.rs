//! 入侵防范 (issue 15 F6): reading an uploaded table — a roster or an agency's data file, as
//! XLSX or CSV (UTF-8 or GBK) — within limits, so a small hostile file cannot take the server's
//! memory. An XLSX is a zip: before the workbook is opened every entry is decompressed into a
//! counter (nothing kept) and the file is refused when the entries together inflate beyond
//! [`MAX_UNZIPPED_BYTES`] or there are more than [`MAX_ZIP_ENTRIES`] — whatever sizes the zip
//! claims. The sheet is then streamed cell by cell and reading stops at the first cell beyond
//! the row or column limit, with a Chinese error that names the limit.

use std::io::{Read, Seek};

use calamine::{Data, DataRef, Reader};

use crate::AppError;

/// Largest total size of an XLSX's entries once decompressed. A 20,000-row roster inflates to
/// about 15 MB; a zip bomb of 2.6 MB to gigabytes.
pub const MAX_UNZIPPED_BYTES: u64 = 100 * 1024 * 1024;

/// Most entries in an XLSX (a workbook of one sheet has about a dozen).
pub const MAX_ZIP_ENTRIES: usize = 1_000;

/// How large a table may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableLimits {
    /// Rows, the header row included.
    pub max_rows: usize,
    /// Columns.
    pub max_columns: usize,
}

impl TableLimits {
    /// A roster upload: its preview is held in memory until the caseworker decides, so it is
    /// kept to a township's size (split a county's roster by township).
    pub const ROSTER: TableLimits = TableLimits {
        max_rows: 20_001,
        max_columns: 64,
    };

    /// The rolls a county takes over at go-live (issue 17): a county's recipients in one file.
    pub const ROLLS: TableLimits = TableLimits {
        max_rows: 200_001,
        max_columns: 64,
    };

    /// An agency's data file: applied at once, nothing held after the import.
    pub const AGENCY: TableLimits = TableLimits {
        max_rows: 200_001,
        max_columns: 64,
    };
}

/// A table of cells. Cells that Excel stored as numbers with a fraction (or ≥ 10^15) are kept as
/// `Err(number)` so the ID-number column can report lost precision.
pub type Table = Vec<Vec<Result<String, f64>>>;

fn too_many_rows(limits: TableLimits) -> AppError {
    AppError::BadFile(format!(
        "文件超过 {} 行数据的上限，请按乡镇（街道）拆分后分别上传",
        limits.max_rows - 1
    ))
}

fn too_many_columns(limits: TableLimits) -> AppError {
    AppError::BadFile(format!(
        "文件超过 {} 列的上限，请使用模板的列",
        limits.max_columns
    ))
}

/// Reads a table from CSV or XLSX bytes within the limits.
pub fn read_table(file_name: &str, bytes: &[u8], limits: TableLimits) -> Result<Table, AppError> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        check_zip(bytes)?;
        read_xlsx(bytes, limits)
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
        read_csv(bytes, limits)
    } else {
        Err(AppError::BadFile("只支持 .xlsx 或 .csv 文件".into()))
    }
}

/// Decompresses every entry into a counter and refuses the file beyond the limits.
fn check_zip(bytes: &[u8]) -> Result<(), AppError> {
    let unreadable =
        |e: &dyn std::fmt::Display| AppError::BadFile(format!("无法读取 Excel 文件：{e}"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(AppError::BadFile(format!(
            "Excel 文件内部条目过多（{} 个，上限 {MAX_ZIP_ENTRIES}），疑为异常文件",
            zip.len()
        )));
    }
    let bomb = || {
        AppError::BadFile(format!(
            "Excel 文件解压后超过 {} MB 的上限，疑为异常文件（压缩炸弹）；请另存为新文件或拆分后上传",
            MAX_UNZIPPED_BYTES / (1024 * 1024)
        ))
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| unreadable(&e))?;
        // Read one byte past what is left: the true size counts, not the size claimed.
        let left = MAX_UNZIPPED_BYTES - total;
        let n = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|e| unreadable(&e))?;
        total += n;
        if total > MAX_UNZIPPED_BYTES {
            return Err(bomb());
        }
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8], limits: TableLimits) -> Result<Table, AppError> {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| AppError::BadFile(format!("无法读取 Excel 文件：{e}")))?;
    let name = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| AppError::BadFile("Excel 文件中没有工作表".into()))?;
    stream_sheet(&mut wb, &name, limits)
}

fn stream_sheet<RS: Read + Seek>(
    wb: &mut calamine::Xlsx<RS>,
    name: &str,
    limits: TableLimits,
) -> Result<Table, AppError> {
    let mut cells = wb
        .worksheet_cells_reader(name)
        .map_err(|e| AppError::BadFile(format!("无法读取工作表：{e}")))?;
    let mut table: Table = vec![];
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| AppError::BadFile(format!("无法读取工作表：{e}")))?
    {
        let (row, col) = cell.get_position();
        let (row, col) = (row as usize, col as usize);
        if row >= limits.max_rows {
            return Err(too_many_rows(limits));
        }
        if col >= limits.max_columns {
            return Err(too_many_columns(limits));
        }
        let value = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::Float(f) if f.fract() != 0.0 || f.abs() >= 1e15 => Err(*f),
            DataRef::Float(f) => Ok(format!("{}", *f as i64)),
            DataRef::Int(i) => Ok(i.to_string()),
            DataRef::SharedString(s) => Ok((*s).to_owned()),
            other => Ok(Data::from(other.clone()).to_string()),
        };
        if table.len() <= row {
            table.resize_with(row + 1, Vec::new);
        }
        let r = &mut table[row];
        if r.len() <= col {
            r.resize_with(col + 1, || Ok(String::new()));
        }
        r[col] = value;
    }
    Ok(table)
}

fn read_csv(bytes: &[u8], limits: TableLimits) -> Result<Table, AppError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s.trim_start_matches('\u{feff}')),
        // Excel in China saves CSV as GBK.
        Err(_) => encoding_rs::GBK.decode(bytes).0,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = vec![];
    for (i, rec) in rdr.records().enumerate() {
        if i >= limits.max_rows {
            return Err(too_many_rows(limits));
        }
        let rec =
            rec.map_err(|e| AppError::BadFile(format!("CSV 第 {} 行无法读取：{e}", i + 1)))?;
        if rec.len() > limits.max_columns {
            return Err(too_many_columns(limits));
        }
        out.push(rec.iter().map(|s| Ok(s.to_owned())).collect());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! S20 intake by file, within limits (issue 15 F6).
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_zip_bomb_is_refused_before_the_workbook_is_opened() {
        // 150 MB of zeros compress to ~150 KB.
        let zeros = vec![0u8; 150 * 1024 * 1024];
        let bomb = zip_of(&[("xl/sharedStrings.xml", &zeros)]);
        assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
        match read_table("bomb.xlsx", &bomb, TableLimits::ROSTER) {
            Err(AppError::BadFile(m)) => assert!(m.contains("压缩炸弹"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn too_many_zip_entries_are_refused() {
        let names: Vec<String> = (0..=MAX_ZIP_ENTRIES).map(|i| format!("f{i}")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        match read_table("many.xlsx", &zip_of(&entries), TableLimits::ROSTER) {
            Err(AppError::BadFile(m)) => assert!(m.contains("条目过多"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn csv_rows_and_columns_are_bounded_and_the_error_names_the_limit() {
        let limits = TableLimits {
            max_rows: 3,
            max_columns: 2,
        };
        assert_eq!(
            read_table("ok.csv", b"a,b\n1,2\n3,4\n", limits)
                .unwrap()
                .len(),
            3
        );
        match read_table("rows.csv", b"a,b\n1,2\n3,4\n5,6\n", limits) {
            Err(AppError::BadFile(m)) => assert!(m.contains("2 行数据的上限"), "{m}"),
            other => panic!("{other:?}"),
        }
        match read_table("cols.csv", b"a,b,c\n", limits) {
            Err(AppError::BadFile(m)) => assert!(m.contains("2 列的上限"), "{m}"),
            other => panic!("{other:?}"),
        }
    }

    fn workbook(rows: u32, cols: u16) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for r in 0..rows {
            for c in 0..cols {
                ws.write_string(r, c, format!("{r}-{c}")).unwrap();
            }
        }
        ws.write_number(0, 0, 410502.0).unwrap();
        ws.write_number(1, 0, 1.5).unwrap();
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn xlsx_cells_are_read_in_place_and_numbers_keep_their_precision_flag() {
        let t = read_table("ok.xlsx", &workbook(3, 2), TableLimits::ROSTER).unwrap();
        assert_eq!(t.len(), 3);
        assert_eq!(t[0][0], Ok("410502".into()));
        assert_eq!(t[1][0], Err(1.5));
        assert_eq!(t[2][1], Ok("2-1".into()));
    }

    #[test]
    fn xlsx_rows_and_columns_are_bounded() {
        let limits = TableLimits {
            max_rows: 3,
            max_columns: 2,
        };
        assert!(read_table("ok.xlsx", &workbook(3, 2), limits).is_ok());
        match read_table("rows.xlsx", &workbook(4, 2), limits) {
            Err(AppError::BadFile(m)) => assert!(m.contains("行数据的上限"), "{m}"),
            other => panic!("{other:?}"),
        }
        match read_table("cols.xlsx", &workbook(2, 3), limits) {
            Err(AppError::BadFile(m)) => assert!(m.contains("列的上限"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}

/// A problem in one row of an uploaded file, as the user is shown it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// Row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// Column header (empty for a whole-record problem).
    pub column: String,
    /// What is wrong, in Chinese.
    pub message: String,
}

/// The columns of a file found by their headers: `(header, key, required)` in; the index of
/// each key found, and an error for each required header missing.
pub fn find_columns<'a>(
    header: &[Result<String, f64>],
    wanted: impl IntoIterator<Item = (&'a str, &'a str, bool)>,
) -> (std::collections::BTreeMap<&'a str, usize>, Vec<RowError>) {
    let header: Vec<String> = header
        .iter()
        .map(|c| c.clone().unwrap_or_default().trim().to_owned())
        .collect();
    let mut at = std::collections::BTreeMap::new();
    let mut missing = Vec::new();
    for (h, key, required) in wanted {
        match header.iter().position(|x| x == h) {
            Some(i) => {
                at.insert(key, i);
            }
            None if required => missing.push(RowError {
                row: 1,
                column: h.into(),
                message: format!("缺少必填列“{h}”，请使用模板"),
            }),
            None => {}
        }
    }
    (at, missing)
}

/// A row's cell by column index, trimmed (a number Excel stored as a float stays `Err`).
pub fn cell(row: &[Result<String, f64>], at: Option<usize>) -> Result<String, f64> {
    at.and_then(|c| row.get(c))
        .cloned()
        .unwrap_or(Ok(String::new()))
        .map(|s| s.trim().to_owned())
}

/// Whether every cell of a row is empty (such rows are skipped, not counted).
pub fn is_blank(row: &[Result<String, f64>]) -> bool {
    row.iter()
        .all(|c| c.as_ref().is_ok_and(|s| s.trim().is_empty()))
}

/// Row errors in row order (an error report).
pub fn in_row_order<'a>(errors: impl Iterator<Item = &'a RowError>) -> Vec<RowError> {
    let mut v: Vec<RowError> = errors.cloned().collect();
    v.sort_by_key(|e| e.row);
    v
}
