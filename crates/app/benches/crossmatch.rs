//! Cross-matching benchmark (issue 6): a registry of N households (default 340,000, about
//! 1,000,000 people) against M agency records (default 10,000,000: a tenth about registered
//! people, the rest about others), then one `cross_match` run, timed; the findings digest is
//! printed so that SQLite and PostgreSQL can be compared.
//!
//! ```text
//! JIUZHU_BENCH_DB=/tmp/xm.sqlite3 cargo bench -p jiuzhu-app --bench crossmatch
//! JIUZHU_BENCH_DB=postgres://postgres@127.0.0.1:5432/jiuzhu_xm cargo bench -p jiuzhu-app --bench crossmatch
//! JIUZHU_BENCH_HOUSEHOLDS=2000 cargo test --workspace --all-targets     # smoke run (CI)
//! ```
//! A database that already holds the households and records is reused.

use std::sync::Arc;
use std::time::Instant;

use jiuzhu_app::Actor;
use jiuzhu_app::regions::RegionCache;
use jiuzhu_demo::{DemoConfig, generate};
use jiuzhu_domain::{Money, RegionCode};
use jiuzhu_storage::Db;
use jiuzhu_storage::models::{AgencyImportRow, AgencyRecordRow};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn bench_import() -> AgencyImportRow {
    AgencyImportRow {
        id: "bench-import".into(),
        source: "bench".into(),
        file_name: "bench".into(),
        file_digest: "bench".into(),
        rows_total: 0,
        rows_imported: 0,
        rows_duplicate: 0,
        rows_failed: 0,
        imported_by: "bench".into(),
        imported_at: jiuzhu_domain::time::now(),
    }
}

/// Stores `records` synthetic agency records: a tenth about the registered people in `ids`.
fn store_records(db: &Db, ids: &[String], records: u64) {
    let mut conn = db.conn().unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let kinds = [
        "death",
        "car",
        "company",
        "home",
        "home",
        "other_property",
        "public_payroll",
        "taxed_income",
        "deposit",
        "deposit",
    ];
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), jiuzhu_storage::StorageError> {
        jiuzhu_storage::agency::insert_import(c, &bench_import())?;
        let mut batch = Vec::with_capacity(20_000);
        for i in 0..records {
            let subject = if rng.random_bool(0.1) {
                ids[rng.random_range(0..ids.len())].clone()
            } else {
                format!("{:064x}", rng.random::<u128>())
            };
            // Rare kinds stay rare: most records are income and deposits.
            let kind = if rng.random_bool(0.1) {
                kinds[rng.random_range(0..8)]
            } else {
                kinds[rng.random_range(7..10)]
            };
            batch.push(AgencyRecordRow {
                source: "bench".into(),
                record_key: format!("{i:016x}"),
                subject_key: subject,
                kind: kind.into(),
                amount_fen: Some(rng.random_range(0..1_000_000)),
                period_start: None,
                period_end: None,
                as_of: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
                agency: "bench".into(),
                reference: String::new(),
                import_id: "bench-import".into(),
                row_no: 0,
            });
            if batch.len() == 20_000 {
                jiuzhu_storage::agency::insert_records(c, &batch)?;
                batch.clear();
            }
        }
        jiuzhu_storage::agency::insert_records(c, &batch)?;
        Ok(())
    })
    .unwrap();
}

fn main() {
    let households = env_num("JIUZHU_BENCH_HOUSEHOLDS", 340_000);
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("JIUZHU_BENCH_DB")
        .unwrap_or_else(|_| dir.path().join("xm.sqlite3").to_string_lossy().into_owned());
    let db = Db::open(&url, 4).expect("database");
    let regions = Arc::new(RegionCache::load(&mut db.conn().unwrap()).unwrap());
    let keys = Arc::new(jiuzhu_crypto::Keys::from_bytes([7; 16], [9; 32]));
    let registry = jiuzhu_app::open(db.clone(), regions.clone(), keys);
    let who = Actor::system(regions.scope(&RegionCode::parse("4105").unwrap()));
    let mut ids = jiuzhu_storage::agency::identity_keys(&mut db.conn().unwrap()).unwrap();
    if ids.is_empty() {
        let t = Instant::now();
        let cfg = DemoConfig {
            households,
            ..Default::default()
        };
        generate(&registry, &cfg, &|_| {}).unwrap();
        ids = jiuzhu_storage::agency::identity_keys(&mut db.conn().unwrap()).unwrap();
        eprintln!(
            "generated {households} households ({} people) in {:.1} s",
            ids.len(),
            t.elapsed().as_secs_f64()
        );
    }
    let records = env_num(
        "JIUZHU_BENCH_RECORDS",
        (ids.len() as u64 * 10).min(10_000_000),
    );
    let have = jiuzhu_storage::agency::count(&mut db.conn().unwrap(), "bench").unwrap();
    if have == 0 {
        let t = Instant::now();
        store_records(&db, &ids, records);
        eprintln!(
            "stored {records} agency records in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    let records = jiuzhu_storage::agency::count(&mut db.conn().unwrap(), "bench").unwrap();
    let t = Instant::now();
    let limit = Money::from_yuan(3000);
    let r = jiuzhu_app::verification::cross_match(&db, &registry.audit, &who, limit).unwrap();
    let s = t.elapsed().as_secs_f64();
    println!(
        "| cross-match, {:?} | {} people × {} records | {s:.1} s | {} matched, {} findings, {} new tasks | digest {} |",
        db.backend(),
        ids.len(),
        records,
        r.records_matched,
        r.findings.values().sum::<usize>(),
        r.tasks_new,
        &r.digest[..16]
    );
    let t = Instant::now();
    let again = jiuzhu_app::verification::cross_match(&db, &registry.audit, &who, limit).unwrap();
    println!(
        "| re-run (nothing new) | | {:.1} s | {} new tasks | digest {} |",
        t.elapsed().as_secs_f64(),
        again.tasks_new,
        &again.digest[..16]
    );
    assert_eq!(again.digest, r.digest);
    assert_eq!(again.tasks_new, 0);
}
