//! `jiuzhu import`: a roster of households (CSV/XLSX) or an agency's file (`import SOURCE
//! FILE`), with a progress bar; refused rows are listed with row and column.

use indicatif::{ProgressBar, ProgressStyle};
use jiuzhu_app::Context;

use std::path::PathBuf;

use crate::setup::{DbArgs, Result, city, open};

/// `jiuzhu import SOURCE FILE`: imports an agency file with a progress bar; refused rows are
/// listed and written to `FILE.errors.csv`, and make the exit status 1 (the good rows are in).
pub(crate) fn agency_import(
    registry: &Context,
    source: &str,
    file: &std::path::Path,
) -> Result<()> {
    let source = jiuzhu_domain::agency::Source::parse(source).ok_or_else(|| {
        let all: Vec<String> = jiuzhu_domain::agency::Source::ALL
            .iter()
            .map(|s| format!("{}（{}）", s.code(), s.zh()))
            .collect();
        format!("未知数据来源“{source}”；可选：{}", all.join("、"))
    })?;
    let bytes = std::fs::read(file).map_err(|e| format!("无法读取 {}：{e}", file.display()))?;
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("data.csv");
    let bar = ProgressBar::new(0);
    bar.set_style(ProgressStyle::with_template(
        "导入 {bar:40} {pos}/{len} 条 {per_sec}",
    )?);
    let report = jiuzhu_app::verification::import(
        &registry.db,
        &registry.keys,
        &registry.audit,
        &city(registry)?,
        source,
        name,
        &bytes,
        &|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        },
    )?;
    bar.finish_and_clear();
    if report.already_imported {
        println!(
            "该文件已导入过（导入编号 {}），未做任何更改",
            report.import_id
        );
        return Ok(());
    }
    println!(
        "{}数据：读取 {} 行，新增 {} 条，已存在 {} 条，有误 {} 行（导入编号 {}）",
        source.zh(),
        report.rows_total,
        report.imported,
        report.duplicate,
        report.errors.len(),
        report.import_id
    );
    if report.errors.is_empty() {
        return Ok(());
    }
    for e in report.errors.iter().take(20) {
        println!("  {} 第 {} 行 {}：{}", e.file, e.row, e.field, e.reason);
    }
    let path = file.with_extension("errors.csv");
    let mut w = csv::Writer::from_path(&path)?;
    w.write_record(["文件", "行", "列", "原因"])?;
    for e in &report.errors {
        w.write_record([
            e.file.as_str(),
            &e.row.to_string(),
            e.field.as_str(),
            e.reason.as_str(),
        ])?;
    }
    w.flush()?;
    Err(format!(
        "{} 行有误，已写入 {}；其余行已导入",
        report.errors.len(),
        path.display()
    )
    .into())
}

/// `jiuzhu import FILE`: a roster of households; errors listed by row and column, nothing
/// written while any remain unless `only_valid`.
pub(crate) fn roster_import(first: &str, only_valid: bool, db: &DbArgs) -> Result<()> {
    let file = PathBuf::from(first);
    let (_, registry) = open(&db.database_url, &db.key_file, 2)?;
    let bytes = std::fs::read(&file)?;
    let who = city(&registry)?;
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("roster.csv");
    let preview = jiuzhu_app::registry::roster::preview(&registry, &who, name, &bytes)?;
    for e in preview.all_errors() {
        println!("第 {} 行 {}：{}", e.row, e.column, e.message);
    }
    let out = jiuzhu_app::registry::roster::commit(&registry, &who, &preview, only_valid)?;
    println!(
        "已导入 {} 户、{} 人；跳过 {} 户",
        out.households, out.persons, out.skipped
    );
    Ok(())
}
