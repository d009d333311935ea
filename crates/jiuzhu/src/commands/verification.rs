//! `jiuzhu crossmatch`, `jiuzhu discover` and `jiuzhu agency-data`: the agencies' side of
//! household verification from the command line — cross-matching the caseload with imported
//! agency records, finding people who look eligible and receive nothing, and writing synthetic
//! agency files for a demo or a benchmark.

use std::path::Path;
use std::time::Instant;

use crate::setup::{DbArgs, Result, city, open};

/// Cross-matches every registered person with the agencies' records.
pub(crate) fn crossmatch(
    income_above: Option<String>,
    policy: Option<&Path>,
    db: &DbArgs,
) -> Result<()> {
    let (_, registry) = open(&db.database_url, &db.key_file, 2)?;
    let limit = match income_above {
        Some(y) => jiuzhu_domain::Money::parse_non_negative_yuan(&y)
            .map_err(|e| format!("--income-above：{e}"))?,
        None => jiuzhu_app::verification::default_income_limit(
            &jiuzhu_app::registry::assessment::load_policy(policy)?,
            jiuzhu_domain::time::today(),
        )?,
    };
    println!("纳税收入超过每月 {} 元的生成复核任务", limit.yuan_string());
    let started = Instant::now();
    let r = jiuzhu_app::verification::cross_match(
        &registry.db,
        &registry.audit,
        &city(&registry)?,
        limit,
    )?;
    println!(
        "比对完成：匹配到在册人员的部门记录 {} 条，发现 {:?}，新增复核任务 {} 条，用时 {:.1} 秒（摘要 {}）",
        r.records_matched,
        r.findings,
        r.tasks_new,
        started.elapsed().as_secs_f64(),
        &r.digest[..16]
    );
    Ok(())
}

/// Writes synthetic agency files for the registry to `out`.
#[cfg(feature = "demo")]
pub(crate) fn agency_data(
    out: &Path,
    seed: u64,
    per_mille: u32,
    policy: Option<&Path>,
    db: &DbArgs,
) -> Result<()> {
    let (_, registry) = open(&db.database_url, &db.key_file, 2)?;
    let data = super::demo::synthetic_agency_data(&registry, seed, per_mille, policy)?;
    data.write_to(out)?;
    println!(
        "已写出 {} 个文件、{} 条记录（埋入差异 {} 处，见 planted.csv）到 {}",
        data.files.len(),
        data.records,
        data.planted.len(),
        out.display()
    );
    Ok(())
}

/// Raises leads for people who look eligible and receive nothing.
pub(crate) fn discover(
    medical_above: Option<String>,
    as_of: Option<String>,
    policy: Option<&Path>,
    db: &DbArgs,
) -> Result<()> {
    let (_, registry) = open(&db.database_url, &db.key_file, 2)?;
    let as_of = match as_of {
        Some(d) => chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .map_err(|_| format!("--as-of：日期应为 YYYY-MM-DD，收到“{d}”"))?,
        None => jiuzhu_domain::time::today(),
    };
    let mut cfg = jiuzhu_app::verification::discovery::DiscoveryConfig::from_policy(
        &jiuzhu_app::registry::assessment::load_policy(policy)?,
        as_of,
    )?;
    if let Some(y) = medical_above {
        cfg.medical_above = jiuzhu_domain::Money::parse_non_negative_yuan(&y)
            .map_err(|e| format!("--medical-above：{e}"))?;
    }
    let r = jiuzhu_app::verification::discovery::discover(
        &registry.db,
        &registry.audit,
        &city(&registry)?,
        &cfg,
    )?;
    println!(
        "主动发现（截至 {as_of}，自付医疗费用超过 {} 元）：{:?}，新增线索 {} 条",
        cfg.medical_above.yuan_string(),
        r.leads,
        r.tasks_new
    );
    Ok(())
}
