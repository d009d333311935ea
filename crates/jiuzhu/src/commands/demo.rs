//! `jiuzhu demo`: a demo city — households, the agencies' files imported and cross-matched,
//! cases at every stage, enrolments, reserve funds and demo accounts — then served.

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use jiuzhu_app::Context;
use jiuzhu_demo::accounts::DEMO_PASSWORD;
use jiuzhu_demo::{DemoConfig, generate};

use crate::serve::{ServeArgs, serve_forever};
use crate::setup::{DEMO_KEY_FILE, Result, accounts_of, city, open};

/// Generates (or, with `keep`, reuses) the demo database and serves it.
pub(crate) fn demo(
    households: u64,
    seed: u64,
    database: &std::path::Path,
    keep: bool,
    no_serve: bool,
    serve: &ServeArgs,
) -> Result<()> {
    let path = database
        .to_str()
        .ok_or("数据库路径必须是 UTF-8")?
        .to_owned();
    if !keep {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    let (_, mut registry) = open(&path, std::path::Path::new(DEMO_KEY_FILE), serve.pool_size)?;
    if !keep
        || jiuzhu_app::registry::list(&registry, &city(&registry)?, &Default::default())?.total == 0
    {
        let bar = ProgressBar::new(households);
        bar.set_style(ProgressStyle::with_template(
            "生成演示数据 {bar:40} {pos}/{len} 户 {per_sec} 剩余 {eta}",
        )?);
        let started = Instant::now();
        let stats = generate(
            &registry,
            &DemoConfig {
                households,
                seed,
                ..Default::default()
            },
            &|n| bar.set_position(n),
        )?;
        bar.finish();
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!(
            "已生成 {} 户、{} 人、{} 条收支记录（低收入 {} 户），用时 {:.1} 秒，数据库 {:.1} MB：{path}",
            stats.households,
            stats.persons,
            stats.economic_records,
            stats.low_income_households,
            started.elapsed().as_secs_f64(),
            size as f64 / 1_048_576.0
        );
        // The agencies' side of the demo: their files imported and the caseload
        // cross-matched, so the review queue and the verification reports have data.
        let who = city(&registry)?;
        let data = synthetic_agency_data(&registry, seed, 10, serve.policy.as_deref())?;
        jiuzhu_demo::agency::import_all(&registry, &who, &data)?;
        let limit = jiuzhu_app::verification::default_income_limit(
            &jiuzhu_app::registry::assessment::load_policy(serve.policy.as_deref())?,
            jiuzhu_demo::DemoConfig::default().as_of,
        )?;
        let r = jiuzhu_app::verification::cross_match(&registry.db, &registry.audit, &who, limit)?;
        let leads = jiuzhu_app::verification::discovery::discover(
            &registry.db,
            &registry.audit,
            &who,
            &jiuzhu_app::verification::discovery::DiscoveryConfig::from_policy(
                &jiuzhu_app::registry::assessment::load_policy(serve.policy.as_deref())?,
                jiuzhu_demo::DemoConfig::default().as_of,
            )?,
        )?;
        let calendar = {
            let mut conn = registry.db.conn()?;
            jiuzhu_app::calendar::load(&mut conn)?
        };
        let engine = std::sync::Arc::new(jiuzhu_rules::Engine::new(
            jiuzhu_app::registry::assessment::load_policy(serve.policy.as_deref())?,
        ));
        print_shares(&registry, &engine)?;
        // The demo's cases are filed and enrolled under the policy it serves.
        registry.rules = engine.clone();
        // S14: every township starts with a reserve fund for 急难 advances.
        jiuzhu_app::payroll::reserve::allocate_demo(&registry, &who, "20000")?;
        let filed = jiuzhu_demo::cases::seed(&registry, &calendar, &engine, &who)?;
        println!("已登记演示救助申请 {filed} 件（东大街街道，各办理阶段）");
        let enrolled = jiuzhu_demo::payroll::enrol_eligible(
            &registry,
            &engine,
            jiuzhu_demo::DemoConfig::default().as_of,
        )?;
        println!("按规则纳入低保 {enrolled} 户（含演示收款账户），可在“资金发放”生成月度发放");
        println!(
            "已导入部门核对数据 {} 条（{} 个来源），比对生成复核任务 {} 条，主动发现线索 {} 条",
            data.records,
            data.files.len(),
            r.tasks_new,
            leads.tasks_new
        );
    }
    let demo_users = jiuzhu_demo::accounts::seed_demo_users(&accounts_of(&registry))?;
    if !demo_users.is_empty() {
        println!("演示账户（密码均为 {DEMO_PASSWORD}）/ demo accounts:");
        for a in &demo_users {
            print!("  {:<34} {}  {}", a.username, a.role, a.region);
            if let Some(t) = &a.totp_secret {
                print!("  动态口令密钥 {t}（当前口令：jiuzhu user code {t}）");
            }
            println!();
        }
    }
    if no_serve {
        return Ok(());
    }
    serve_forever(registry, serve)
}

/// Issue 14 item 6: the share of people the rules find eligible for 低保 and 特困, per county
/// and urban or rural, so the demo can be seen to look like a prefecture (docs/demo.md).
fn print_shares(registry: &Context, engine: &jiuzhu_rules::Engine) -> Result<()> {
    let on = jiuzhu_demo::DemoConfig::default().as_of;
    let (rows, totals) = jiuzhu_demo::shares::shares(registry, engine, on)?;
    println!("按规则核算的保障面（{on}，占人口比例；目标：低保 2–4%，特困 0.3–0.6%）：");
    println!(
        "  {:<12} {:<4} {:>8} {:>8} {:>8} {:>8}",
        "县（市、区）", "城乡", "人口", "低保%", "特困%", "户数"
    );
    for r in rows.iter().chain(&totals) {
        if r.people == 0 {
            continue;
        }
        println!(
            "  {:<12} {:<4} {:>8} {:>8.2} {:>8.2} {:>8}",
            r.name,
            if r.name == "全市合计" {
                ""
            } else if r.urban {
                "城镇"
            } else {
                "农村"
            },
            r.people,
            r.dibao_percent(),
            r.tekun_percent(),
            r.households
        );
    }
    Ok(())
}

/// Generates synthetic agency data for the registry with a progress bar.
pub(crate) fn synthetic_agency_data(
    registry: &Context,
    seed: u64,
    per_mille: u32,
    policy: Option<&std::path::Path>,
) -> Result<jiuzhu_demo::agency::SyntheticAgencyData> {
    let as_of = jiuzhu_demo::DemoConfig::default().as_of;
    let policy = jiuzhu_app::registry::assessment::load_policy(policy)?;
    let income_above = jiuzhu_app::verification::default_income_limit(&policy, as_of)?;
    let medical_above =
        jiuzhu_app::verification::discovery::DiscoveryConfig::from_policy(&policy, as_of)?
            .medical_above;
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template(
        "生成部门数据 {spinner} 已处理 {pos} 户 {per_sec}",
    )?);
    let data = jiuzhu_demo::agency::generate(
        registry,
        &jiuzhu_demo::agency::SyntheticConfig {
            seed,
            as_of,
            plant_per_mille: per_mille,
            income_above,
            medical_above,
        },
        &|n| bar.set_position(n),
    )?;
    bar.finish_and_clear();
    Ok(data)
}
