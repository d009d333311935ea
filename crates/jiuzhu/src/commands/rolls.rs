//! `jiuzhu import rolls FILE`: the old system's current recipients taken over at go-live (S7,
//! issue 17) — the reconciliation per county and programme beside the totals given with
//! `--expect`, every refused row by row and column, and nothing written while any remain
//! (unless `--only-valid`) or with `--dry-run`.

use std::path::Path;

use jiuzhu_app::Context;
use jiuzhu_app::caseload::rolls::{self, Expected};

use crate::setup::{Result, city};

/// Parses `COUNTY:PROGRAMME:HOUSEHOLDS:PEOPLE:YUAN`.
fn expected(s: &str) -> Result<Expected> {
    let parts: Vec<&str> = s.split(':').map(str::trim).collect();
    let [county, programme, households, people, monthly] = parts[..] else {
        return Err(format!("--expect “{s}” 应为 县代码:项目:户数:人数:月金额（元）").into());
    };
    let number = |v: &str, what: &str| -> Result<i64> {
        v.parse()
            .map_err(|_| format!("--expect “{s}” 的{what}应为整数").into())
    };
    Ok(Expected {
        county: county.into(),
        programme: programme.into(),
        households: number(households, "户数")?,
        people: number(people, "人数")?,
        monthly: monthly.into(),
    })
}

/// Reads, reconciles and (unless refused or a dry run) writes a rolls file.
pub(crate) fn rolls_import(
    ctx: &Context,
    file: &Path,
    expect: &[String],
    only_valid: bool,
    dry_run: bool,
) -> Result<()> {
    let expect = expect
        .iter()
        .map(|s| expected(s))
        .collect::<Result<Vec<_>>>()?;
    let bytes = std::fs::read(file).map_err(|e| format!("无法读取 {}：{e}", file.display()))?;
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("rolls.csv");
    let who = city(ctx)?;
    let preview = rolls::preview(ctx, &who, name, &bytes, &expect)?;
    println!("县（市、区）\t项目\t户数\t人数\t月金额（元）\t原系统\t核对");
    for l in &preview.reconciliation {
        let old = l
            .expected
            .as_ref()
            .map(|e| format!("{} 户 {} 人 {} 元", e.households, e.people, e.monthly))
            .unwrap_or_else(|| "—".into());
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            l.county_name,
            l.programme_zh,
            l.households,
            l.people,
            l.monthly,
            old,
            if l.matches { "一致" } else { "不一致" }
        );
    }
    for e in preview.all_errors() {
        println!("第 {} 行 {}：{}", e.row, e.column, e.message);
    }
    if dry_run {
        println!(
            "试导入：{} 户将写入，{} 处错误；未写入任何数据",
            preview.to_write(),
            preview.all_errors().len()
        );
        return Ok(());
    }
    let out = rolls::commit(ctx, &who, &preview, only_valid)?;
    println!(
        "已登记 {} 户，纳入保障 {} 户；已在册未变 {} 户；因错误跳过 {} 户",
        out.registered, out.enrolled, out.unchanged, out.skipped
    );
    Ok(())
}
