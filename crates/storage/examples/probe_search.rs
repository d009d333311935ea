//! Times the household list and name search against an existing database (a diagnostic for
//! benchmarks): `cargo run --release -p jiuzhu-storage --example probe_search -- DB [NAME]`.

use std::time::Instant;

use jiuzhu_domain::{RegionCode, Scope};
use jiuzhu_storage::Db;
use jiuzhu_storage::households::{self, HouseholdFilter};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let db = Db::open(&args[1], 2).expect("open");
    let name = args.get(2).cloned().unwrap_or_else(|| "张".into());
    let counties = [
        "410502", "410503", "410505", "410506", "410522", "410523", "410526", "410527", "410571",
        "410581",
    ];
    let city = Scope::new(
        RegionCode::parse("4105").unwrap(),
        counties.iter().map(|s| s.to_string()).collect(),
    );
    let mut conn = db.conn().unwrap();
    for filter in [
        HouseholdFilter::default(),
        HouseholdFilter {
            name: Some(name.clone()),
            ..Default::default()
        },
    ] {
        for _ in 0..3 {
            let t = Instant::now();
            let page = households::list(&mut conn, &city, &filter, None, 50).unwrap();
            let t1 = t.elapsed();
            let n = households::count_capped(&mut conn, &city, &filter, 10_000).unwrap();
            println!(
                "{:?}: list {} rows in {:?}, count {} in {:?}",
                filter.name,
                page.len(),
                t1,
                n,
                t.elapsed() - t1
            );
        }
    }
}
