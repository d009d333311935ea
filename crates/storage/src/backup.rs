//! 等保 数据备份恢复 (issue 15 item 10): a consistent copy of the database while it serves, and
//! putting one back. SQLite: `VACUUM INTO` a new private (0600) file — one transaction's view of
//! the whole file, taken online; restoring copies it into place. PostgreSQL: `pg_dump` in its
//! custom format and `pg_restore --clean`; a URL confined to one schema
//! (`options=-csearch_path=…`) dumps and restores that schema only. The key file is never in a
//! backup: keep it apart, or the copy is unreadable (and a thief's copy too).

use std::path::Path;
use std::process::Command;

use diesel::connection::SimpleConnection;

use crate::{Backend, Db, StorageError};

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The schema a URL confines PostgreSQL to (`options=-csearch_path%3D<schema>`), if any.
fn confined_schema(url: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    q.split('&').find_map(|kv| {
        let v = kv.strip_prefix("options=")?;
        let v = v.replace("%3D", "=").replace("%3d", "=");
        v.strip_prefix("-csearch_path=").map(str::to_owned)
    })
}

fn tool(name: &str, args: &[String]) -> Result<(), StorageError> {
    let out = Command::new(name).args(args).output().map_err(|e| {
        StorageError::Open(format!("无法运行 {name}（请安装 postgresql-client）：{e}"))
    })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(StorageError::Open(format!(
            "{name} 失败：{}",
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

/// Writes a backup of the open database `db` (reached at `url`) to `out`, which must not exist.
pub fn backup(db: &Db, url: &str, out: &Path) -> Result<(), StorageError> {
    if out.exists() {
        return Err(StorageError::Open(format!(
            "{} 已存在：备份不覆盖已有文件",
            out.display()
        )));
    }
    let out_str = out
        .to_str()
        .ok_or_else(|| StorageError::Open("备份路径须为 UTF-8".into()))?;
    match db.backend() {
        Backend::Sqlite => {
            crate::db::create_private(out_str)?;
            let mut conn = db.conn()?;
            conn.batch_execute(&format!("VACUUM INTO '{}'", out_str.replace('\'', "''")))?;
            Ok(())
        }
        Backend::Postgres => {
            let mut args = vec![
                "--format=custom".to_owned(),
                "--no-owner".to_owned(),
                format!("--file={out_str}"),
            ];
            if let Some(schema) = confined_schema(url) {
                args.push(format!("--schema={schema}"));
            }
            args.push(url.to_owned());
            tool("pg_dump", &args)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(out, std::fs::Permissions::from_mode(0o600));
            }
            Ok(())
        }
    }
}

/// Puts a backup back at `url`. SQLite: the file at `url` must not exist unless `replace`
/// (then it and its WAL are replaced; stop the server first). PostgreSQL: the backup's tables
/// replace those of the same names.
pub fn restore(url: &str, from: &Path, replace: bool) -> Result<(), StorageError> {
    if !from.exists() {
        return Err(StorageError::Open(format!("找不到备份 {}", from.display())));
    }
    if is_postgres(url) {
        return tool(
            "pg_restore",
            &[
                "--clean".into(),
                "--if-exists".into(),
                "--no-owner".into(),
                "--exit-on-error".into(),
                format!("--dbname={url}"),
                from.display().to_string(),
            ],
        );
    }
    let path = url.strip_prefix("sqlite://").unwrap_or(url);
    let target = Path::new(path);
    if target.exists() && !replace {
        return Err(StorageError::Open(format!(
            "{path} 已存在：恢复到新位置，或确认停止服务后加 --replace"
        )));
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    let _ = std::fs::remove_file(target);
    crate::db::create_private(path)?;
    std::fs::copy(from, target).map_err(|e| StorageError::Open(format!("{path}：{e}")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_confined_url_names_its_schema() {
        assert_eq!(
            super::confined_schema("postgres://h/db?options=-csearch_path%3Dt_1").as_deref(),
            Some("t_1")
        );
        assert_eq!(super::confined_schema("postgres://h/db"), None);
    }
}
