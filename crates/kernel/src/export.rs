//! Exports as people open them: a one-sheet XLSX with a bold header, streamed in constant
//! memory, for lists, error reports and bank files.

use rust_xlsxwriter::{Format, Workbook};

use crate::AppError;

/// A one-sheet workbook with a bold header, in constant memory so large lists stream.
pub fn table_xlsx(
    sheet: &str,
    headers: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<Vec<u8>, AppError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb
        .add_worksheet_with_constant_memory()
        .map_err(xlsx_err)?
        .set_name(sheet)
        .map_err(xlsx_err)?;
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &bold)
            .map_err(xlsx_err)?;
    }
    for (r, row) in rows.enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v)
                .map_err(xlsx_err)?;
        }
    }
    wb.save_to_buffer().map_err(xlsx_err)
}

/// A spreadsheet that could not be written, as the user is told.
pub fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::BadFile(format!("生成 Excel 失败：{e}"))
}
