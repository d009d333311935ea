//! `jiuzhu eval` and `jiuzhu simulate`: the rules engine from the command line — one household
//! or a JSON Lines batch against a policy file, and a reform of the standards simulated over the
//! registry, county by county (S6).

use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use jiuzhu_app::registry::assessment::load_policy;
use jiuzhu_app::registry::assessment::simulate;
use jiuzhu_domain::Money;
use jiuzhu_rules::{Batch, Checked, Engine, Household};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Which JSON Schema to print.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Schema {
    /// One household (the input of `eval`).
    Input,
    /// The body of `POST /api/v1/eval`.
    Request,
    /// The assessment.
    Output,
}

/// Arguments of `jiuzhu eval`.
#[derive(clap::Args)]
pub struct EvalArgs {
    /// The household JSON file (or, with --batch, a JSON Lines file); `-` reads standard input.
    pub file: Option<PathBuf>,
    /// Policy file (a file, or a folder of files; default: the bundled policy/anyang/).
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// Assessment date (default: today).
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// Read JSON Lines (one household a line) and write JSON Lines (one assessment a line; a
    /// line that cannot be assessed gives {"line": N, "error": …}).
    #[arg(long)]
    pub batch: bool,
    /// Leave out explanations (the default in --batch; use --explain there to include them).
    #[arg(long)]
    pub no_explain: bool,
    /// Include explanations in --batch output.
    #[arg(long)]
    pub explain: bool,
    /// Print a JSON Schema instead.
    #[arg(long, value_enum)]
    pub schema: Option<Schema>,
}

fn reader(file: &Path) -> Result<Box<dyn BufRead>> {
    Ok(if file == Path::new("-") {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(file).map_err(|e| format!("无法读取 {}：{e}", file.display()))?,
        ))
    })
}

/// Runs `jiuzhu eval`; returns whether every household could be assessed.
pub fn eval(args: EvalArgs) -> Result<bool> {
    if let Some(s) = args.schema {
        let v = match s {
            Schema::Input => jiuzhu_rules::input_schema(),
            Schema::Request => jiuzhu_rules::request_schema(),
            Schema::Output => jiuzhu_rules::output_schema(),
        };
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(true);
    }
    let file = args.file.ok_or("缺少家庭 JSON 文件（或用 - 读标准输入）")?;
    let engine = Engine::new(load_policy(args.policy.as_deref())?);
    let date = args.date.unwrap_or_else(jiuzhu_domain::time::today);
    if !args.batch {
        let mut text = String::new();
        reader(&file)?.read_to_string(&mut text)?;
        let h: Household =
            serde_json::from_str(&text).map_err(|e| format!("{}：{e}", file.display()))?;
        let a = engine.assess(&h, date, !args.no_explain)?;
        println!("{}", serde_json::to_string_pretty(&a)?);
        return Ok(true);
    }
    let explain = args.explain && !args.no_explain;
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    let mut batch = Batch::new(&engine, date);
    let (mut ok, mut failed) = (0u64, 0u64);
    for (i, line) in reader(&file)?.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let n = i + 1;
        let result = serde_json::from_str::<Household>(&line)
            .map_err(|e| e.to_string())
            .and_then(|h| {
                if explain {
                    engine.assess(&h, date, true).map_err(|e| e.to_string())
                } else {
                    Checked::new(&h)
                        .and_then(|c| batch.assess(c))
                        .map_err(|e| e.to_string())
                }
            });
        match result {
            Ok(a) => {
                ok += 1;
                serde_json::to_writer(&mut out, &a)?;
            }
            Err(e) => {
                failed += 1;
                serde_json::to_writer(&mut out, &serde_json::json!({"line": n, "error": e}))?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!("已评估 {ok} 户，{failed} 行有误 / {ok} assessed, {failed} failed");
    Ok(failed == 0)
}

/// Arguments of `jiuzhu simulate`.
#[derive(clap::Args)]
pub struct SimulateArgs {
    /// The policy in force (a file, or a folder of files; default: the bundled policy/anyang/).
    #[arg(long)]
    pub policy: Option<PathBuf>,
    /// The proposed policy (a copy of the file with the changed standards).
    #[arg(long)]
    pub reform: PathBuf,
    /// Date to assess on (default: today).
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `jiuzhu simulate` over the registry.
pub fn run_simulate(args: SimulateArgs, registry: &jiuzhu_app::Context) -> Result<()> {
    let current = Engine::new(load_policy(args.policy.as_deref())?);
    let reform = Engine::new(load_policy(Some(&args.reform))?);
    let date = args.date.unwrap_or_else(jiuzhu_domain::time::today);
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(indicatif::ProgressStyle::with_template(
        "测算中 {spinner} {pos} 户 {per_sec}",
    )?);
    let started = std::time::Instant::now();
    let (rows, total, skipped) =
        simulate(registry, &current, &reform, date, &|n| bar.set_position(n))?;
    bar.finish_and_clear();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"date": date, "rows": rows, "total": total, "skipped": skipped})
            )?
        );
        return Ok(());
    }
    println!(
        "低保测算 {date}：现行 {}（{}） → 调整 {}（{}），{} 户，用时 {:.1} 秒",
        current.policy().file,
        current.policy().version,
        reform.policy().file,
        reform.policy().version,
        total.households,
        started.elapsed().as_secs_f64()
    );
    println!(
        "{:<10} {:>8} {:>14} {:>14} {:>18} {:>18} {:>8} {:>8}",
        "县（市、区）",
        "户数",
        "保障户 现行→调整",
        "保障人数",
        "月支出（元）现行",
        "调整",
        "增加",
        "减少"
    );
    for r in rows.iter().chain(std::iter::once(&total)) {
        println!(
            "{:<10} {:>8} {:>6} → {:<6} {:>6} → {:<6} {:>18} {:>18} {:>8} {:>8}",
            r.name,
            r.households,
            r.eligible_before,
            r.eligible_after,
            r.people_before,
            r.people_after,
            Money::from_fen(r.cost_before_fen).yuan_string(),
            Money::from_fen(r.cost_after_fen).yuan_string(),
            r.gain,
            r.lose
        );
    }
    if skipped > 0 {
        println!("另有 {skipped} 户数据不完整，未能评估");
    }
    Ok(())
}
