//! Payroll benchmark (issue 7): N enrolled households (default 1,000,000) spread over every
//! township of the city, each with a payee account; then every county's month generated and
//! persisted — one line per enrolment — timed. The total and line count are printed so that
//! SQLite and PostgreSQL can be compared; a second generation (nothing to add) is timed too.
//!
//! ```text
//! JIUZHU_BENCH_DB=/tmp/pay.sqlite3 cargo bench -p jiuzhu-app --bench payroll
//! JIUZHU_BENCH_DB=postgres://postgres@127.0.0.1:5432/jiuzhu_pay cargo bench -p jiuzhu-app --bench payroll
//! JIUZHU_BENCH_HOUSEHOLDS=2000 cargo test --workspace --all-targets     # smoke run (CI)
//! ```
//! A database that already holds the enrolments is reused (a fresh month is generated).

use std::sync::Arc;
use std::time::Instant;

use jiuzhu_app::Actor;
use jiuzhu_app::regions::RegionCache;
use jiuzhu_domain::{Month, RegionCode, RegionLevel};
use jiuzhu_storage::Db;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn main() {
    let n = env_num("JIUZHU_BENCH_HOUSEHOLDS", 1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("JIUZHU_BENCH_DB").unwrap_or_else(|_| {
        dir.path()
            .join("pay.sqlite3")
            .to_string_lossy()
            .into_owned()
    });
    let db = Db::open(&url, 4).expect("database");
    let regions = Arc::new(RegionCache::load(&mut db.conn().unwrap()).unwrap());
    let keys = Arc::new(jiuzhu_crypto::Keys::from_bytes([7; 16], [9; 32]));
    let registry = jiuzhu_app::open(db.clone(), regions.clone(), keys);
    let city = RegionCode::parse("4105").unwrap();
    let who = Actor::system(regions.scope(&city));
    let towns: Vec<&jiuzhu_app::regions::Region> = regions.of_level(RegionLevel::Township);
    let have = jiuzhu_storage::payroll::enrolled_households(&mut db.conn().unwrap(), "410526")
        .unwrap()
        .len();
    if have == 0 {
        let t = Instant::now();
        let start = Month::parse("2026-01").unwrap();
        let mut batch = (Vec::new(), Vec::new());
        for i in 0..n {
            let town = towns[(i as usize) % towns.len()];
            let county = town.code.county_code().unwrap().to_owned();
            let (e, a) = jiuzhu_demo::payroll::synthetic(
                &registry,
                &county,
                town.code.as_str(),
                &format!("b{i:08}"),
                i,
                start,
            );
            batch.0.push(e);
            batch.1.push(a);
            if batch.0.len() == 20_000 || i + 1 == n {
                let mut conn = db.conn().unwrap();
                jiuzhu_storage::in_transaction(
                    &mut conn,
                    |c| -> Result<(), jiuzhu_storage::StorageError> {
                        jiuzhu_storage::payroll::insert_enrolments(c, &batch.0)?;
                        jiuzhu_storage::payroll::insert_accounts(c, &batch.1)
                    },
                )
                .unwrap();
                batch = (Vec::new(), Vec::new());
            }
        }
        eprintln!(
            "stored {n} enrolments with accounts in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    // A month no earlier run used.
    let runs =
        jiuzhu_storage::payroll::runs(&mut db.conn().unwrap(), who.scope.counties()).unwrap();
    let mut month = Month::parse("2026-01").unwrap();
    while runs.iter().any(|r| r.month == month.to_string()) {
        month = month.next();
    }
    let counties: Vec<String> = regions
        .children(&city)
        .iter()
        .map(|c| c.short().to_owned())
        .collect();
    let t = Instant::now();
    let (mut lines, mut fen) = (0i64, 0i64);
    for county in &counties {
        let v = jiuzhu_app::payroll::run::generate(
            &registry,
            &who,
            county,
            &month.to_string(),
            &|_, _| {},
        )
        .unwrap();
        lines += v.all.lines;
        fen += v.all.total_fen();
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "| payroll, {:?} | {} enrolled households, {} counties | {s:.1} s | {lines} lines, {} yuan |",
        db.backend(),
        n,
        counties.len(),
        jiuzhu_domain::Money::from_fen(fen).yuan_string()
    );
    let t = Instant::now();
    for county in &counties {
        jiuzhu_app::payroll::run::generate(&registry, &who, county, &month.to_string(), &|_, _| {})
            .unwrap();
    }
    println!(
        "| generate again (nothing to add) | | {:.1} s | |",
        t.elapsed().as_secs_f64()
    );
    if have == 0 {
        assert_eq!(lines as u64, n, "one line per enrolment");
    }

    // S7 (issue 17): a township's periodic reviews due in the next 30 days, median of 21.
    let town = towns[0];
    let mut caseworker = Actor::system(regions.scope(&town.code));
    caseworker.role = Some(jiuzhu_domain::Role::TownshipCaseworker);
    let on = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    let mut times = Vec::new();
    let mut listed = 0;
    for _ in 0..21 {
        let t = Instant::now();
        listed = jiuzhu_app::caseload::due::due_list(&registry, &caseworker, on, 30)
            .unwrap()
            .len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "| due list of one township, next 30 days | {n} enrolments | {:.1} ms (median of 21) | {listed} households |",
        times[10]
    );
}
