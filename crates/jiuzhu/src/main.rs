//! `jiuzhu`: the one binary of the platform — `serve` the web UI and API, generate and serve a
//! `demo` city, `migrate` a database, import holiday notices and rosters, `eval` households
//! against a policy and `simulate` a reform over the registry.

mod commands;
mod credentials;
mod eval;
mod operations;
mod serve;
mod setup;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use commands::audit::AuditCommand;
use commands::payroll::PayrollCommand;
use commands::user::UserCommand;
use jiuzhu_storage::Db;
use serve::{ServeArgs, serve_forever};
use setup::*;

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
    #[cfg(feature = "demo")]
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
    #[cfg(feature = "demo")]
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
    /// Import a household roster (`jiuzhu import ROSTER.xlsx`), the old system's rolls of
    /// current recipients at go-live (`jiuzhu import rolls FILE`), or another agency's data for
    /// verification (`jiuzhu import SOURCE FILE`, SOURCE one of hukou, tax, social_insurance,
    /// real_estate, business, housing_fund, vehicle, bank, insurance, securities,
    /// internet_finance or their Chinese names; CSV, XLSX or JSON Lines).
    Import {
        /// The roster file, `rolls`, or the agency data source.
        first: String,
        /// With `rolls` or a source: the file.
        file: Option<PathBuf>,
        /// Import the valid households even if some rows have errors (or, for rolls, the
        /// totals differ from the old system's).
        #[arg(long)]
        only_valid: bool,
        /// Rolls: the old system's totals, `COUNTY:PROGRAMME:HOUSEHOLDS:PEOPLE:YUAN` (repeat
        /// per county and programme), compared with the file's before anything is written.
        #[arg(long = "expect")]
        expect: Vec<String>,
        /// Rolls: check and reconcile only; write nothing.
        #[arg(long)]
        dry_run: bool,
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

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve { db, serve } => {
            let (_, registry) = open(&db.database_url, &db.key_file, serve.pool_size)?;
            serve_forever(registry, &serve)
        }
        #[cfg(feature = "demo")]
        Command::Demo {
            households,
            seed,
            database,
            keep,
            no_serve,
            serve,
        } => commands::demo::demo(households, seed, &database, keep, no_serve, &serve),
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
            only_valid,
            expect,
            dry_run,
            db,
        } if first == "rolls" => {
            let (_, ctx) = open(&db.database_url, &db.key_file, 2)?;
            commands::rolls::rolls_import(&ctx, &file, &expect, only_valid, dry_run)
        }
        Command::Import {
            first,
            file: Some(file),
            db,
            ..
        } => {
            let (_, registry) = open(&db.database_url, &db.key_file, 2)?;
            commands::import::agency_import(&registry, &first, &file)
        }
        Command::Import {
            first,
            file: None,
            only_valid,
            db,
            ..
        } => commands::import::roster_import(&first, only_valid, &db),
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
        } => commands::verification::crossmatch(income_above, policy.as_deref(), &db),
        #[cfg(feature = "demo")]
        Command::AgencyData {
            out,
            seed,
            per_mille,
            policy,
            db,
        } => commands::verification::agency_data(&out, seed, per_mille, policy.as_deref(), &db),
        Command::Discover {
            medical_above,
            as_of,
            policy,
            db,
        } => commands::verification::discover(medical_above, as_of, policy.as_deref(), &db),
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
