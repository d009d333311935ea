//! S4, G3: `jiuzhu payroll run|check|approve|export|reconcile` — a county's monthly payroll at
//! the command line, through the same services as the 资金发放 pages, acting as a person signed
//! in with their own credentials (or, for the scheduled steps, as the platform).

use std::path::PathBuf;
use std::time::Instant;

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};

use crate::credentials;
use crate::setup::{DbArgs, Result, city, open};

/// Which run, and who acts.
#[derive(clap::Args)]
pub(crate) struct PayrollArgs {
    /// The month paid (YYYY-MM).
    #[arg(long)]
    month: String,
    /// The county (6-digit code, e.g. 410526).
    #[arg(long)]
    county: String,
    /// The person acting, signed in with their own credentials (JIUZHU_TOKEN, or
    /// JIUZHU_PASSWORD and JIUZHU_TOTP, else asked at the terminal); recorded in the run and the
    /// audit log. Drafting, checking and approving need three different people; check and
    /// approve always need a person, the other steps run as the platform without one.
    #[arg(long)]
    user: Option<String>,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(Subcommand)]
pub(crate) enum PayrollCommand {
    /// Generate (or complete, after an interruption) the month's draft: every enrolment and
    /// due instalment becomes one payment line, exactly once.
    Run {
        #[command(flatten)]
        args: PayrollArgs,
    },
    /// Check the draft (not by who drafted it).
    Check {
        #[command(flatten)]
        args: PayrollArgs,
    },
    /// Approve the checked run (by a third person).
    Approve {
        #[command(flatten)]
        args: PayrollArgs,
    },
    /// Write one CSV and one XLSX bank file per bank into a directory.
    Export {
        #[command(flatten)]
        args: PayrollArgs,
        /// Directory for the bank files.
        #[arg(long)]
        out: PathBuf,
    },
    /// Read a bank's return file (CSV: 参考号, 结果 成功/失败, 原因).
    Reconcile {
        #[command(flatten)]
        args: PayrollArgs,
        /// The return file.
        #[arg(long)]
        file: PathBuf,
    },
}

/// `jiuzhu payroll …`: the same services as the 资金发放 pages, acting as the named person.
pub(crate) fn payroll(command: PayrollCommand) -> Result<()> {
    use jiuzhu_app::payroll::bank;
    use jiuzhu_app::payroll::run;
    use jiuzhu_domain::payroll::RunAction;
    let args = match &command {
        PayrollCommand::Run { args }
        | PayrollCommand::Check { args }
        | PayrollCommand::Approve { args }
        | PayrollCommand::Export { args, .. }
        | PayrollCommand::Reconcile { args, .. } => args,
    };
    let (_, registry) = open(&args.db.database_url, &args.db.key_file, 2)?;
    let (platform_allowed, step) = match &command {
        PayrollCommand::Check { .. } => (false, "复核"),
        PayrollCommand::Approve { .. } => (false, "审批"),
        _ => (true, "发放"),
    };
    let acting = credentials::acting(
        &registry,
        city(&registry)?,
        args.user.as_deref(),
        platform_allowed,
        step,
    )?;
    let who = acting.actor().clone();
    let current = || -> Result<run::RunView> {
        let mut conn = registry.db.conn()?;
        let row = jiuzhu_storage::payroll::run_of_month(&mut conn, &args.county, &args.month)?
            .ok_or_else(|| {
                format!(
                    "{} 县（市、区）{} 没有发放批次，请先 payroll run",
                    args.county, args.month
                )
            })?;
        drop(conn);
        Ok(run::get(&registry, &who, &args.county, &row.id)?)
    };
    let view = match &command {
        PayrollCommand::Run { .. } => {
            let bar = ProgressBar::new(0);
            bar.set_style(ProgressStyle::with_template(
                "生成发放名单 {bar:40} {pos}/{len} 个乡镇 剩余 {eta}",
            )?);
            let started = Instant::now();
            let v = run::generate(
                &registry,
                &who,
                &args.county,
                &args.month,
                &|done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                },
            )?;
            bar.finish_and_clear();
            println!("用时 {:.1} 秒", started.elapsed().as_secs_f64());
            v
        }
        PayrollCommand::Check { .. } | PayrollCommand::Approve { .. } => {
            let v = current()?;
            let action = if matches!(command, PayrollCommand::Check { .. }) {
                RunAction::Check
            } else {
                RunAction::Approve
            };
            run::act(&registry, &who, &args.county, &v.id, action, v.version)?
        }
        PayrollCommand::Export { out, .. } => {
            let v = current()?;
            let v = if v.status == "approved" {
                run::act(
                    &registry,
                    &who,
                    &args.county,
                    &v.id,
                    RunAction::Export,
                    v.version,
                )?
            } else {
                v
            };
            std::fs::create_dir_all(out)?;
            for b in &v.banks {
                for xlsx in [false, true] {
                    let (name, bytes) =
                        bank::bank_file(&registry, &who, &args.county, &v.id, b, xlsx)?;
                    std::fs::write(out.join(&name), bytes)?;
                    println!("已写出 {}", out.join(&name).display());
                }
            }
            v
        }
        PayrollCommand::Reconcile { file, .. } => {
            let v = current()?;
            let bytes =
                std::fs::read(file).map_err(|e| format!("无法读取 {}：{e}", file.display()))?;
            let r = bank::reconcile(&registry, &who, &args.county, &v.id, &bytes)?;
            println!("成功 {} 笔，失败 {} 笔", r.paid, r.failed);
            for (row, why) in &r.refused {
                println!("第 {row} 行未处理：{why}");
            }
            r.run.ok_or("对账后无法读取批次")?
        }
    };
    let a = &view.all;
    println!(
        "{} {} 发放批次 {}：{} 笔，合计 {} 元 = 已发放 {} + 失败 {} + 暂缓 {} + 待发放 {}",
        view.county_name,
        view.month,
        view.status_name,
        a.lines,
        a.total,
        a.paid,
        a.failed,
        a.held,
        a.outstanding
    );
    acting.finish();
    Ok(())
}
