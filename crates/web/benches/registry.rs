//! Context benchmark: generate a city of N households (default 1,000,000), then serve it and
//! measure the pages and API over real HTTP on loopback.
//!
//! ```text
//! cargo bench -p jiuzhu-web --bench registry                      # 1,000,000 households, SQLite
//! JIUZHU_BENCH_DB=postgres://postgres@127.0.0.1/bench cargo bench -p jiuzhu-web --bench registry
//! JIUZHU_BENCH_HOUSEHOLDS=2000 cargo test --workspace --all-targets     # smoke run (CI)
//! ```
//! Environment: `JIUZHU_BENCH_HOUSEHOLDS`, `JIUZHU_BENCH_DB` (SQLite path or postgres URL; a
//! database that already holds the households is reused), `JIUZHU_BENCH_REQUESTS` (per
//! scenario), `JIUZHU_BENCH_CONCURRENCY`. Results go to stdout as Markdown rows for
//! docs/benchmarks.md.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use jiuzhu_app::regions::RegionCache;
use jiuzhu_app::registry::ListQuery;
use jiuzhu_demo::{DemoConfig, generate};
use jiuzhu_domain::{RegionCode, RegionLevel};
use jiuzhu_storage::Db;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

struct Stats {
    rps: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
}

/// The session cookie of the signed-in 市级督查 the load runs as.
static COOKIE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

async fn load(base: &str, paths: &[String], requests: usize, concurrency: usize) -> Stats {
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(concurrency)
        .build_http();
    let paths = Arc::new(paths.to_vec());
    let started = Instant::now();
    let mut tasks = vec![];
    for w in 0..concurrency {
        let (client, paths, base) = (client.clone(), paths.clone(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut lat = vec![];
            let mut i = w;
            while i < requests {
                let uri: hyper::Uri = format!("{base}{}", paths[i % paths.len()]).parse().unwrap();
                let t = Instant::now();
                let req = hyper::Request::get(uri)
                    .header("cookie", COOKIE.get().expect("signed in"))
                    .body(Empty::<Bytes>::new())
                    .unwrap();
                let resp = client.request(req).await.expect("request");
                assert!(
                    resp.status().is_success(),
                    "{} for {}",
                    resp.status(),
                    paths[i % paths.len()]
                );
                let _ = resp.into_body().collect().await.expect("body");
                lat.push(t.elapsed());
                i += concurrency;
            }
            lat
        }));
    }
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    Stats {
        rps: all.len() as f64 / elapsed.as_secs_f64(),
        p50: pct(0.50),
        p99: pct(0.99),
        max: *all.last().unwrap(),
    }
}

fn main() {
    let households = env_num("JIUZHU_BENCH_HOUSEHOLDS", 1_000_000);
    let requests = env_num("JIUZHU_BENCH_REQUESTS", 20_000) as usize;
    let concurrency = env_num("JIUZHU_BENCH_CONCURRENCY", 32) as usize;
    let tmp = tempfile::tempdir().unwrap();
    let url = std::env::var("JIUZHU_BENCH_DB").unwrap_or_else(|_| {
        tmp.path()
            .join("bench.sqlite3")
            .to_string_lossy()
            .into_owned()
    });
    let db = Db::open(&url, 16).expect("open database");
    let regions = {
        let mut c = db.conn().unwrap();
        Arc::new(RegionCache::load(&mut c).unwrap())
    };
    let keys = Arc::new(jiuzhu_crypto::Keys::from_bytes([7; 16], [9; 32]));
    let registry = jiuzhu_app::open(db.clone(), regions.clone(), keys);
    let city = jiuzhu_app::Actor::system(regions.scope(&RegionCode::parse("4105").unwrap()));
    let existing = jiuzhu_app::registry::list(
        &registry,
        &city,
        &ListQuery {
            limit: Some(1),
            ..Default::default()
        },
    )
    .unwrap()
    .total;
    println!("| backend | {:?} |", db.backend());
    if existing == 0 {
        let started = Instant::now();
        let stats = generate(
            &registry,
            &DemoConfig {
                households,
                ..Default::default()
            },
            &|_| {},
        )
        .unwrap();
        let secs = started.elapsed().as_secs_f64();
        println!(
            "| generate {} households ({} persons, {} economic records) | {:.1} s ({:.0} households/s) |",
            stats.households,
            stats.persons,
            stats.economic_records,
            secs,
            stats.households as f64 / secs
        );
    } else {
        println!("| reused database with ≥ {existing} households | |");
    }
    if !url.starts_with("postgres") {
        let size: u64 = ["", "-wal"]
            .iter()
            .filter_map(|s| std::fs::metadata(format!("{url}{s}")).ok())
            .map(|m| m.len())
            .sum();
        println!("| SQLite file size | {:.0} MB |", size as f64 / 1_048_576.0);
    }

    // Sample households from 60 townships across the city.
    let townships: Vec<RegionCode> = regions
        .of_level(RegionLevel::Township)
        .iter()
        .map(|r| r.code.clone())
        .collect();
    let mut ids = vec![];
    for t in townships.iter().step_by((townships.len() / 60).max(1)) {
        let page = jiuzhu_app::registry::list(
            &registry,
            &city,
            &ListQuery {
                region: Some(t.to_string()),
                limit: Some(20),
                ..Default::default()
            },
        )
        .unwrap();
        ids.extend(page.items.into_iter().map(|h| h.id));
    }
    assert!(!ids.is_empty(), "no households sampled");
    // A deep page: the cursor after the 10,000th household of the city.
    let mut deep = ListQuery {
        limit: Some(200),
        ..Default::default()
    };
    for _ in 0..(10_000 / 200).min(households as usize / 400) {
        deep.cursor = jiuzhu_app::registry::list(&registry, &city, &deep)
            .unwrap()
            .next_cursor;
    }
    let deep_path = format!(
        "/households?limit=50&cursor={}",
        deep.cursor.clone().unwrap_or_default()
    );

    let calendar = {
        let mut c = db.conn().unwrap();
        jiuzhu_app::calendar::load(&mut c).unwrap()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let state = jiuzhu_web::AppState::new(registry, calendar);
        // Every request is signed in (a city inspector: the whole city, read-only), so the
        // figures include the session lookup and the audit write of each file viewed.
        let inspector = state
            .accounts
            .create_user_keeping_password(
                &city,
                &jiuzhu_app::security::accounts::NewUser {
                    username: format!("bench.{}", std::process::id()),
                    display_name: "压测督查".into(),
                    role: "city_inspector".into(),
                    region_code: "410500000000".into(),
                    password: "Bench-pass-2026".into(),
                    supervisor: String::new(),
                },
            )
            .expect("bench user");
        let session = state
            .accounts
            .login(
                &jiuzhu_app::security::accounts::Credentials {
                    username: inspector.user.username,
                    password: "Bench-pass-2026".into(),
                    totp: String::new(),
                },
                "127.0.0.1",
            )
            .expect("sign in");
        let _ = COOKIE.set(format!("jz_session={}", session.token));
        let app = jiuzhu_web::router(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let scenarios: Vec<(&str, Vec<String>)> = vec![
            ("household page `/households/{id}`", ids.iter().map(|i| format!("/households/{i}")).collect()),
            ("household API `/api/v1/households/{id}`", ids.iter().map(|i| format!("/api/v1/households/{i}")).collect()),
            ("list, first page of the city `/households`", vec!["/households".into()]),
            ("list, name search `/households?q=张`", vec!["/households?q=%E5%BC%A0".into()]),
            ("list, page after the 10,000th household", vec![deep_path]),
        ];
        // Warm up the caches of every scenario once.
        for (_, paths) in &scenarios {
            load(&base, paths, paths.len().min(200), 4).await;
        }
        println!("\n| scenario ({requests} requests, {concurrency} concurrent) | req/s | p50 | p99 | max |\n|---|---|---|---|---|");
        for (name, paths) in &scenarios {
            let n = if name.starts_with("list") { requests / 10 } else { requests };
            let s = load(&base, paths, n.max(1), concurrency).await;
            println!("| {name} | {:.0} | {:.1} ms | {:.1} ms | {:.1} ms |", s.rps, s.p50.as_secs_f64() * 1e3, s.p99.as_secs_f64() * 1e3, s.max.as_secs_f64() * 1e3);
        }
    });
    println!(
        "\n| bench process RSS after the run (generator + server + client) | {:.0} MB |",
        rss_mb()
    );
}
