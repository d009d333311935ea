//! Go-live rolls benchmark (issue 17 item 1): a county's rolls file of N rows (default 200,000:
//! two-person 低保 households over the county's villages, with accounts) read, checked and
//! reconciled, then written — each timed. The goal is under 60 s for 200,000 rows on SQLite and
//! PostgreSQL (docs/benchmarks.md).
//!
//! ```text
//! cargo bench -p jiuzhu-app --bench rolls
//! JIUZHU_BENCH_DB=postgres://postgres@127.0.0.1:5432/jiuzhu_rolls cargo bench -p jiuzhu-app --bench rolls
//! JIUZHU_BENCH_HOUSEHOLDS=2000 cargo test --workspace --all-targets     # smoke run (CI)
//! ```

use std::sync::Arc;
use std::time::Instant;

use chrono::{Days, NaiveDate};
use jiuzhu_app::caseload::rolls::{self, Expected};
use jiuzhu_app::regions::RegionCache;
use jiuzhu_domain::{RegionCode, RegionLevel, ResidentId, Role};
use jiuzhu_storage::Db;

fn env_num(name: &str) -> Option<u64> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
}

fn main() {
    let rows = env_num("JIUZHU_BENCH_ROLLS_ROWS")
        .or_else(|| env_num("JIUZHU_BENCH_HOUSEHOLDS"))
        .unwrap_or(200_000);
    let households = rows / 2;
    let dir = tempfile::tempdir().unwrap();
    let url = std::env::var("JIUZHU_BENCH_DB").unwrap_or_else(|_| {
        dir.path()
            .join("rolls.sqlite3")
            .to_string_lossy()
            .into_owned()
    });
    let db = Db::open(&url, 4).expect("database");
    let regions = Arc::new(RegionCache::load(&mut db.conn().unwrap()).unwrap());
    let keys = Arc::new(jiuzhu_crypto::Keys::from_bytes([7; 16], [9; 32]));
    let ctx = jiuzhu_app::open(db.clone(), regions.clone(), keys);
    let county = RegionCode::parse("410502").unwrap();
    let mut who = jiuzhu_app::Actor::system(regions.scope(&county));
    who.role = Some(Role::CountyCivilAffairs);
    let villages: Vec<String> = regions
        .of_level(RegionLevel::Village)
        .into_iter()
        .filter(|v| county.contains(&v.code))
        .map(|v| v.code.to_string())
        .collect();

    let t = Instant::now();
    let headers = "户编号,村（社区）代码,家庭住址,姓名,身份证号,与户主关系,户籍性质,劳动能力,保障类别,月保障金额（元）,起始发放月份,审批日期,复核周期,收款银行,收款账号,收款人";
    let mut csv = String::with_capacity(rows as usize * 160);
    csv.push_str(headers);
    csv.push('\n');
    let base = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap();
    let mut total_fen = 0i64;
    for i in 0..households {
        let born = base + Days::new(i / 450);
        let seq = (i % 450) as u16 * 2 + 1;
        let head = ResidentId::build("410502", born, seq);
        let spouse = ResidentId::build("410502", born + Days::new(365 * 2), seq + 1);
        let fen = 40_000 + (i % 700) as i64 * 37;
        total_fen += fen;
        let amount = format!("{}.{:02}", fen / 100, fen % 100);
        let village = &villages[i as usize % villages.len()];
        csv.push_str(&format!(
            "H{i},{village},幸福路{i}号,张{i},{head},户主,农村,无劳动能力,低保,{amount},2024-03,2024-02-20,12,安阳农商银行,62284800{i:011},张{i}\n"
        ));
        csv.push_str(&format!(
            "H{i},{village},幸福路{i}号,李{i},{spouse},配偶,农村,无劳动能力,,,,,,,,\n"
        ));
    }
    eprintln!(
        "generated {} rows ({:.1} MB) in {:.1} s",
        households * 2,
        csv.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let expected = [Expected {
        county: "410502".into(),
        programme: "dibao".into(),
        households: households as i64,
        people: (households * 2) as i64,
        monthly: format!("{}.{:02}", total_fen / 100, total_fen % 100),
    }];

    let t = Instant::now();
    let p = rolls::preview(&ctx, &who, "rolls.csv", csv.as_bytes(), &expected).unwrap();
    let read = t.elapsed().as_secs_f64();
    assert!(
        p.is_clean(),
        "{:?}",
        &p.all_errors()[..p.all_errors().len().min(5)]
    );
    assert!(p.reconciles(), "{:?}", p.reconciliation);
    let t = Instant::now();
    let out = rolls::commit(&ctx, &who, &p, false).unwrap();
    let write = t.elapsed().as_secs_f64();
    assert_eq!(out.enrolled as u64, households);
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("| rows | backend | read, check, reconcile | write | total | rows/s |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| {} | {backend} | {read:.1} s | {write:.1} s | {:.1} s | {:.0} |",
        households * 2,
        read + write,
        (households * 2) as f64 / (read + write)
    );
}
