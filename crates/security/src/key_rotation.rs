//! 等保 数据保密性 (issue 15 item 10): rotating the SM4 field key. `jiuzhu keys rotate` adds a
//! key version and makes it current (servers restarted afterwards seal with it); [`reseal`]
//! re-encrypts every sealed value still on an older version, column by column in batches of one
//! transaction each — stopped anywhere, it carries on where it was, because it only ever reads
//! values not yet on the current version; [`retire`] removes an old version from the key file
//! once no value uses it, and refuses while any does (a server still running on the old key
//! file would have written some). The HMAC index key is not rotated: every blind index and every
//! audit hash depends on it.

use jiuzhu_crypto::{FieldCipher, Keys};
use jiuzhu_storage::Db;
use jiuzhu_storage::sealed::{self, SEALED_COLUMNS, SealedColumn};

use jiuzhu_kernel::AppError;

/// How many values of each column and key version are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionCount {
    /// `table.column`.
    pub column: String,
    /// The key version.
    pub version: u32,
    /// Values sealed with it.
    pub values: i64,
}

/// Counts the sealed values per column and key version, for versions 1 to `up_to`.
pub fn versions_in_use(db: &Db, up_to: u32) -> Result<Vec<VersionCount>, AppError> {
    let mut conn = db.conn()?;
    let mut out = vec![];
    for c in SEALED_COLUMNS {
        for v in 1..=up_to {
            let n = sealed::count_with_prefix(&mut conn, c, &format!("v{v}:"))?;
            if n > 0 {
                out.push(VersionCount {
                    column: c.field(),
                    version: v,
                    values: n,
                });
            }
        }
    }
    Ok(out)
}

/// Re-seals every value not on the current key version; returns how many were re-sealed.
/// `progress` gets (column, values re-sealed in it so far) after each batch.
pub fn reseal(
    db: &Db,
    keys: &Keys,
    batch: i64,
    progress: &dyn Fn(&str, u64),
) -> Result<u64, AppError> {
    let prefix = keys.cipher.current_prefix();
    let mut total = 0;
    for c in SEALED_COLUMNS {
        total += reseal_column(db, &keys.cipher, c, &prefix, batch.max(1), progress)?;
    }
    Ok(total)
}

fn reseal_column(
    db: &Db,
    cipher: &FieldCipher,
    c: &SealedColumn,
    prefix: &str,
    batch: i64,
    progress: &dyn Fn(&str, u64),
) -> Result<u64, AppError> {
    let field = c.field();
    let mut after = (String::new(), String::new());
    let mut done = 0u64;
    loop {
        let mut conn = db.conn()?;
        let rows = sealed::stale_values(&mut conn, c, prefix, (&after.0, &after.1), batch)?;
        let Some(last) = rows.last() else {
            return Ok(done);
        };
        after = (last.county_code.clone(), last.id.clone());
        let n = jiuzhu_storage::in_transaction(&mut conn, |conn| -> Result<u64, AppError> {
            let mut n = 0;
            for r in &rows {
                let plain = cipher.decrypt(&field, &r.value).map_err(|e| {
                    AppError::Conflict(format!(
                        "{field} 的记录 {} {} 无法解密（{e}），重新加密已停止，其余数据未受影响",
                        r.county_code, r.id
                    ))
                })?;
                if sealed::replace_value(conn, c, r, &cipher.encrypt(&field, &plain))? {
                    n += 1;
                }
            }
            Ok(n)
        })?;
        done += n;
        progress(&field, done);
    }
}

/// Removes key version `version` from the key file, if no stored value still uses it.
pub fn retire(db: &Db, key_file: &std::path::Path, version: u32) -> Result<(), AppError> {
    let mut conn = db.conn()?;
    let mut left = vec![];
    for c in SEALED_COLUMNS {
        let n = sealed::count_with_prefix(&mut conn, c, &format!("v{version}:"))?;
        if n > 0 {
            left.push(format!("{} {n} 条", c.field()));
        }
    }
    if !left.is_empty() {
        return Err(AppError::Conflict(format!(
            "仍有数据使用密钥 v{version}（{}）：请先重启所有服务进程并运行 jiuzhu keys reseal",
            left.join("，")
        )));
    }
    Keys::retire_field_key(key_file, version).map_err(|e| AppError::Conflict(e.to_string()))
}
