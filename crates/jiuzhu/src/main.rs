//! `jiuzhu`: the one binary of the platform — `serve` the web UI and API, generate and serve a
//! `demo` city, `migrate` a database, import holiday notices and rosters, `eval` households
//! against a policy and `simulate` a reform over the registry.

mod commands;
mod credentials;
mod eval;
mod operations;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use clap::{Parser, Subcommand};
use commands::audit::AuditCommand;
use commands::payroll::PayrollCommand;
use commands::user::UserCommand;
use indicatif::{ProgressBar, ProgressStyle};
use jiuzhu_app::demo::{DemoConfig, generate};
use jiuzhu_app::regions::RegionCache;
use jiuzhu_app::registry::Registry;
use jiuzhu_app::security::Actor;
use jiuzhu_app::security::accounts::Accounts;
use jiuzhu_app::security::demo_accounts::DEMO_PASSWORD;
use jiuzhu_crypto::{KeyFileProvider, KeyProvider};
use jiuzhu_storage::Db;

/// The default database: a SQLite file created on first run.
const DEFAULT_DB: &str = "jiuzhu-data/jiuzhu.sqlite3";
const DEMO_DB: &str = "jiuzhu-data/demo.sqlite3";
const DEFAULT_KEY_FILE: &str = "jiuzhu-data/jiuzhu.key";
const DEMO_KEY_FILE: &str = "jiuzhu-data/demo.key";

#[derive(Parser)]
#[command(
    name = "jiuzhu",
    version,
    about = "救助 — 社会救助信息管理平台 / social-assistance management platform"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct DbArgs {
    /// SQLite file path or postgres://… URL.
    #[arg(long, env = "JIUZHU_DATABASE_URL", default_value = DEFAULT_DB)]
    database_url: String,
    /// The key file (SM4 field key and HMAC-SM3 index key), created with mode 0600 on first run.
    #[arg(long, env = "JIUZHU_KEY_FILE", default_value = DEFAULT_KEY_FILE)]
    key_file: PathBuf,
}

#[derive(clap::Args, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "JIUZHU_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Database connections in the pool.
    #[arg(long, env = "JIUZHU_POOL_SIZE", default_value_t = 8)]
    pool_size: u32,
    /// Mark the session cookie Secure (when served behind HTTPS).
    #[arg(long, env = "JIUZHU_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Policy parameter file (a file, or a folder of files; default: the bundled policy/anyang/).
    #[arg(long, env = "JIUZHU_POLICY")]
    policy: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web UI and the API.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Generate a synthetic Anyang into a fresh SQLite file and serve it.
    Demo {
        /// Households to generate.
        #[arg(long, default_value_t = 20_000)]
        households: u64,
        /// Random seed (the same seed gives the same city).
        #[arg(long, default_value_t = 2021)]
        seed: u64,
        /// The demo database file (replaced on every run unless --keep).
        #[arg(long, default_value = DEMO_DB)]
        database: PathBuf,
        /// Reuse an existing demo database instead of generating a new one.
        #[arg(long)]
        keep: bool,
        /// Only generate; do not serve.
        #[arg(long)]
        no_serve: bool,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Create or update the database schema.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Working-day calendar.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Staff accounts (bootstrapping; day-to-day on the 用户管理 page).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write a consistent copy of the database while it serves (SQLite VACUUM INTO, or
    /// pg_dump); the key file is not in it — keep it apart.
    Backup {
        /// The backup file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Put a backup back, then check its audit chains.
    Restore {
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
        /// Replace an existing SQLite file (stop the server first).
        #[arg(long)]
        replace: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The SM4 field keys: status, rotate, reseal, retire.
    Keys {
        #[command(subcommand)]
        command: operations::KeysCommand,
    },
    /// Assess a household (JSON) or a JSON Lines batch against a policy file; prints JSON.
    Eval(eval::EvalArgs),
    /// Cross-match every current household member against the imported agency data; hits
    /// become review tasks (nothing is stopped automatically).
    Crossmatch {
        /// Taxed monthly income above this (yuan) raises a task. Default: the policy's
        /// 低保边缘 ceiling today (the city's urban standard × edge.income_multiple).
        #[arg(long)]
        income_above: Option<String>,
        /// Policy file for the default limit (a file, or a folder of files; default: the bundled policy/anyang/).
        #[arg(long)]
        policy: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Generate synthetic agency data for the registry's people (one file per source in CSV,
    /// XLSX or JSON Lines, with planted discrepancies listed in planted.csv), to try the import
    /// and cross-matching on a demo database. Every record is invented.
    AgencyData {
        /// Directory to write the files into.
        #[arg(long)]
        out: PathBuf,
        /// Random seed.
        #[arg(long, default_value_t = 2021)]
        seed: u64,
        /// Households with a planted discrepancy, per mille.
        #[arg(long, default_value_t = 10)]
        per_mille: u32,
        /// Policy file for the income limit (a file, or a folder of files; default: the bundled policy/anyang/).
        #[arg(long)]
        policy: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Active discovery (S20): people in the agencies' data who look eligible but receive
    /// nothing — severe disability with no income, large medical costs, a new zero-employment
    /// household — become leads in their township's queue.
    Discover {
        /// Out-of-pocket medical costs in 12 months above this (yuan) make a lead. Default:
        /// the city's yearly urban 低保 standard.
        #[arg(long)]
        medical_above: Option<String>,
        /// The day to look back from (default today).
        #[arg(long)]
        as_of: Option<String>,
        /// Policy file for the default limit (a file, or a folder of files; default: the bundled policy/anyang/).
        #[arg(long)]
        policy: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Simulate a reform of the standards over the registry: per county, households and people
    /// eligible, monthly cost, households that gain or lose.
    Simulate {
        #[command(flatten)]
        args: eval::SimulateArgs,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The monthly payroll of a county: run, check, approve, export, reconcile (S4).
    Payroll {
        #[command(subcommand)]
        command: PayrollCommand,
    },
    /// Import a household roster (`jiuzhu import ROSTER.xlsx`) or another agency's data for
    /// verification (`jiuzhu import SOURCE FILE`, SOURCE one of hukou, tax, social_insurance,
    /// real_estate, business, housing_fund, vehicle, bank, insurance, securities,
    /// internet_finance or their Chinese names; CSV, XLSX or JSON Lines).
    Import {
        /// The roster file, or the agency data source.
        first: String,
        /// With a source: the agency file.
        file: Option<PathBuf>,
        /// Import the valid households even if some rows have errors.
        #[arg(long)]
        only_valid: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Import a State Council holiday notice as CSV (date,kind,name).
    Import {
        /// The CSV file.
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .init();
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误 / error: {e}");
            // The operator sees the cause too (a storage failure's own message).
            let mut cause = e.source();
            while let Some(c) = cause {
                eprintln!("  原因 / caused by: {c}");
                cause = c.source();
            }
            std::process::ExitCode::FAILURE
        }
    }
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn open(url: &str, key_file: &std::path::Path, pool: u32) -> Result<(Db, Registry)> {
    let keys = Arc::new(KeyFileProvider(key_file.to_owned()).keys()?);
    let db = Db::open(url, pool)?;
    let regions = {
        let mut conn = db.conn()?;
        Arc::new(RegionCache::load(&mut conn)?)
    };
    Ok((db.clone(), Registry::new(db, regions, keys)))
}

fn city(registry: &Registry) -> Result<Actor> {
    Ok(Actor::system(registry.regions.scope(&"4105".parse()?)))
}

fn accounts_of(registry: &Registry) -> Accounts {
    Accounts::new(
        registry.db.clone(),
        registry.keys.clone(),
        registry.regions.clone(),
    )
}

/// Issue 14 item 6: the share of people the rules find eligible for 低保 and 特困, per county
/// and urban or rural, so the demo can be seen to look like a prefecture (docs/demo.md).
fn print_shares(registry: &Registry, engine: &jiuzhu_rules::Engine) -> Result<()> {
    let on = jiuzhu_app::demo::DemoConfig::default().as_of;
    let (rows, totals) = jiuzhu_app::demo_shares::shares(registry, engine, on)?;
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

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve { db, serve } => {
            let (_, registry) = open(&db.database_url, &db.key_file, serve.pool_size)?;
            serve_forever(registry, &serve)
        }
        Command::Demo {
            households,
            seed,
            database,
            keep,
            no_serve,
            serve,
        } => {
            let path = database
                .to_str()
                .ok_or("数据库路径必须是 UTF-8")?
                .to_owned();
            if !keep {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{path}{suffix}"));
                }
            }
            let (_, mut registry) =
                open(&path, std::path::Path::new(DEMO_KEY_FILE), serve.pool_size)?;
            if !keep || registry.list(&city(&registry)?, &Default::default())?.total == 0 {
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
                jiuzhu_app::verification::synthetic::import_all(&registry, &who, &data)?;
                let limit = jiuzhu_app::verification::default_income_limit(
                    &jiuzhu_app::assessment::load_policy(serve.policy.as_deref())?,
                    jiuzhu_app::demo::DemoConfig::default().as_of,
                )?;
                let r = jiuzhu_app::verification::cross_match(
                    &registry.db,
                    &registry.audit,
                    &who,
                    limit,
                )?;
                let leads = jiuzhu_app::verification::discovery::discover(
                    &registry.db,
                    &registry.audit,
                    &who,
                    &jiuzhu_app::verification::discovery::DiscoveryConfig::from_policy(
                        &jiuzhu_app::assessment::load_policy(serve.policy.as_deref())?,
                        jiuzhu_app::demo::DemoConfig::default().as_of,
                    )?,
                )?;
                let calendar = {
                    let mut conn = registry.db.conn()?;
                    jiuzhu_app::calendar::load(&mut conn)?
                };
                let engine = std::sync::Arc::new(jiuzhu_rules::Engine::new(
                    jiuzhu_app::assessment::load_policy(serve.policy.as_deref())?,
                ));
                print_shares(&registry, &engine)?;
                // The demo's cases are filed and enrolled under the policy it serves.
                registry.rules = engine.clone();
                // S14: every township starts with a reserve fund for 急难 advances.
                jiuzhu_app::payroll::reserve::allocate_demo(&registry, &who, "20000")?;
                let filed = jiuzhu_app::demo_cases::seed(&registry, &calendar, &engine, &who)?;
                println!("已登记演示救助申请 {filed} 件（东大街街道，各办理阶段）");
                let enrolled = jiuzhu_app::payroll::demo::enrol_eligible(
                    &registry,
                    &engine,
                    jiuzhu_app::demo::DemoConfig::default().as_of,
                )?;
                println!(
                    "按规则纳入低保 {enrolled} 户（含演示收款账户），可在“资金发放”生成月度发放"
                );
                println!(
                    "已导入部门核对数据 {} 条（{} 个来源），比对生成复核任务 {} 条，主动发现线索 {} 条",
                    data.records,
                    data.files.len(),
                    r.tasks_new,
                    leads.tasks_new
                );
            }
            let demo_users = accounts_of(&registry).seed_demo_users()?;
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
            serve_forever(registry, &serve)
        }
        Command::Migrate { db } => {
            let d = Db::open(&db.database_url, 1)?;
            println!("数据库已是最新结构（{:?}）", d.backend());
            Ok(())
        }
        Command::Calendar {
            command: CalendarCommand::Import { file, db },
        } => {
            let d = Db::open(&db.database_url, 1)?;
            let bytes = std::fs::read(&file)?;
            let mut conn = d.conn()?;
            let (n, cal) = jiuzhu_app::calendar::import_csv(&mut conn, &bytes)?;
            println!(
                "已导入 {n} 行；有节假日数据的年份：{:?}",
                cal.covered_years().collect::<Vec<_>>()
            );
            Ok(())
        }
        Command::Import {
            first,
            file: Some(file),
            db,
            ..
        } => {
            let (_, registry) = open(&db.database_url, &db.key_file, 2)?;
            agency_import(&registry, &first, &file)
        }
        Command::Import {
            first,
            file: None,
            only_valid,
            db,
        } => {
            let file = PathBuf::from(first);
            let (_, registry) = open(&db.database_url, &db.key_file, 2)?;
            let bytes = std::fs::read(&file)?;
            let who = city(&registry)?;
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("roster.csv");
            let preview = jiuzhu_app::roster::preview(&registry, &who, name, &bytes)?;
            for e in preview.all_errors() {
                println!("第 {} 行 {}：{}", e.row, e.column, e.message);
            }
            let out = jiuzhu_app::roster::commit(&registry, &who, &preview, only_valid)?;
            println!(
                "已导入 {} 户、{} 人；跳过 {} 户",
                out.households, out.persons, out.skipped
            );
            Ok(())
        }
        Command::User { command } => commands::user::user_command(command),
        Command::Eval(args) => {
            if eval::eval(args)? {
                Ok(())
            } else {
                Err("有的行未能评估（见输出中的 error）".into())
            }
        }
        Command::Payroll { command } => commands::payroll::payroll(command),
        Command::Crossmatch {
            income_above,
            policy,
            db,
        } => {
            let (_, registry) = open(&db.database_url, &db.key_file, 2)?;
            let limit = match income_above {
                Some(y) => jiuzhu_domain::Money::parse_non_negative_yuan(&y)
                    .map_err(|e| format!("--income-above：{e}"))?,
                None => jiuzhu_app::verification::default_income_limit(
                    &jiuzhu_app::assessment::load_policy(policy.as_deref())?,
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
        Command::AgencyData {
            out,
            seed,
            per_mille,
            policy,
            db,
        } => {
            let (_, registry) = open(&db.database_url, &db.key_file, 2)?;
            let data = synthetic_agency_data(&registry, seed, per_mille, policy.as_deref())?;
            data.write_to(&out)?;
            println!(
                "已写出 {} 个文件、{} 条记录（埋入差异 {} 处，见 planted.csv）到 {}",
                data.files.len(),
                data.records,
                data.planted.len(),
                out.display()
            );
            Ok(())
        }
        Command::Discover {
            medical_above,
            as_of,
            policy,
            db,
        } => {
            let (_, registry) = open(&db.database_url, &db.key_file, 2)?;
            let as_of = match as_of {
                Some(d) => chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                    .map_err(|_| format!("--as-of：日期应为 YYYY-MM-DD，收到“{d}”"))?,
                None => jiuzhu_domain::time::today(),
            };
            let mut cfg = jiuzhu_app::verification::discovery::DiscoveryConfig::from_policy(
                &jiuzhu_app::assessment::load_policy(policy.as_deref())?,
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
        Command::Simulate { args, db } => {
            let (_, registry) = open(&db.database_url, &db.key_file, 2)?;
            eval::run_simulate(args, &registry)
        }
        Command::Backup { out, db } => operations::backup(&db.database_url, &db.key_file, &out),
        Command::Restore { from, replace, db } => {
            operations::restore(&db.database_url, &db.key_file, &from, replace)
        }
        Command::Keys { command } => operations::keys(command),
        Command::Audit {
            command: AuditCommand::Verify { witness, db },
        } => {
            let (_, registry) = open(&db.database_url, &db.key_file, 1)?;
            commands::audit::audit_verify(&registry, witness.as_deref())
        }
    }
}

/// Generates synthetic agency data for the registry with a progress bar.
fn synthetic_agency_data(
    registry: &Registry,
    seed: u64,
    per_mille: u32,
    policy: Option<&std::path::Path>,
) -> Result<jiuzhu_app::verification::synthetic::SyntheticAgencyData> {
    let as_of = jiuzhu_app::demo::DemoConfig::default().as_of;
    let policy = jiuzhu_app::assessment::load_policy(policy)?;
    let income_above = jiuzhu_app::verification::default_income_limit(&policy, as_of)?;
    let medical_above =
        jiuzhu_app::verification::discovery::DiscoveryConfig::from_policy(&policy, as_of)?
            .medical_above;
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template(
        "生成部门数据 {spinner} 已处理 {pos} 户 {per_sec}",
    )?);
    let data = jiuzhu_app::verification::synthetic::generate(
        registry,
        &jiuzhu_app::verification::synthetic::SyntheticConfig {
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

/// `jiuzhu import SOURCE FILE`: imports an agency file with a progress bar; refused rows are
/// listed and written to `FILE.errors.csv`, and make the exit status 1 (the good rows are in).
fn agency_import(registry: &Registry, source: &str, file: &std::path::Path) -> Result<()> {
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

fn serve_forever(registry: Registry, serve: &ServeArgs) -> Result<()> {
    let listen = serve.listen.as_str();
    let calendar = {
        let mut conn = registry.db.conn()?;
        jiuzhu_app::calendar::load(&mut conn)?
    };
    let policy = jiuzhu_app::assessment::load_policy(serve.policy.as_deref())?;
    println!("政策参数 / policy: {}（{}）", policy.file, policy.version);
    let mut state = jiuzhu_web::AppState::new(registry, calendar).with_policy(policy);
    state.secure_cookies = serve.secure_cookies;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        println!(
            "jiuzhu 已启动 / listening: http://{}/",
            listener.local_addr()?
        );
        axum::serve(
            listener,
            jiuzhu_web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
        Ok(())
    })
}
