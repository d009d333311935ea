//! Probe: how long one audit append takes on a given database (diagnosing view throughput).
//! `cargo run --release -p jiuzhu-app --example probe_audit -- /tmp/bench1m.sqlite3 2000`

use std::sync::Arc;
use std::time::Instant;

use jiuzhu_app::Actor;
use jiuzhu_app::audit::Audit;
use jiuzhu_app::audit::Event;

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("database");
    let n: usize = args.next().map(|s| s.parse().unwrap()).unwrap_or(1000);
    let db = jiuzhu_storage::Db::open(&url, 2).unwrap();
    let keys = Arc::new(jiuzhu_crypto::Keys::from_bytes([7; 16], [9; 32]));
    let audit = Audit::new(keys);
    let regions = {
        let mut c = db.conn().unwrap();
        jiuzhu_app::regions::RegionCache::load(&mut c).unwrap()
    };
    let who = Actor::system(regions.scope(&"4105".parse().unwrap()));
    let mut conn = db.conn().unwrap();
    let started = Instant::now();
    let mut worst = 0f64;
    for i in 0..n {
        let t = Instant::now();
        audit
            .record(
                &mut conn,
                &who,
                Event::new("probe", "household", &i.to_string(), "410502001001"),
            )
            .unwrap();
        worst = worst.max(t.elapsed().as_secs_f64());
    }
    let per = started.elapsed().as_secs_f64() / n as f64;
    println!(
        "{n} appends: {:.3} ms each, worst {:.1} ms",
        per * 1e3,
        worst * 1e3
    );
}
