//! S22 / 等保 安全审计: `jiuzhu audit verify [--witness FILE]` — every chain, the sealed registry
//! of chains and, with a witness file kept off the machine, a rollback (issue 15 F7).

use std::path::PathBuf;

use clap::Subcommand;
use jiuzhu_app::Context;

use crate::setup::{DbArgs, Result};

#[derive(Subcommand)]
pub(crate) enum AuditCommand {
    /// Check every audit chain; names the first broken entry of each and exits 1 if any.
    Verify {
        /// A witness file of the chains' heads: compared with the log when it exists (a log cut
        /// short or rolled back since is named), and rewritten after an intact check. Keep it
        /// off the database machine (write-once storage), e.g. from a daily cron job.
        #[arg(long)]
        witness: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// `jiuzhu audit verify [--witness FILE]` (issue 15 F7).
pub(crate) fn audit_verify(registry: &Context, witness: Option<&std::path::Path>) -> Result<()> {
    use jiuzhu_app::audit::verify::WitnessHead;
    let mut conn = registry.db.conn()?;
    let report = registry.audit.verify(&mut conn)?;
    for n in &report.notes {
        println!("{n}");
    }
    let mut breaks = report.breaks.clone();
    if let Some(path) = witness.filter(|p| p.exists()) {
        let text = std::fs::read_to_string(path)?;
        let heads: Vec<WitnessHead> = serde_json::from_str(&text)
            .map_err(|e| format!("见证文件 {} 无法读取：{e}", path.display()))?;
        breaks.extend(registry.audit.check_witness(&mut conn, &heads)?);
    }
    if breaks.is_empty() {
        println!(
            "审计链完整：{} 条链，{} 条记录 / audit chains intact",
            report.chains, report.entries
        );
        if let Some(path) = witness {
            std::fs::write(path, serde_json::to_string_pretty(&report.heads)?)?;
            println!("已更新见证文件 {}", path.display());
        }
        Ok(())
    } else {
        for b in &breaks {
            println!("{b}");
        }
        Err(format!("{} 条审计链被破坏 / audit chain broken", breaks.len()).into())
    }
}
