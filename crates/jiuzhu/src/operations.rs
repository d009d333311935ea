//! The operator's commands for 等保 数据备份恢复 and key management (issue 15 item 10):
//! `jiuzhu backup`, `jiuzhu restore` (which checks the audit chains of what it restored) and
//! `jiuzhu keys status|rotate|reseal|retire`.

use std::path::PathBuf;

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use jiuzhu_app::security::key_rotation;
use jiuzhu_crypto::{KeyFileProvider, KeyProvider, Keys};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// `jiuzhu keys …`
#[derive(Subcommand)]
pub enum KeysCommand {
    /// How many sealed values each key version holds, per column.
    Status {
        #[command(flatten)]
        db: crate::setup::DbArgs,
    },
    /// Add a new SM4 key version and make it current (restart every server afterwards).
    Rotate {
        #[command(flatten)]
        db: crate::setup::DbArgs,
    },
    /// Re-encrypt every value still on an older key version, in batches (resumable).
    Reseal {
        /// Values per transaction.
        #[arg(long, default_value_t = 1000)]
        batch: i64,
        #[command(flatten)]
        db: crate::setup::DbArgs,
    },
    /// Remove an old key version from the key file (refused while any value uses it).
    Retire {
        /// The version to remove.
        version: u32,
        #[command(flatten)]
        db: crate::setup::DbArgs,
    },
}

/// `jiuzhu backup --out FILE`
pub fn backup(url: &str, key_file: &std::path::Path, out: &std::path::Path) -> Result<()> {
    let (db, _) = crate::setup::open(url, key_file, 1)?;
    jiuzhu_storage::backup::backup(&db, url, out)?;
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    println!(
        "已备份到 {}（{:.1} MB）。密钥文件 {} 不在备份中：请另行妥善保存，否则备份无法读取",
        out.display(),
        size as f64 / 1_048_576.0,
        key_file.display()
    );
    Ok(())
}

/// `jiuzhu restore --from FILE [--replace]`: restores, then verifies the audit chains.
pub fn restore(
    url: &str,
    key_file: &std::path::Path,
    from: &std::path::Path,
    replace: bool,
) -> Result<()> {
    jiuzhu_storage::backup::restore(url, from, replace)?;
    println!("已从 {} 恢复", from.display());
    let (_, registry) = crate::setup::open(url, key_file, 1)?;
    let mut conn = registry.db.conn()?;
    let report = registry.audit.verify(&mut conn)?;
    if report.is_intact() {
        println!(
            "恢复后审计链完整：{} 条链，{} 条记录",
            report.chains, report.entries
        );
        Ok(())
    } else {
        for b in &report.breaks {
            println!("{b}");
        }
        Err("恢复的数据审计链不完整（或密钥文件与备份不符）".into())
    }
}

/// `jiuzhu keys …`
pub fn keys(command: KeysCommand) -> Result<()> {
    let (url, key_file): (&str, &PathBuf) = match &command {
        KeysCommand::Status { db }
        | KeysCommand::Rotate { db }
        | KeysCommand::Reseal { db, .. }
        | KeysCommand::Retire { db, .. } => (&db.database_url, &db.key_file),
    };
    match &command {
        KeysCommand::Rotate { .. } => {
            let v = Keys::rotate_field_key(key_file)?;
            println!(
                "已生成密钥 v{v} 并设为当前密钥。请重启所有服务进程，然后运行 jiuzhu keys reseal"
            );
        }
        KeysCommand::Status { .. } => {
            let keys = KeyFileProvider(key_file.clone()).keys()?;
            let (db, _) = crate::setup::open(url, key_file, 1)?;
            println!("当前密钥：v{}", keys.cipher.current_version());
            for c in key_rotation::versions_in_use(&db, keys.cipher.current_version())? {
                println!("  {:<32} v{}：{} 条", c.column, c.version, c.values);
            }
        }
        KeysCommand::Reseal { batch, .. } => {
            let keys = KeyFileProvider(key_file.clone()).keys()?;
            let (db, _) = crate::setup::open(url, key_file, 2)?;
            let bar = ProgressBar::new_spinner();
            bar.set_style(ProgressStyle::with_template(
                "重新加密 {spinner} {msg} 已处理 {pos} 条",
            )?);
            let n = key_rotation::reseal(&db, &keys, *batch, &|column, done| {
                bar.set_message(column.to_owned());
                bar.set_position(done);
            })?;
            bar.finish_and_clear();
            println!(
                "已用密钥 v{} 重新加密 {n} 条数据",
                keys.cipher.current_version()
            );
        }
        KeysCommand::Retire { version, .. } => {
            let (db, _) = crate::setup::open(url, key_file, 1)?;
            key_rotation::retire(&db, key_file, *version)?;
            println!("已停用密钥 v{version}");
        }
    }
    Ok(())
}
