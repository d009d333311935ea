//! 等保 数据备份恢复 (issue 15 item 10), on SQLite and PostgreSQL — the restore drill: a city with
//! households, sealed personal data, an audit log and a paid month is backed up while open, lost,
//! and restored with `jiuzhu restore`, which checks the audit chains; the payroll and the sealed
//! values come back the same. A restore with another key file is refused. Then the SM4 key is
//! rotated: values re-sealed, the old version retired, everything still readable.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::jiuzhu;
use jiuzhu_app::Context;
use jiuzhu_app::regions::RegionCache;
use jiuzhu_domain::{Month, RegionCode};
use jiuzhu_storage::testing::all_backends;

fn cli(dir: &Path, args: &[&str], url: &str, key: &Path) -> (bool, String) {
    let out = jiuzhu(dir)
        .args(args)
        .args(["--database-url", url, "--key-file"])
        .arg(key)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn registry_at(url: &str, key: &Path) -> Context {
    let keys = Arc::new(
        jiuzhu_crypto::KeyProvider::keys(&jiuzhu_crypto::KeyFileProvider(key.to_owned())).unwrap(),
    );
    let db = jiuzhu_storage::Db::open(url, 2).unwrap();
    let regions = Arc::new(RegionCache::load(&mut db.conn().unwrap()).unwrap());
    jiuzhu_app::open(db, regions, keys)
}

/// (payment lines, fen) of 滑县's 2026-11 run, and the first household's head's ID number.
fn snapshot(registry: &Context) -> (usize, i64, String) {
    let mut conn = registry.db.conn().unwrap();
    let run = jiuzhu_storage::payroll::run_of_month(&mut conn, "410526", "2026-11")
        .unwrap()
        .expect("the run");
    let lines =
        jiuzhu_storage::payroll::lines(&mut conn, "410526", &run.id, None, 0, i64::MAX).unwrap();
    drop(conn);
    let city = jiuzhu_app::Actor::system(registry.regions.scope(&"4105".parse().unwrap()));
    let list = jiuzhu_app::registry::list(registry, &city, &Default::default()).unwrap();
    let h = jiuzhu_app::registry::household(registry, &city, &list.items[0].id).unwrap();
    let id = jiuzhu_app::registry::reveal_person(
        registry,
        &city,
        &h.members[0].person.id,
        "恢复演练核对",
    )
    .unwrap()
    .id_number;
    (lines.len(), lines.iter().map(|l| l.amount_fen).sum(), id)
}

fn seed(registry: &Context) {
    let city = jiuzhu_app::Actor::system(registry.regions.scope(&"4105".parse().unwrap()));
    for seq in 0..3u16 {
        let input: jiuzhu_app::registry::HouseholdInput = serde_json::from_value(serde_json::json!({
            "region_code": "410526102201",
            "address": format!("滑县某村{seq}号"),
            "members": [{"name": "王五", "id_number": jiuzhu_domain::ResidentId::build("410526",
                    chrono::NaiveDate::from_ymd_opt(1970, 3, 3).unwrap(), 700 + seq).to_string(),
                "relation": "户主", "hukou_type": "农村", "labour_capacity": "有劳动能力"}]
        }))
        .unwrap();
        jiuzhu_app::registry::create_household(registry, &city, &input).unwrap();
    }
    let county = RegionCode::parse("410526").unwrap();
    let towns: Vec<RegionCode> = registry.regions.children(&county).to_vec();
    let (mut enrolments, mut accounts) = (vec![], vec![]);
    for n in 0..200u64 {
        let (e, a) = jiuzhu_demo::payroll::synthetic(
            registry,
            "410526",
            towns[n as usize % towns.len()].as_str(),
            &format!("hh-{n:04}"),
            n,
            Month::parse("2026-01").unwrap(),
        );
        enrolments.push(e);
        accounts.push(a);
    }
    let mut conn = registry.db.conn().unwrap();
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), jiuzhu_storage::StorageError> {
        jiuzhu_storage::payroll::insert_enrolments(c, &enrolments)?;
        jiuzhu_storage::payroll::insert_accounts(c, &accounts)
    })
    .unwrap();
}

#[test]
fn a_backup_restored_after_a_loss_has_its_audit_chains_payroll_and_sealed_data() {
    for t in all_backends() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("jiuzhu.key");
        let url = t.url();
        let (ok, out) = cli(dir.path(), &["migrate"], &url, &key);
        assert!(ok, "{out}");
        let registry = registry_at(&url, &key);
        seed(&registry);
        let (ok, out) = cli(
            dir.path(),
            &["payroll", "run", "--month", "2026-11", "--county", "410526"],
            &url,
            &key,
        );
        assert!(ok, "{out}");
        let before = snapshot(&registry);
        assert_eq!(before.0, 200, "{}", t.label);
        drop(registry);

        // Backed up while the database is open and in use.
        let file = dir.path().join("backup.bin");
        let (ok, out) = cli(
            dir.path(),
            &["backup", "--out", file.to_str().unwrap()],
            &url,
            &key,
        );
        assert!(ok && out.contains("密钥文件"), "{out}");
        let (ok, out) = cli(
            dir.path(),
            &["backup", "--out", file.to_str().unwrap()],
            &url,
            &key,
        );
        assert!(!ok && out.contains("不覆盖"), "{out}");

        // The loss, and the restore.
        let target = match t.backend() {
            jiuzhu_storage::Backend::Sqlite => {
                dir.path().join("restored.sqlite3").display().to_string()
            }
            jiuzhu_storage::Backend::Postgres => {
                let mut c = t.db.conn().unwrap();
                diesel::connection::SimpleConnection::batch_execute(
                    &mut *c,
                    "TRUNCATE payment_lines, persons, households CASCADE;",
                )
                .unwrap();
                url.clone()
            }
        };
        // With another key file the restored log does not verify: refused, said so.
        let wrong = dir.path().join("other.key");
        let (ok, out) = cli(
            dir.path(),
            &["restore", "--from", file.to_str().unwrap()],
            &target,
            &wrong,
        );
        assert!(
            !ok && out.contains("密钥文件与备份不符"),
            "{}: {out}",
            t.label
        );
        let replace: &[&str] = if t.backend() == jiuzhu_storage::Backend::Sqlite {
            &["--replace"]
        } else {
            &[]
        };
        let mut args = vec!["restore", "--from", file.to_str().unwrap()];
        args.extend_from_slice(replace);
        let (ok, out) = cli(dir.path(), &args, &target, &key);
        assert!(ok && out.contains("恢复后审计链完整"), "{}: {out}", t.label);
        let restored = registry_at(&target, &key);
        assert_eq!(snapshot(&restored), before, "{}", t.label);

        // Key rotation on the restored database: a new version, everything re-sealed, the old
        // one retired only once nothing uses it.
        let (ok, out) = cli(dir.path(), &["keys", "rotate"], &target, &key);
        assert!(ok && out.contains("v2"), "{out}");
        let (ok, out) = cli(dir.path(), &["keys", "retire", "1"], &target, &key);
        assert!(!ok && out.contains("仍有数据使用密钥 v1"), "{out}");
        let (ok, out) = cli(
            dir.path(),
            &["keys", "reseal", "--batch", "37"],
            &target,
            &key,
        );
        assert!(ok && out.contains("重新加密"), "{out}");
        let (ok, out) = cli(dir.path(), &["keys", "status"], &target, &key);
        assert!(
            ok && out.contains("当前密钥：v2") && !out.contains(" v1："),
            "{out}"
        );
        let (ok, out) = cli(dir.path(), &["keys", "retire", "1"], &target, &key);
        assert!(ok, "{out}");
        let after = registry_at(&target, &key);
        assert_eq!(snapshot(&after), before, "still readable with v2 alone");
        let (ok, out) = cli(dir.path(), &["audit", "verify"], &target, &key);
        assert!(ok, "{out}");
    }
}

#[test]
fn every_column_holding_sealed_values_is_in_the_list_rotation_walks() {
    // A sealed column missing from SEALED_COLUMNS would keep old-key values that `keys retire`
    // then makes unreadable: the demo city's every text column is scanned for sealed values.
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Text};
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite3");
    let out = jiuzhu(dir.path())
        .args(["demo", "--households", "300", "--no-serve", "--database"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut c = diesel::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .load(&mut c)
    .unwrap();
    let listed: Vec<String> = jiuzhu_storage::sealed::SEALED_COLUMNS
        .iter()
        .map(|s| s.field())
        .collect();
    let mut found = vec![];
    for t in tables {
        let cols: Vec<Name> = diesel::sql_query(format!(
            "SELECT name FROM pragma_table_info('{}') WHERE type = 'TEXT'",
            t.name
        ))
        .load(&mut c)
        .unwrap();
        for col in cols {
            let n: Vec<N> = diesel::sql_query(format!(
                "SELECT COUNT(*) AS n FROM {} WHERE {} LIKE 'v1:%'",
                t.name, col.name
            ))
            .load(&mut c)
            .unwrap();
            if n[0].n > 0 {
                found.push(format!("{}.{}", t.name, col.name));
            }
        }
    }
    assert!(found.len() >= 4, "the demo seals personal data: {found:?}");
    for f in &found {
        assert!(
            listed.contains(f),
            "{f} holds sealed values but is not in SEALED_COLUMNS"
        );
    }
}
